import Foundation
import Testing

/// `anneal serve`'s command line: its help names every limit, token create
/// prints the token alone on its last line, bad flags exit 2.
@Suite("anneal serve, as a process")
struct ServeCLITests {
  @Test func helpNamesEveryLimitWithItsDefault() throws {
    let r = try CLI.run(["serve", "--help"])
    #expect(r.status == 0)
    let help = r.stdout
    for (flag, value) in [
      ("--max-body-bytes", "8388608"), ("--max-variables", "10000"),
      ("--max-reads-times-sweeps", "10000000"), ("--max-concurrent-jobs", "8"),
      ("--max-result-values", "10000000"),
      ("--max-time-limit", "60"), ("--listen", "127.0.0.1:8080"),
      ("--storage", "sqlite:///anneal-serve.db"),
    ] {
      #expect(help.contains(flag), "\(flag) missing from serve --help")
      #expect(help.contains(value), "\(value) missing from serve --help")
    }
    #expect(help.contains("429") && help.contains("413"))
  }

  @Test func tokenCreatePrintsTheTokenAloneOnItsLastLine() throws {
    let db = try CLI.temporaryFile("serve-\(UUID().uuidString).db", "")
    try FileManager.default.removeItem(atPath: db)
    let r = try CLI.run(["serve", "token", "create", "alice", "--storage", "sqlite:///" + db])
    #expect(r.status == 0, "\(r.stderr)")
    let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.count == 64 && last.allSatisfy(\.isHexDigit), "last line: \(last)")
    #expect(FileManager.default.fileExists(atPath: db))
    let again = try CLI.run(["serve", "token", "create", "alice", "--storage", "sqlite:///" + db])
    #expect(again.stdout.split(separator: "\n").last.map(String.init) != last)
  }

  @Test func badFlagsExit2WithAMessage() throws {
    let listen = try CLI.run(["serve", "--listen", "nowhere"])
    #expect(listen.status == 2)
    #expect(listen.stderr.contains("--listen"))
    let storage = try CLI.run(["serve", "token", "create", "bob", "--storage", "redis://x"])
    #expect(storage.status == 2)
    #expect(storage.stderr.contains("redis:// is not supported"))
    let name = try CLI.run(["serve", "token", "create", "bad name"])
    #expect(name.status == 2)
  }
}
