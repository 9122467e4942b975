// Where finished cells go.
//
// JSONLinesCellStore: one JSON object per line, appended under an exclusive
// flock(2) and fsync(2)ed before `record` returns, so a finished cell survives
// kill -9 and several worker processes can share one file. A kill during the
// write leaves a last line without its newline; readers ignore it and the
// next writer cuts it off before appending. Claims are a work queue's
// (CellQueue); the file is the log of what finished.

import Foundation
import QUBOModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A store of finished cells.
public protocol CellStore: Sendable {
  /// Records a finished cell durably.
  func record(_ result: CellResult) throws
  /// The finished cells, each key once (the first record wins).
  func finished() throws -> [CellResult]
}

/// A failure of a cell store.
public struct CellStoreError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var description: String
  /// An error that says `description`.
  public init(_ description: String) { self.description = description }
}

/// An append-only JSON-lines file of finished cells.
public struct JSONLinesCellStore: CellStore {
  /// The file.
  public var path: String

  /// A store in the file at `path` (created on the first record).
  public init(path: String) { self.path = path }

  /// Runs `body` with the store's file open for appending and locked
  /// exclusively (claims and records of all processes take turns).
  func locked<T>(_ body: (Int32) throws -> T) throws -> T {
    let fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { throw CellStoreError("cannot open \(path): \(errnoText())") }
    defer { close(fd) }
    guard flock(fd, LOCK_EX) == 0 else {
      throw CellStoreError("cannot lock \(path): \(errnoText())")
    }
    defer { flock(fd, LOCK_UN) }
    return try body(fd)
  }

  public func record(_ result: CellResult) throws {
    try locked { fd in try append(result, to: fd) }
  }

  /// Records `result` when `current` says so, then runs `after`, all under
  /// the file's lock; whether it recorded. (A queue's worker records only
  /// while its lease is current, and finishes the cell in the queue before
  /// another process can look.)
  public func record(
    _ result: CellResult, if current: () throws -> Bool, then after: () throws -> Void
  ) throws -> Bool {
    try locked { fd in
      guard try current() else { return false }
      try append(result, to: fd)
      try after()
      return true
    }
  }

  private func append(_ result: CellResult, to fd: Int32) throws {
    try cutTornTail(fd)
    let bytes = Array((result.json.serialized() + "\n").utf8)
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { throw CellStoreError("cannot write \(path): \(errnoText())") }
      written += n
    }
    guard fsync(fd) == 0 else { throw CellStoreError("cannot fsync \(path): \(errnoText())") }
  }

  public func finished() throws -> [CellResult] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    var out: [CellResult] = []
    var seen = Set<String>()
    var start = data.startIndex
    while let newline = data[start...].firstIndex(of: 0x0A) {
      let line = data[start..<newline]
      start = data.index(after: newline)
      guard !line.isEmpty else { continue }
      let result = try CellResult(json: try JSONValue(parsing: line))
      if seen.insert(result.key).inserted { out.append(result) }
    }
    return out
  }

  /// Truncates a last line that lacks its newline (a write cut by a kill).
  private func cutTornTail(_ fd: Int32) throws {
    let size = lseek(fd, 0, SEEK_END)
    guard size > 0 else { return }
    var last: UInt8 = 0
    guard pread(fd, &last, 1, size - 1) == 1 else {
      throw CellStoreError("cannot read \(path): \(errnoText())")
    }
    guard last != 0x0A else { return }
    var keep: off_t = 0
    var offset = size
    var buffer = [UInt8](repeating: 0, count: 4096)
    search: while offset > 0 {
      let chunk = min(off_t(buffer.count), offset)
      offset -= chunk
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(chunk), offset) }
      guard n == Int(chunk) else { throw CellStoreError("cannot read \(path): \(errnoText())") }
      for k in stride(from: Int(chunk) - 1, through: 0, by: -1) where buffer[k] == 0x0A {
        keep = offset + off_t(k) + 1
        break search
      }
    }
    guard ftruncate(fd, keep) == 0 else {
      throw CellStoreError("cannot truncate \(path): \(errnoText())")
    }
  }

  func errnoText() -> String { String(cString: strerror(errno)) }
}
