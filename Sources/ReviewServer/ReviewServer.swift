import ComplianceRules
import Foundation
import Hummingbird
import ListingParser
import Logging

/// `auditor serve`: the review queue (HTML pages) and the HTTP API (`/api/v1`) over one findings store.
///
/// Every route but `GET /api/v1/health` needs a user (a Bearer token, or a browser session from `/login`). The
/// middleware, outermost first: who is asking, one log line, errors as problem+json or pages, security headers.
public struct ReviewServer: Sendable {
  public struct Configuration: Sendable {
    public var host: String
    public var port: Int
    /// Failed sign-ins an address may make in `loginWindow` seconds before it gets 429.
    public var loginLimit: Int
    public var loginWindow: TimeInterval
    /// Where uploaded runs are unpacked and their databases' neighbours kept; nothing else is written.
    public var dataFolder: String
    /// Where the request log lines go (stderr by default).
    public var log: @Sendable (String) -> Void

    public init(
      host: String = "127.0.0.1", port: Int = 8080, loginLimit: Int = 5, loginWindow: TimeInterval = 15 * 60,
      dataFolder: String, log: @escaping @Sendable (String) -> Void = ReviewServer.standardError
    ) {
      self.host = host
      self.port = port
      self.loginLimit = loginLimit
      self.loginWindow = loginWindow
      self.dataFolder = dataFolder
      self.log = log
    }
  }

  /// The largest pre-check request (a feed record and its page): pages are rarely over 1 MiB.
  public static let maxCheckBodyBytes = 4 << 20
  /// The largest zip `POST /api/v1/runs` takes.
  public static let maxRunUploadBytes = 256 << 20
  /// The default and the largest `page_size` of the findings list.
  static let defaultPageSize = 50
  static let maxPageSize = 500

  let store: any ReviewStore
  let ruleSet: Ruleset
  let checker: ListingChecker
  let configuration: Configuration
  let pages: PageRenderer
  let sessions = SessionStore()
  let throttle: LoginThrottle
  let uploads: RunUploads

  public init(store: any ReviewStore, ruleSet: Ruleset, configuration: Configuration) throws {
    self.store = store
    self.ruleSet = ruleSet
    checker = ListingChecker(ruleSet: ruleSet)
    self.configuration = configuration
    pages = try PageRenderer()
    throttle = LoginThrottle(limit: configuration.loginLimit, window: configuration.loginWindow)
    uploads = RunUploads(folder: configuration.dataFolder, store: store, checker: checker)
  }

  public static let standardError: @Sendable (String) -> Void = { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// The routes and middleware, without a server: what tests drive and `application()` serves.
  public func router() -> Router<ReviewContext> {
    let router = Router(context: ReviewContext.self)
    router.addMiddleware {
      AuthenticationMiddleware(store: store, sessions: sessions, throttle: throttle)
      RequestLogMiddleware(log: configuration.log)
      ErrorMiddleware(pages: pages, log: configuration.log)
      SecurityHeadersMiddleware()
    }
    addAPIRoutes(to: router)
    addPageRoutes(to: router)
    return router
  }

  /// The server, which says `listening on http://HOST:PORT` on the log once it accepts connections.
  public func application() -> some ApplicationProtocol {
    let log = configuration.log
    let host = configuration.host
    return Application(
      router: router(),
      configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        log("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
      },
      logger: {
        var logger = Logger(label: "auditor.serve")
        logger.logLevel = .warning
        return logger
      }()
    )
  }

  /// Serves until SIGTERM or SIGINT, then lets the requests in flight finish and returns.
  public func run() async throws {
    try await application().runService()
  }
}
