/// An ordered set of variable labels, mapping each label to a dense index and back.
///
/// A model whose labels are exactly `0..<n` (the common case for files) stores
/// no table at all: `index(of: .int(i)) == i`. The first label that breaks the
/// pattern switches to an explicit table.
///
/// - Complexity: `index(of:)`, `label(at:)` and `append(_:)` are O(1) on average.
public struct Variables: Sendable, Hashable {
  @usableFromInline var rangeCount: Int
  @usableFromInline var labels: [Label]?
  @usableFromInline var table: [Label: Int]

  /// The variables `0..<count`.
  public init(range count: Int = 0) {
    precondition(count >= 0)
    rangeCount = count
    labels = nil
    table = [:]
  }

  /// The given labels, in order.
  ///
  /// Duplicates are merged (the first wins).
  public init<S: Sequence>(_ labels: S) where S.Element == Label {
    self.init()
    for label in labels { _ = append(label) }
  }

  /// How many variables there are.
  @inlinable public var count: Int { labels?.count ?? rangeCount }

  /// Whether the labels are exactly `0..<count`.
  @inlinable public var isRange: Bool { labels == nil }

  /// The label at dense index `i`.
  @inlinable
  public func label(at i: Int) -> Label {
    if let labels { return labels[i] }
    precondition(i >= 0 && i < rangeCount, "variable index out of range")
    return .int(i)
  }

  /// The dense index of `label`, or `nil` when it is not a variable here.
  @inlinable
  public func index(of label: Label) -> Int? {
    if labels == nil {
      if case .int(let i) = label, i >= 0, i < rangeCount { return i }
      return nil
    }
    return table[label]
  }

  /// Whether `label` is a variable here.
  public func contains(_ label: Label) -> Bool { index(of: label) != nil }

  /// Adds `label` if it is new; returns its index either way.
  @discardableResult
  public mutating func append(_ label: Label) -> Int {
    if let i = index(of: label) { return i }
    var list: [Label]
    if let labels {
      list = labels
    } else {
      if case .int(let i) = label, i == rangeCount {
        rangeCount += 1
        return i
      }
      list = (0..<rangeCount).map { .int($0) }
      for i in 0..<rangeCount { table[.int(i)] = i }
    }
    labels = nil  // keep `list` uniquely referenced while it grows
    let i = list.count
    list.append(label)
    table[label] = i
    labels = list
    return i
  }

  /// Every label, in index order.
  public var allLabels: [Label] {
    labels ?? (0..<rangeCount).map { .int($0) }
  }
}

extension Variables: RandomAccessCollection {
  public var startIndex: Int { 0 }
  public var endIndex: Int { count }
  public subscript(position: Int) -> Label { label(at: position) }
}
