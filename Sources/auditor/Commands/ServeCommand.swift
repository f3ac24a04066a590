import ArgumentParser
import ComplianceRules
import Foundation
import PostgresStore
import ReviewServer

/// `auditor serve`: the web review queue and the HTTP API over a findings database (see README, "Review service").
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the review queue (web pages) and the HTTP API over the database.",
    discussion: """
      Every route but /api/v1/health needs a user: make one with `auditor users add NAME --role ROLE`. Stops \
      cleanly on SIGTERM or SIGINT.
      """)

  @OptionGroup var database: FindingsCommand.DatabaseOption
  @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
  @Option(help: "The port to listen on (0: any free port, printed on stderr).") var port: Int = 8080
  @OptionGroup var rules: RuleOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  func run() throws {
    let ruleSet = try rules.load()
    // Created if missing, so a server can start before the first run; CLI runs may write it while it serves.
    let store = try StoreLocation.openForReview(database.db)
    // Uploaded runs are unpacked beside a SQLite file; with PostgreSQL, in the folder the server runs in.
    let folder =
      PostgresURL.isPostgres(database.db)
      ? FileManager.default.currentDirectoryPath : URL(fileURLWithPath: database.db).deletingLastPathComponent().path
    let server = try ReviewServer(
      store: store, ruleSet: ruleSet,
      configuration: .init(host: host, port: port, dataFolder: folder))
    let outcome = BlockingResult()
    let task = Task.detached {
      do { try await server.run() } catch { outcome.error = error }
      outcome.done.signal()
    }
    outcome.done.wait()
    _ = task
    if let error = outcome.error { throw error }
  }
}

/// Carries the server's end back to the synchronous command (the root command is not async).
private final class BlockingResult: @unchecked Sendable {
  let done = DispatchSemaphore(value: 0)
  /// Written once by the server task before `done` is signalled, read after.
  var error: (any Error)?
}
