import Foundation
import WorkQueue

/// A backend under test: how to open handles on one storage.
///
/// A storage is made once per check with a clock offset; every `open` of it
/// returns a new handle (a new connection or pool where the backend has
/// them, the same object in memory) on the same items.
public struct WorkQueueBackend: Sendable {
  /// One storage: handles on the same items.
  public struct Storage: Sendable {
    /// A new handle on the storage.
    public var open: @Sendable () throws -> any WorkQueue
    /// The URL worker processes open the storage with (`sqlite:///…`,
    /// `postgresql://…`), `nil` when it lives in this process only.
    public var url: String?
    /// Put before every queue name, for a storage that other checks (or
    /// earlier runs) share, such as one PostgreSQL database.
    public var namespace: String

    /// A storage whose handles come from `open`.
    public init(
      url: String? = nil, namespace: String = "",
      open: @escaping @Sendable () throws -> any WorkQueue
    ) {
      self.url = url
      self.namespace = namespace
      self.open = open
    }

    /// The name of the check's queue `base` in this storage.
    public func queue(_ base: String) -> String { namespace + base }
  }

  /// The backend's name in messages.
  public var name: String
  /// Whether items outlive their handles (a file or a server): the resume
  /// check closes every handle and opens a new one.
  public var persistent: Bool
  /// Whether the storage's clock is not a worker process's own (a
  /// database server's): the skewed-process check then runs workers whose
  /// clock is hours off under libfaketime. (An SQLite file's clock is the
  /// clock of whichever process on its one machine runs the statement.)
  public var serverClock: Bool
  /// A storage whose clock is `clockOffset` seconds from the system clock
  /// (0 in every check but the skewed-clock one).
  public var makeStorage: @Sendable (_ clockOffset: Double) throws -> Storage

  /// A backend named `name`.
  public init(
    name: String, persistent: Bool, serverClock: Bool = false,
    makeStorage: @escaping @Sendable (_ clockOffset: Double) throws -> Storage
  ) {
    self.name = name
    self.persistent = persistent
    self.serverClock = serverClock
    self.makeStorage = makeStorage
  }
}

/// The in-memory backend: one `InMemoryWorkQueue` per storage, its clock the
/// system clock plus the offset.
extension WorkQueueBackend {
  /// `InMemoryWorkQueue`.
  public static let memory = WorkQueueBackend(name: "memory", persistent: false) { offset in
    let queue = InMemoryWorkQueue(clock: { Date().addingTimeInterval(offset) })
    return Storage { queue }
  }

  /// `SQLiteWorkQueue` over a new file in a new temporary directory.
  public static let sqlite = WorkQueueBackend(name: "sqlite", persistent: true) { offset in
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("work-queue-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("queue.db").path
    return Storage(url: "sqlite:///\(path)") {
      try SQLiteWorkQueue(path: path, clockOffset: offset)
    }
  }
}
