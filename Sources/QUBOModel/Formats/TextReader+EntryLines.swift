// What the counted formats share (Gset, OR-Library bqp, and qbsolv for its
// size check): a header that declares how many variables and entry lines
// follow, then exactly that many lines `i j x` with 1 ≤ i, j ≤ n, blank
// lines skipped. Too many lines are rejected at the first extra one, too
// few at the header's line.

/// How one format names the parts of its entry lines, for its messages.
struct EntryLineNames {
  /// The header's name for the count ("m", "nnz"), and what one line and
  /// several are ("edge", "edges").
  var count, line, lines: String
  /// The three fields ("vertex i", "vertex j", "weight w") and the line's
  /// shape ("'i j w'").
  var i, j, value, shape: String
}

extension TextReader {
  /// Moves to the header, the first line that is not blank, and returns its
  /// line number; throws that the file is empty, naming the header's
  /// `shape` ("'n m'").
  mutating func header(_ shape: String) throws -> Int {
    guard advanceToContent() else {
      throw fail(line: 1, "the file is empty (expected a header \(shape))")
    }
    return line
  }

  /// Throws unless `count` variables fit in `limit`, the most this file's
  /// size can describe; `what` names the count in the message
  /// ("vertex count n = 5").
  func checkVariableCount(_ count: Int, _ what: String, limit: Int) throws {
    guard count <= limit else {
      throw fail(
        "\(what) is more than this \(text.count)-byte file can describe (limit \(limit))")
    }
  }

  /// Reads the `declared` entry lines that follow the header on line
  /// `headerLine`, calling `entry(i, j, x, reader)` for each with 1-based
  /// `i` and `j` (the reader on that line, for `fail`) and throwing a
  /// `ModelFileError` that names the line for a bad field, an extra line
  /// or a missing one.
  mutating func readEntryLines(
    declared: Int, headerLine: Int, n: Int, names: EntryLineNames,
    _ entry: (Int, Int, Double, TextReader) throws -> Void
  ) throws {
    var count = 0
    while advance() {
      guard firstByte != nil else { continue }
      count += 1
      guard count <= declared else {
        throw fail(
          "more \(names.line) lines than the \(names.count) = \(declared) declared on line "
            + "\(headerLine)")
      }
      let i = try index(names.i, first: 1, last: n)
      let j = try index(names.j, first: 1, last: n)
      let x = try double(names.value)
      try expectEndOfLine(names.shape)
      try entry(i, j, x, self)
    }
    guard count == declared else {
      throw fail(
        line: headerLine,
        "the header declares \(names.count) = \(declared) \(names.lines) but the file has "
          + "\(count) (truncated?)")
    }
  }
}
