// Access tokens are stored only as their SHA-256 digest (swift-crypto), so
// a copy of the database does not give away a token.

import Crypto

/// The stored form of an access token.
enum TokenHash {
  /// The SHA-256 digest of `token`'s UTF-8 bytes, in lowercase hex.
  static func hex(_ token: String) -> String {
    Crypto.SHA256.hash(data: Array(token.utf8)).map { byte in
      let digits = Array("0123456789abcdef")
      return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }.joined()
  }
}
