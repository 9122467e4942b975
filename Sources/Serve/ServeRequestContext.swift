import Foundation
import QUBOModel
import Hummingbird

/// A request's context: Hummingbird's, plus the account its bearer token
/// names (set by `AuthMiddleware`).
public struct ServeRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The authenticated account, `nil` before authentication.
  public var account: String?

  public init(source: Source) {
    coreContext = .init(source: source)
    account = nil
  }
}

/// Answers every refused request with `{"error": message}` and its status,
/// including Hummingbird's own errors (unknown route, body too large).
struct ErrorMiddleware: RouterMiddleware {
  typealias Context = ServeRequestContext

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as ServeError {
      return JSONResponse.error(error.status, error.message)
    } catch let error as HTTPError {
      if error.status == .notFound, let allowed = Self.methods(of: request.uri.path) {
        var response = JSONResponse.error(
          .methodNotAllowed,
          "\(request.method.rawValue) is not allowed on \(request.uri.path); use "
            + allowed.joined(separator: " or "))
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
      }
      let message = error.body ?? Self.message(for: error.status)
      return JSONResponse.error(error.status, message)
    } catch let error as any HTTPResponseError {
      return JSONResponse.error(error.status, Self.message(for: error.status))
    } catch {
      context.logger.error("request failed: \(error)")
      return JSONResponse.error(.internalServerError, "internal error: \(error)")
    }
  }

  /// The methods the API serves on `path`, `nil` for a path it does not
  /// serve at all.
  static func methods(of path: String) -> [String]? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    switch path {
    case "/healthz", "/metrics", "/v1/samplers": return ["GET"]
    case "/v1/jobs": return ["POST"]
    default:
      if parts.count == 4, parts[1] == "v1", parts[2] == "jobs", !parts[3].isEmpty {
        return ["GET", "DELETE"]
      }
      return nil
    }
  }

  static func message(for status: HTTPResponse.Status) -> String {
    switch status.code {
    case 404: return "no such route"
    case 405: return "method not allowed"
    case 413: return "the request body is too large"
    default: return status.reasonPhrase
    }
  }
}

/// Authenticates `/v1/jobs` requests by their bearer token.
struct AuthMiddleware: RouterMiddleware {
  typealias Context = ServeRequestContext
  let store: any ServeStore

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard let header = request.headers[.authorization],
      header.lowercased().hasPrefix("bearer ")
    else { throw ServeError.unauthorized }
    let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
    guard !token.isEmpty else { throw ServeError.unauthorized }
    let hash = TokenHash.hex(token)
    let store = self.store
    guard let account = try await offload({ try store.account(tokenHash: hash) }) else {
      throw ServeError.unauthorized
    }
    var context = context
    context.account = account
    context.logger[metadataKey: "account"] = "\(account)"
    return try await next(request, context)
  }
}

/// JSON responses.
enum JSONResponse {
  static func make(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
    make(status, JSONValue.object(["error": .string(message)]).serialized())
  }
}
