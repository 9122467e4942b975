import Foundation
import Testing

@testable import Learning

@Suite("Datasets: CSV layouts, errors, splits, standardisation")
struct DatasetTests {
  @Test func readsHeaderLayout() throws {
    let d = try Dataset.parse(
      "3,2,a,b\n1,2,0\n3,4,1\n\n5,6,1\n", file: "t.csv", name: "t")
    #expect(d.count == 3 && d.featureCount == 2 && d.classNames == ["a", "b"])
    #expect(d.features == [1, 2, 3, 4, 5, 6] && d.labels == [0, 1, 1])
  }

  @Test func readsHeaderlessLayout() throws {
    let d = try Dataset.parse("1,2,0\r\n3,4,2\r\n5,6,1\r\n", file: "t.csv", name: "t")
    #expect(d.featureCount == 2 && d.classCount == 3 && d.labels == [0, 2, 1])
  }

  @Test func numericClassNamesAreAHeaderWhenTheyDescribeTheFile() throws {
    let d = try Dataset.parse("2,1,0,1\n5,0\n6,1\n", file: "t.csv", name: "t")
    #expect(d.count == 2 && d.featureCount == 1 && d.classNames == ["0", "1"])
    // The same first line is a row when it does not describe the file.
    let rows = try Dataset.parse("2,1,0,1\n5,0,3,0\n", file: "t.csv", name: "t")
    #expect(rows.count == 2 && rows.featureCount == 3 && rows.labels == [1, 0])
  }

  @Test func pandasHeaderOfColumnNames() throws {
    let d = try Dataset.parse("f0,f1,label\n1,2,0\n3,4,1\n", file: "t.csv", name: "t")
    #expect(d.count == 2 && d.featureCount == 2 && d.classCount == 2)
    #expect(d.features == [1, 2, 3, 4])
  }

  @Test func aSplitWithAnEmptyTestSetThrows() throws {
    let d = try Dataset.parse("1,0\n2,1\n", file: "t.csv", name: "t")
    #expect(throws: ShapeError.self) { try d.stratifiedSplit(seed: 1) }
    #expect(throws: ShapeError.self) { try d.stratifiedSplit(testFraction: 1, seed: 1) }
  }

  @Test(arguments: [
    ("", "t.csv: the file is empty"),
    ("1,2,0\n3,0\n", "t.csv:2: expected 3 fields (features then label), found 2"),
    ("1,x,0\n", "t.csv:1: no data rows after the header"),
    ("f0,label\n1,2,0\n", "t.csv:2: expected 2 fields as the header names, found 3"),
    (
      "1,2,0\n3,4,100000000\n",
      "t.csv:2: label 100000000 with no header naming the classes: labels must be 0…k−1 with k "
        + "at most the 2 rows (or give a header 'samples,features,class names…')"
    ),
    ("1,2,0\n3,4,0\n", "t.csv: every row has label 0: classification needs two classes or more"),
    ("1,2,0\n1,x,0\n", "t.csv:2: field 2 'x' is not a finite number"),
    ("2,1,a,b\n1,0\n1,2\n", "t.csv:3: label 2 is out of range: the header names 2 classes"),
    ("1,2,0\n1,2,-1\n", "t.csv:2: label '-1' is not a non-negative integer"),
    ("1,2,0\n1,2,0.5\n", "t.csv:2: label '0.5' is not a non-negative integer"),
    ("3,1,a,b\n1,0\n1,1\n", "t.csv:1: the header declares 3 rows but the file has 2"),
    ("2,1,a,b\n", "t.csv:1: no data rows after the header"),
  ])
  func rejectsBadCSV(text: String, message: String) {
    #expect {
      _ = try Dataset.parse(text, file: "t.csv", name: "t")
    } throws: { error in
      (error as? DatasetError)?.description == message
    }
  }

  @Test func shippedDatasetsLoad() throws {
    for (name, rows, features, classes) in [
      ("iris", 150, 4, 3), ("wine", 178, 13, 3), ("breast_cancer", 569, 30, 2),
      ("digits", 1797, 64, 10),
    ] {
      let d = try Dataset.load(name)
      #expect(d.count == rows && d.featureCount == features && d.classCount == classes)
    }
  }

  @Test func splitIsStratifiedSeededAndDisjoint() throws {
    let d = try Dataset.load("iris")
    let (train, test) = try d.stratifiedSplit(testFraction: 0.2, seed: 7)
    #expect(train.count + test.count == 150)
    for c in 0..<3 { #expect(test.labels.filter { $0 == c }.count == 10) }
    let again = try d.stratifiedSplit(testFraction: 0.2, seed: 7)
    #expect(again.train == train && again.test == test)
    let other = try d.stratifiedSplit(testFraction: 0.2, seed: 8)
    #expect(other.test != test)
    // Disjoint: the rows' multiset adds up to the whole.
    let all = (train.features + test.features).sorted()
    #expect(all == d.features.sorted())
  }

  @Test func standardiserFitsTrainingOnly() throws {
    let train = try Dataset(
      name: "t", features: [1, 5, 3, 5], labels: [0, 1], featureCount: 2, classNames: ["a", "b"])
    let test = try Dataset(
      name: "t", features: [5, 9], labels: [0], featureCount: 2, classNames: ["a", "b"])
    let s = Standardizer(fitting: train)
    #expect(s.mean == [2, 5] && s.sd == [1, 0])
    #expect(try s.apply(train).features == [-1, 0, 1, 0])
    #expect(try s.apply(test).features == [3, 0])
  }
}
