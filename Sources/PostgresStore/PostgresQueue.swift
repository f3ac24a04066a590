import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// The shared store and job queue in one PostgreSQL database (see `QueueStore` for the protocol, README
/// "Deployment" for the design). One connection per process: a worker's queries are few and batched (a claim and a
/// finalize per batch), so a pool would only add connections to the server.
public final class PostgresQueue: QueueStore {
  let connection: PostgresConnection
  let logger: Logger
  public let url: PostgresURL
  /// The channel `enqueue`, `release` and `rescueExpired` notify when jobs become pending.
  public static let channel = "auditor_jobs"

  private init(connection: PostgresConnection, url: PostgresURL, logger: Logger) {
    self.connection = connection
    self.url = url
    self.logger = logger
  }

  /// Connects and applies the migrations the database has not had yet.
  public static func open(_ url: PostgresURL) async throws -> PostgresQueue {
    let logger = Logger(label: "auditor.postgres")
    let queue = PostgresQueue(connection: try await connect(url, logger: logger), url: url, logger: logger)
    try await queue.migrate()
    return queue
  }

  static func connect(_ url: PostgresURL, logger: Logger) async throws -> PostgresConnection {
    do {
      return try await PostgresConnection.connect(
        configuration: try url.configuration(), id: Int.random(in: 1...Int.max), logger: logger)
    } catch let error as PSQLError {
      // PSQLError's description hides the server's message; say what it said, never the password.
      throw PostgresStoreError("cannot connect to \(url): \(Self.message(error))")
    }
  }

  public func close() async {
    try? await connection.close()
  }

