import ArgumentParser
import Foundation
import Logging
import Serve
import Synchronization

/// `anneal serve`: sampling as a service over the work queue.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the sampling service: an HTTP API whose jobs live on the work queue.",
    discussion: """
      Examples:
        anneal serve token create alice          # prints the token on its last line
        anneal serve --listen 127.0.0.1:8080
        curl -H "Authorization: Bearer $TOKEN" -d @job.json http://127.0.0.1:8080/v1/jobs

      API (docs/openapi.yaml): POST /v1/jobs {"problem": <dimod BQM JSON>, \
      "parameters": {"sampler": "sa", …}} (or "problem_coo": "<COO text>") → 202 {"id"}; \
      GET /v1/jobs/{id} → {"id", "state", "error"?, "result"?: <dimod SampleSet JSON>}; \
      DELETE /v1/jobs/{id}; GET /v1/samplers, /healthz, /metrics (Prometheus).

      Storage: sqlite:///relative.db, sqlite:////absolute.db (the default is \
      sqlite:///anneal-serve.db), or postgresql://user@host:port/db, which several \
      servers share: a job of a server that dies is taken over by another once its \
      heartbeat is --stale-after seconds old.

      Limits (each a flag below; each account gets the same quota): a request body \
      over --max-body-bytes (default 8388608) is refused with 413; a job over \
      --max-variables (10000), --max-reads-times-sweeps (10000000), \
      --max-result-values (reads × variables, 10000000) or \
      --max-time-limit (60 s; any job is stopped there and keeps what it found), or an account with \
      --max-concurrent-jobs (8) jobs queued or running, is refused with 429 and a \
      message. SIGINT or SIGTERM stops the server gracefully: running jobs go back \
      on the queue.
      """,
    subcommands: [Token.self])

  @Option(help: "Address to listen on, HOST:PORT.")
  var listen = "127.0.0.1:8080"

  @Option(help: "Storage URL of the queue and the accounts.")
  var storage = ServeStorage.defaultURL

  @Option(help: "Jobs this server runs at once.")
  var workers = 1

  @Option(help: "Threads one job may use (default: all cores).")
  var threadsPerJob: Int?

  @Option(help: "Seconds without a heartbeat after which another server takes a job over.")
  var staleAfter = 30.0

  @Option(help: "Largest request body in bytes (413 above).")
  var maxBodyBytes = ServeLimits().maxBodyBytes

  @Option(help: "Most variables of one job (429 above).")
  var maxVariables = ServeLimits().maxVariables

  @Option(help: "Most reads × sweeps of one job (429 above).")
  var maxReadsTimesSweeps = ServeLimits().maxReadsTimesSweeps

  @Option(help: "Most reads × variables of one job's result (429 above).")
  var maxResultValues = ServeLimits().maxResultValues

  @Option(help: "Most jobs one account may have queued or running (429 above).")
  var maxConcurrentJobs = ServeLimits().maxConcurrentJobs

  @Option(help: "Longest time_limit of one job in seconds; every job stops there (429 above).")
  var maxTimeLimit = ServeLimits().maxTimeLimit

  func validate() throws {
    guard listenAddress != nil else {
      throw ValidationError("--listen: expected HOST:PORT such as 127.0.0.1:8080, got '\(listen)'")
    }
    guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    guard staleAfter > 0 else { throw ValidationError("--stale-after must be positive") }
    guard threadsPerJob.map({ $0 >= 1 }) ?? true else {
      throw ValidationError("--threads-per-job must be at least 1")
    }
    guard maxBodyBytes >= 1024, maxVariables >= 1, maxReadsTimesSweeps >= 1,
      maxConcurrentJobs >= 1, maxTimeLimit > 0, maxResultValues >= 1
    else {
      throw ValidationError(
        "limits must be positive (--max-body-bytes at least 1024)")
    }
  }

  private var listenAddress: (host: String, port: Int)? {
    guard let colon = listen.lastIndex(of: ":"),
      let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port)
    else { return nil }
    let host = String(listen[..<colon])
    return host.isEmpty ? nil : (host, port)
  }

  func run() throws {
    guard let (host, port) = listenAddress else { throw CLIError.badInput("--listen") }
    var settings = ServeConfiguration()
    settings.workers = workers
    if let threadsPerJob { settings.threadsPerJob = threadsPerJob }
    settings.staleAfter = staleAfter
    settings.limits.maxBodyBytes = maxBodyBytes
    settings.limits.maxVariables = maxVariables
    settings.limits.maxReadsTimesSweeps = maxReadsTimesSweeps
    settings.limits.maxConcurrentJobs = maxConcurrentJobs
    settings.limits.maxResultValues = maxResultValues
    settings.limits.maxTimeLimit = maxTimeLimit
    let opened = try openStorage(storage)
    let logger = Logger(label: "anneal.serve") { JSONLogHandler(label: $0) }
    let server = ServeServer(queue: opened.queue, store: opened.store, configuration: settings)
    let summary = settings.limits.summary
    let app = server.application(host: host, port: port, logger: logger) { bound in
      logger.info(
        "listening",
        metadata: [
          "address": "\(host):\(bound)", "storage": "\(opened.description)",
          "limits": "\(summary)",
        ])
    }
    let failure = Mutex<String?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await app.runService()
      } catch {
        failure.withLock { $0 = "\(error)" }
      }
      done.signal()
    }
    done.wait()
    if let message = failure.withLock({ $0 }) { throw CLIError.failure("serve: \(message)") }
  }

  /// `anneal serve token …`
  struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Manage the access tokens of `anneal serve`.", subcommands: [Create.self])
  }

  /// `anneal serve token create NAME`
  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create a token for account NAME; prints the token alone on its last line.",
      discussion: """
        Takes --storage URL as `anneal serve` does (default sqlite:///anneal-serve.db). \
        The token is shown once; the storage keeps only its SHA-256. An account may \
        hold several tokens; its jobs are visible to all of them.
        """)

    @Argument(help: "The account's name.")
    var name: String

    /// `--storage`, which `anneal serve` parses for its subcommands too.
    @ParentCommand var serve: ServeCommand

    func validate() throws {
      guard !name.isEmpty, name.count <= 200,
        name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) })
      else {
        throw ValidationError(
          "NAME: letters, digits and - _ . @ only (at most 200), got '\(name)'")
      }
    }

    func run() throws {
      let opened = try openStorage(serve.storage)
      let token: String
      do {
        token = try ServeTokens.create(account: name, in: opened.store)
      } catch {
        throw CLIError.failure("token create: \(error)")
      }
      print("account \(name) in \(opened.description); the token (shown only once):")
      print(token)
    }
  }
}

/// The queue and store of `--storage`, with CLI errors.
private func openStorage(_ url: String) throws -> ServeStorage {
  do {
    return try ServeStorage(url: url)
  } catch let error as ServeStorageError {
    throw CLIError.badInput("--storage: \(error.description)")
  } catch {
    throw CLIError.failure("--storage: \(error)")
  }
}
