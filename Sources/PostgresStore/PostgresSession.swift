import Foundation
import PostgresNIO

/// One PostgreSQL connection used from synchronous code: the store interface (`AuditStore`) is synchronous, and the
/// run loop calls it from plain threads.
///
/// The bridge is postgres-nio's EventLoopFuture API and `wait()`: the query runs on a NIO event-loop thread, and the
/// calling thread only sleeps on the future. Nothing is scheduled on Swift concurrency's cooperative pool, so a
/// caller that is itself on that pool (two threads on a 2-core machine) cannot starve the work it waits for, as
/// `Task` + semaphore would. `wait()` must never run on an event-loop thread (NIO traps when it does); no caller
/// of the store is one.
///
/// Queries are serialised behind a lock: a transaction's statements must not interleave with another thread's.
package final class PostgresSession: Sendable {
  let connection: PostgresConnection
  let logger: Logger
  package let url: PostgresURL
  private let lock = NSLock()

  private init(connection: PostgresConnection, url: PostgresURL, logger: Logger) {
    self.connection = connection
    self.url = url
    self.logger = logger
  }

  /// Connects on the process's shared event-loop group.
  package static func connect(_ url: PostgresURL) throws -> PostgresSession {
    let logger = Logger(label: "auditor.postgres")
    do {
      let connection = try PostgresConnection.connect(
        on: MultiThreadedEventLoopGroup.singleton.next(), configuration: try url.configuration(),
        id: Int.random(in: 1...Int.max), logger: logger
      ).wait()
      return PostgresSession(connection: connection, url: url, logger: logger)
    } catch let error as PSQLError {
      // PSQLError's description hides the server's message; say what it said, never the password.
      throw PostgresStoreError("cannot connect to \(url): \(PostgresQueue.message(error))")
    }
  }

  /// Closes the connection: the server drops the session's advisory locks with it.
  package func close() {
    try? connection.close().wait()
  }

  /// Runs one statement and returns its rows.
  @discardableResult
  package func query(_ query: PostgresQuery) throws -> [PostgresRow] {
    try lock.withLock { try unlocked(query) }
  }

  /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws), with no other thread's statement in between.
  package func transaction<T>(_ body: (_ query: Transaction) throws -> T) throws -> T {
    try lock.withLock {
      try unlocked("BEGIN")
      do {
        let result = try body(Transaction(run: unlocked))
        try unlocked("COMMIT")
        return result
      } catch {
        _ = try? unlocked("ROLLBACK")
        throw error
      }
    }
  }

  @discardableResult
  private func unlocked(_ query: PostgresQuery) throws -> [PostgresRow] {
    do {
      return try connection.query(query, logger: logger).wait().rows
    } catch let error as PSQLError {
      throw PostgresStoreError(PostgresQueue.message(error))
    }
  }

  /// Applies the migrations the database has not had yet (see `PostgresMigrations`).
  package func migrate() throws {
    try transaction { query in
      for statement in PostgresMigrations.preamble { try query(PostgresQuery(unsafeSQL: statement)) }
      let applied = Set(try query("SELECT name FROM schema_migrations").map { try $0.decode(String.self) })
      for statement in PostgresMigrations.pending(applied: applied) { try query(statement) }
    }
  }

  /// A transaction's statements: `query(sql)` runs one and returns its rows.
  package struct Transaction {
    let run: (PostgresQuery) throws -> [PostgresRow]

    @discardableResult
    package func callAsFunction(_ query: PostgresQuery) throws -> [PostgresRow] {
      try run(query)
    }
  }
}
