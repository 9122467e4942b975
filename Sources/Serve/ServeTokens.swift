/// Access tokens: 32 random bytes from the system's secure generator, as
/// 64 hex digits; the store keeps only their SHA-256.
public enum ServeTokens {
  /// Creates a token for `account` in `store` and returns it (the only time
  /// it is seen).
  public static func create(account: String, in store: any ServeStore) throws -> String {
    var generator = SystemRandomNumberGenerator()
    let token = (0..<32).map { _ -> String in
      let s = String(UInt8.random(in: 0...255, using: &generator), radix: 16)
      return s.count == 1 ? "0" + s : s
    }.joined()
    try store.addToken(account: account, tokenHash: TokenHash.hex(token))
    return token
  }
}
