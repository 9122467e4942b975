import Foundation
import Testing

@Suite("anneal svm, as a process")
struct SVMCLITests {
  @Test func svmPrintsPairedScoresPerSplit() throws {
    let r = try CLI.run([
      "svm", "--dataset", "circles", "--train", "24", "--bits", "2", "--splits", "2",
      "--reads", "8", "--sweeps", "200", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    #expect(o["dataset"] as? String == "circles")
    #expect(o["seeds"] as? [Int] == [1, 2])
    #expect(o["qubo_variables"] as? [Int] == [48, 48])
    let acc = try #require(o["accuracy"] as? [String: [Double]])
    let auc = try #require(o["auc"] as? [String: [Double]])
    for m in ["qsvm", "qsvm-best", "svm", "svm-full"] {
      #expect(acc[m]?.count == 2 && acc[m]?.allSatisfy { $0 > 0.5 && $0 <= 1 } == true, "\(m)")
      #expect(auc[m]?.count == 2 && auc[m]?.allSatisfy { $0 > 0.5 && $0 <= 1 } == true, "\(m)")
    }
  }

  @Test(arguments: [
    (["svm", "--dataset", "iris"], "two classes"),
    (["svm", "--dataset", "no/such/file.csv"], "no/such/file.csv"),
    (["svm", "--dataset", "circles", "--bits", "0"], "--bits"),
    (["svm", "--dataset", "circles", "--gamma", "-1"], "--gamma"),
    (["svm", "--dataset", "circles", "--sampler", "tabu"], "tabu"),
  ])
  func badInputExitsTwo(arguments: [String], mention: String) throws {
    let r = try CLI.run(arguments)
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains(mention), "\(r.stderr)")
  }
}
