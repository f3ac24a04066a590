import ComplianceRules
import Hummingbird
import NIOCore

/// What a request carries through the middleware to its handler: who is asking and through which session.
public struct ReviewContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The signed-in user; nil until `AuthenticationMiddleware` finds one.
  var user: ReviewUser?
  /// The browser session the user came in by; nil for a Bearer token (which needs no CSRF token: a browser never
  /// sends it by itself).
  var session: SessionStore.Session?
  /// The peer's IP address, which failed logins are counted by.
  let clientAddress: String

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
  }

  /// Room for a pre-check's page; `POST /api/v1/runs` reads its upload with its own larger limit.
  public var maxUploadSize: Int { ReviewServer.maxCheckBodyBytes }

  /// The user, or 401.
  func requireUser() throws -> ReviewUser {
    guard let user else { throw Problem.unauthorized }
    return user
  }

  /// The user when their role is at least `role`: 401 without a user, 403 with too small a role.
  func require(_ role: ReviewRole) throws -> ReviewUser {
    let user = try requireUser()
    guard user.role >= role else { throw Problem.forbidden(role) }
    return user
  }
}
