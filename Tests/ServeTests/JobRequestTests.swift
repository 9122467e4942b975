import Foundation
import QUBOModel
import Testing

@testable import Serve

/// Request bodies: what is refused, with which status and message.
@Suite("Job requests")
struct JobRequestTests {
  let limits: ServeLimits = {
    var l = ServeLimits()
    l.maxVariables = 100
    l.maxReadsTimesSweeps = 10_000
    l.maxTimeLimit = 5
    l.maxResultValues = 1000
    return l
  }()

  func refusal(_ body: String) -> ServeError? {
    do {
      _ = try JobRequest(body: Array(body.utf8), limits: limits, threads: 2)
      return nil
    } catch let error as ServeError {
      return error
    } catch {
      Issue.record("unexpected error \(error)")
      return nil
    }
  }

  @Test func acceptsCOOAndKeepsTheServersTimeLimitOutOfTheParameters() throws {
    let job = try JobRequest(
      body: Array(#"{"problem_coo": "0 1 -1\n1 1 0.5\n", "seed": 4}"#.utf8), limits: limits,
      threads: 2)
    #expect(job.format == .coo)
    #expect(job.numVariables == 2)
    #expect(job.seed == 4)
    #expect(job.parameters["time_limit"] == nil)
    #expect(job.maxSeconds == 5)
  }

  @Test func capsThreads() throws {
    let job = try JobRequest(
      body: Array(#"{"problem_coo": "0 1 -1", "parameters": {"threads": 64}}"#.utf8),
      limits: limits, threads: 2)
    #expect(job.parameters["threads"] == .int(2))
  }

  @Test func badInputIs400WithAMessage() {
    let cases: [(String, String)] = [
      ("{not json", "not valid JSON"),
      ("[1, 2]", "must be a JSON object"),
      (#"{"problem_coo": "0 1 NaN"}"#, "not finite"),
      (#"{"problem_coo": "0 1 1", "parameters": {"sampler": "sa", "swepes": 10}}"#, "'swepes'"),
      (#"{"problem_coo": "0 1 1", "parameters": {"sampler": "magic"}}"#, "'sampler'"),
      (#"{"problem_coo": "0 1 1", "extra": 1}"#, "unknown field 'extra'"),
      (#"{"parameters": {}}"#, "give 'problem'"),
      (#"{"problem_coo": "0 1 1", "seed": -3}"#, "'seed'"),
      (#"{"problem": {"type": "BinaryQuadraticModel"}}"#, "bqm_schema"),
    ]
    for (body, fragment) in cases {
      let error = refusal(body)
      #expect(error?.status == .badRequest, "\(body)")
      #expect(error?.message.contains(fragment) ?? false, "\(body): \(String(describing: error))")
    }
  }

  @Test func tenMillionDeclaredVariablesInASmallBodyIsRefused() {
    let body = """
      {"problem": {"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"},
      "use_bytes": false, "index_type": "int32", "bias_type": "float64",
      "num_variables": 10000000, "num_interactions": 0, "variable_labels": [],
      "variable_type": "BINARY", "offset": 0, "info": {}, "linear_biases": [],
      "quadratic_biases": [], "quadratic_head": [], "quadratic_tail": []}}
      """
    let error = refusal(body)
    #expect(error?.status == .badRequest)
    #expect(error?.message.contains("10000000") ?? false)
  }

  @Test func quotasAre429() {
    let wide = (0..<101).map { "\($0) \($0) 1" }.joined(separator: "\\n")
    let hundred = (0..<100).map { "\($0) \($0) 1" }.joined(separator: "\\n")
    let cases: [(String, String)] = [
      (#"{"problem_coo": "\#(wide)"}"#, "101 variables"),
      (#"{"problem_coo": "0 1 1", "parameters": {"reads": 100, "sweeps": 1000}}"#, "reads × sweeps"),
      (#"{"problem_coo": "0 1 1", "parameters": {"time_limit": 6}}"#, "time_limit"),
      (#"{"problem_coo": "\#(hundred)", "parameters": {"reads": 11, "sweeps": 1}}"#, "reads × variables"),
    ]
    for (body, fragment) in cases {
      let error = refusal(body)
      #expect(error?.status == .tooManyRequests, "\(body)")
      #expect(error?.message.contains(fragment) ?? false, "\(body): \(String(describing: error))")
    }
  }
}