  /// Applies missing migrations, one transaction each, under an advisory lock so that workers starting together
  /// do not race to create the same tables.
  private func migrate() async throws {
    try await connection.withTransaction(logger: logger) { db in
      for statement in PostgresMigrations.preamble {
        try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger)
      }
      var applied: Set<String> = []
      for try await name in try await db.query("SELECT name FROM schema_migrations", logger: logger)
        .decode(String.self)
      {
        applied.insert(name)
      }
      for statement in PostgresMigrations.pending(applied: applied) {
        try await db.query(statement, logger: logger)
      }
    }
  }

  /// The migrations applied, in order: for tests.
  public func appliedMigrations() async throws -> [String] {
    var names: [String] = []
    for try await name in try await connection.query(
      "SELECT name FROM schema_migrations ORDER BY name", logger: logger
    ).decode(String.self) {
      names.append(name)
    }
    return names
  }

  /// Runs `body` in a transaction, turning PostgreSQL's errors into messages that say what the server said.
  func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
    do {
      return try await connection.withTransaction(logger: logger) { try await body($0) }
    } catch let error as PostgresTransactionError {
      let cause = error.closureError ?? error.beginError ?? error.commitError ?? error
      if let psql = cause as? PSQLError { throw PostgresStoreError(Self.message(psql)) }
      throw cause
    }
  }

  static func message(_ error: PSQLError) -> String {
    if let server = error.serverInfo, let message = server[.message] {
      return "\(server[.sqlState] ?? "") \(message)"
    }
    return "\(error.code)"
  }

  static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

  static func json<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  // MARK: Runs and jobs

  public func beginRun(toolVersion: String, feeds: [String], options: [String: String]) async throws -> Int64 {
    let (feeds, options) = (try Self.json(feeds), try Self.json(options))
    return try await transaction { db in
      let rows = try await db.query(
        """
        INSERT INTO run (started_at, tool_version, feeds, options, state, sealed)
        VALUES (\(Self.now()), \(toolVersion), \(feeds), \(options), 'running', false) RETURNING id
        """, logger: logger)
      for try await id in rows.decode(Int64.self) { return id }
      throw PostgresStoreError("the new run has no id")
    }
  }

  public func enqueue(runID: Int64, jobs: [NewJob]) async throws {
    guard !jobs.isEmpty else { return }
    var (seqs, ids, files, lines, records, columns) = ([Int](), [String](), [String](), [Int](), [String](), [Int]())
    var (paths, pages, issues, formats) = ([String](), [String](), [String](), [String]())
    for job in jobs {
      ids.append(job.listingID)
      files.append(job.file)
      lines.append(job.line)
      // bytea travels as hex text inside the array: one parameter for the whole batch.
      records.append(Self.hex(job.record.bytes))
      columns.append(job.record.column)
      formats.append(job.record.format.rawValue)
      paths.append(job.pagePath)
      pages.append(job.page.map(Self.hex) ?? "")
      issues.append(try Self.json(job.pageIssues))
    }
    try await transaction { db in
      // The run's next sequence numbers keep feed order across the batches of one `queue add`.
      var base = 0
      for try await last in try await db.query(
        "SELECT COALESCE(MAX(seq), 0) FROM job WHERE run_id = \(runID)", logger: logger
      ).decode(Int.self) {
        base = last
      }
      seqs = Array(base + 1...base + jobs.count)
      try await db.query(
        """
        INSERT INTO job (run_id, seq, listing_id, record_file, record_line, record, record_column, record_format,
          page_path, page, page_issues, max_attempts)
        SELECT \(runID), s, l, f, ln, decode(r, 'hex'), c, rf, p,
          CASE WHEN pg = '' THEN NULL ELSE decode(pg, 'hex') END, i, \(Self.maxAttempts)
        FROM unnest(\(seqs)::int8[], \(ids)::text[], \(files)::text[], \(lines)::int8[], \(records)::text[],
          \(columns)::int8[], \(formats)::text[], \(paths)::text[], \(pages)::text[], \(issues)::text[])
          AS t(s, l, f, ln, r, c, rf, p, pg, i)
        """, logger: logger)
      try await db.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
    }
  }

  /// How many times a job is tried before it is `failed` (`AUDITOR_MAX_ATTEMPTS`, default 3).
  static let maxAttempts = ProcessInfo.processInfo.environment["AUDITOR_MAX_ATTEMPTS"].flatMap(Int.init) ?? 3

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  public func record(runID: Int64, issues: [InputIssue]) async throws {
    guard !issues.isEmpty else { return }
    try await transaction { db in try await Self.insert(issues: issues, runIDs: issues.map { _ in runID }, db, logger) }
  }

  static func insert(issues: [InputIssue], runIDs: [Int64], _ db: PostgresConnection, _ logger: Logger) async throws {
    guard !issues.isEmpty else { return }
    try await db.query(
      """
      INSERT INTO input_issue (run_id, kind, file, line, listing_id, message)
      SELECT r, k, f, l, NULLIF(i, ''), m FROM unnest(\(runIDs)::int8[], \(issues.map(\.kind.rawValue))::text[],
        \(issues.map(\.file))::text[], \(issues.map(\.line))::int8[], \(issues.map { $0.listingID ?? "" })::text[],
        \(issues.map(\.message))::text[]) WITH ORDINALITY AS t(r, k, f, l, i, m, n) ORDER BY n
      """, logger: logger)
  }

  public func seal(runID: Int64) async throws {
    try await transaction { db in
      try await db.query("UPDATE run SET sealed = true WHERE id = \(runID)", logger: logger)
    }
    try await completeRuns([runID])
  }

  /// Marks complete the runs of `runIDs` that are sealed and have no pending or leased job, with their totals, and
  /// applies each one's findings to the review lifecycle in the same transaction, as `auditor check` does after
  /// its run: a fleet run fixes and re-opens findings too. Called after the transaction that finished jobs
  /// commits: of two workers finishing a run's last jobs at once, the later call sees both commits (a check inside
  /// either transaction could see neither); the `state = 'running'` condition lets only one of them complete it.
  func completeRuns(_ runIDs: [Int64]) async throws {
    guard !runIDs.isEmpty else { return }
    try await transaction { db in
      let completed = try await db.query(
        """
        UPDATE run SET state = 'complete', finished_at = \(Self.now()),
          listings_checked = (SELECT count(*) FROM job WHERE job.run_id = run.id AND job.state = 'done'),
          findings_count = (SELECT count(*) FROM finding WHERE finding.run_id = run.id),
          input_issues_count = (SELECT count(*) FROM input_issue WHERE input_issue.run_id = run.id),
          exit_code = CASE WHEN EXISTS (SELECT 1 FROM finding WHERE finding.run_id = run.id AND severity = 'error')
            THEN 1 ELSE 0 END
        WHERE id = ANY(\(runIDs)::int8[]) AND state = 'running' AND sealed
          AND NOT EXISTS (SELECT 1 FROM job WHERE job.run_id = run.id AND job.state IN ('pending', 'leased'))
        RETURNING id
        """, logger: logger)
      var runs: [Int64] = []
      for try await runID in completed.decode(Int64.self) { runs.append(runID) }
      // Oldest first, as the runs of `auditor check` update the lifecycle one after the other.
      for runID in runs.sorted() {
        for statement in PostgresLifecycle.updateStatuses(runID: runID, today: AuditRun.today(), now: Self.now()) {
          try await db.query(statement, logger: logger)
        }
      }
    }
  }

  public func register(worker: WorkerIdentity) async throws {
    try await transaction { db in
      try await db.query(
        """
        INSERT INTO worker (id, host, pid) VALUES (\(worker.id), \(worker.host), \(worker.pid))
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
        """, logger: logger)
    }
  }

  public func unregister(worker: WorkerIdentity) async throws {
    try await transaction { db in
      try await db.query("UPDATE worker SET stopped_at = now() WHERE id = \(worker.id)", logger: logger)
    }
  }
}

/// A PostgreSQL error, with what the server said.
public struct PostgresStoreError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
