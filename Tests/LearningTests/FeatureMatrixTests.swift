import Foundation
import Testing

@testable import Learning

@Suite("Calibration data: CSV and .npy")
struct FeatureMatrixTests {
  @Test func csvWithAndWithoutLabelsAndAHeader() throws {
    let m = try FeatureMatrix.parseCSV("f0,f1,label\n1,2,0\n3.5,-4,2\n", file: "a.csv", labels: true)
    #expect(m.rows == 2 && m.columns == 2)
    #expect(m.values == [1, 2, 3.5, -4])
    #expect(m.labels == [0, 2])
    let n = try FeatureMatrix.parseCSV("1,2,0\n3.5,-4,2\n", file: "a.csv", labels: false)
    #expect(n.columns == 3 && n.labels == nil)
  }

  @Test(arguments: [
    ("1,2\n3\n", "a.csv:2: expected 2 fields, found 1"),
    ("1,x\n2,y\n", "a.csv:2: field 2 'y' is not a finite number"),
    ("1,inf\n", "a.csv:1: field 2 'inf' is not a finite number"),
    ("", "a.csv: no data rows"),
    ("a,b\n", "a.csv: no data rows"),
  ])
  func badCSV(text: String, message: String) {
    #expect(throws: DatasetError.self) { try FeatureMatrix.parseCSV(text, file: "a.csv", labels: false) }
    do {
      _ = try FeatureMatrix.parseCSV(text, file: "a.csv", labels: false)
    } catch {
      #expect("\(error)" == message)
    }
  }

  @Test func badLabel() {
    do {
      _ = try FeatureMatrix.parseCSV("1,2,-1\n", file: "a.csv", labels: true)
      Issue.record("a negative label was accepted")
    } catch {
      #expect("\(error)" == "a.csv:1: label '-1' is not a non-negative integer")
    }
  }

  static func npy(descr: String, shape: String, payload: [UInt8]) -> [UInt8] {
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let n = header.utf8.count
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)]
      + Array(header.utf8) + payload
  }

  @Test func npyFloat32AndInt64() throws {
    let f: [Float] = [1.5, -2, 3, 4, 5, 6]
    let bytes = f.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    let m = try FeatureMatrix.parseNPY(
      Self.npy(descr: "<f4", shape: "(2, 3)", payload: bytes), file: "x.npy", labels: false)
    #expect(m.rows == 2 && m.columns == 3 && m.values == f.map(Double.init))
    let labelled: [Float] = [1.5, -2, 0, 4, 5, 1]
    let lb = labelled.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    let l = try FeatureMatrix.parseNPY(
      Self.npy(descr: "<f4", shape: "(2, 3)", payload: lb), file: "x.npy", labels: true)
    #expect(l.columns == 2 && l.values == [1.5, -2, 4, 5] && l.labels == [0, 1])
    let i: [Int64] = [7, 8]
    let ib = i.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    let k = try FeatureMatrix.parseNPY(
      Self.npy(descr: "<i8", shape: "(2, 1)", payload: ib), file: "x.npy", labels: false)
    #expect(k.values == [7, 8])
  }

  @Test(arguments: [
    ("<f4", "(2, 3)", 20, "the data holds 20 bytes for shape (2, 3) of <f4"),
    ("<f2", "(1, 1)", 2, "element type '<f2' is not supported (<f4, <f8, <i4, <i8)"),
    ("<f4", "(6,)", 24, "shape must be (rows, columns) with both positive"),
    ("<f4", "(99999999999, 99999999999)", 4, "the data holds 4 bytes for shape (99999999999, 99999999999) of <f4"),
  ])
  func badNPY(descr: String, shape: String, payloadBytes: Int, message: String) {
    let bytes = Self.npy(descr: descr, shape: shape, payload: [UInt8](repeating: 0, count: payloadBytes))
    do {
      _ = try FeatureMatrix.parseNPY(bytes, file: "x.npy", labels: false)
      Issue.record("accepted \(shape) with \(payloadBytes) bytes")
    } catch {
      #expect("\(error)" == "x.npy: \(message)")
    }
  }
}
