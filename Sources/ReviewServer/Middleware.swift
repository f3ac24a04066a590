import ComplianceRules
import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is asking: a Bearer token, else the session cookie. Never refuses by itself (health and the login
/// page need no user); handlers ask `ReviewContext.require`. A wrong Bearer token counts as a failed sign-in, so
/// the API cannot be used to guess tokens faster than the login page.
struct AuthenticationMiddleware: RouterMiddleware {
  let store: any ReviewStore
  let sessions: SessionStore
  let throttle: LoginThrottle

  func handle(
    _ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    if let authorization = request.headers[.authorization] {
      let parts = authorization.split(separator: " ", maxSplits: 1)
      if parts.count == 2, parts[0].lowercased() == "bearer" {
        if let wait = await throttle.retryAfter(context.clientAddress) { throw Problem.tooManyLogins(retryAfter: wait) }
        context.user = try store.reviewUser(tokenHash: APIToken.hash(parts[1].trimmingCharacters(in: .whitespaces)))
        if context.user == nil { await throttle.recordFailure(context.clientAddress) }
      }
    } else if let id = request.cookies[SessionStore.cookieName]?.value, let session = await sessions.session(id: id) {
      context.user = try store.reviewUser(tokenHash: session.tokenHash)
      context.session = context.user == nil ? nil : session
    }
    return try await next(request, context)
  }
}

/// One line per request on the log: method, path, status, milliseconds, user (`-` without one).
struct RequestLogMiddleware: RouterMiddleware {
  let log: @Sendable (String) -> Void

  func handle(
    _ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let user = context.user?.name ?? "-"
    func line(_ status: HTTPResponse.Status) {
      let elapsed = ContinuousClock.now - start
      let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
      log("\(request.method) \(request.uri.path) \(status.code) \(String(format: "%.1f", milliseconds))ms \(user)")
    }
    do {
      let response = try await next(request, context)
      line(response.status)
      return response
    } catch {
      line((error as? any HTTPResponseError)?.status ?? .internalServerError)
      throw error
    }
  }
}

/// Turns every error into a response: problem+json under /api, a page elsewhere (a sign-in redirect for 401),
/// and 500 without details for what no handler expected (the details go to the log).
struct ErrorMiddleware: RouterMiddleware {
  let pages: PageRenderer
  let log: @Sendable (String) -> Void

  func handle(
    _ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch {
      let problem = problem(for: error, path: request.uri.path)
      if request.uri.path.hasPrefix("/api/") || request.uri.path == "/api" {
        return try problem.response(from: request, context: context)
      }
      if problem.status == .unauthorized {
        let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let location = "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        return Response(status: .seeOther, headers: [.location: location])
      }
      var response = pages.errorPage(problem, user: context.user)
      response.headers.append(contentsOf: problem.headers)
      return response
    }
  }

  private func problem(for error: any Error, path: String) -> Problem {
    switch error {
    case let problem as Problem:
      return problem
    case let error as any HTTPResponseError where error.status == .contentTooLarge:
      return .tooLarge(limit: path == "/api/v1/runs" ? ReviewServer.maxRunUploadBytes : ReviewServer.maxCheckBodyBytes)
    case let error as any HTTPResponseError:
      let detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
      if error.status == .notFound { return .notFound(detail) }
      return Problem(
        status: error.status, kind: "http-\(error.status.code)", title: error.status.reasonPhrase, detail: detail)
    default:
      log("error: \(error)")
      return Problem(
        status: .internalServerError, kind: "internal", title: "Internal error",
        detail: "the server failed; see its log")
    }
  }
}

/// Headers every response carries: a Content-Security-Policy that allows only this server's own scripts and
/// styles (no inline script, no inline style, no plug-ins, no framing), no MIME sniffing, no referrer, no caching
/// of pages that show reviewers' data.
struct SecurityHeadersMiddleware: RouterMiddleware {
  static let contentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    + "frame-ancestors 'none'; base-uri 'none'"
  static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

  func handle(
    _ request: Request, context: ReviewContext, next: (Request, ReviewContext) async throws -> Response
  ) async throws -> Response {
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[Self.referrerPolicy] = "no-referrer"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }
}
