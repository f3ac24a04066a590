import Foundation
import GRDB
import ListingParser

/// Every run, listing, finding and input issue, in SQLite.
///
/// A run is `beginRun` (the run is `running`), then `record` once per listing, then `finishRun` (`complete`); a run
/// whose process dies before `finishRun` becomes `incomplete` (see `RunLock`). `record` buffers and writes whole
/// listings in batched transactions with cached statements, because a run can produce hundreds of thousands of
/// findings. The buffer sits behind a lock, so any thread may call any method; the queries write the buffer first,
/// so they see everything recorded so far.
///
/// If a write fails (a foreign key, a full disk) the method throws and that batch is dropped: treat the run as
/// failed.
public final class FindingsStore: Sendable {
  /// When `record` writes the buffer: after this many listings or this many rows, whichever comes first.
  public struct BatchLimits: Sendable, Hashable {
    public var listings: Int
    /// Listing, finding and input-issue rows together.
    public var rows: Int

    public init(listings: Int, rows: Int) {
      self.listings = listings
      self.rows = rows
    }

    /// A run's batch of listings (`AuditRun.defaultBatchSize`), so rows are written while the next batches are checked.
    /// Larger batches rewrite fewer index pages per row (each commit appends every page it touched to the WAL), and
    /// 2,000 listings measured ~10 % faster than 500 when the checking waited for each write. Written beside the
    /// checking (`StoreWriter`), what is left to write when the checking ends is what costs: with 2,000 the last
    /// batch and the run's status updates ran on one core after all else, and 5,000 listings kept 168–183 % of 2
    /// cores busy where 256 keeps 185–186 % (50,000 listings: 16.5 → 15.6 s).
    public static let `default` = BatchLimits(listings: AuditRun.defaultBatchSize, rows: 4_000)
  }

  /// A `DatabasePool` for files (WAL: readers never block the writer), a `DatabaseQueue` in memory or read-only.
  let writer: any DatabaseWriter
  /// The database file; nil in memory.
  let path: String?
  private let limits: BatchLimits
  private let pending = Locked(PendingBatch())
  /// The locks of the runs this store began and has not finished.
  private let runLocks = Locked([Int64: RunLock]())

  /// Opens the database at `path` to write, creating the file if missing (its folder must exist), applies any
  /// migrations it has not had yet and marks incomplete the runs whose process died. WAL, `synchronous=NORMAL`
  /// (no fsync per commit, still safe from corruption; a crash loses at most the last transactions of a run, which
  /// is rerun anyway) and foreign keys on.
  ///
  /// Several processes may write the same database: each write is a short transaction (a batch, a run's start or
  /// end), and a writer that finds the database locked waits for up to `busyTimeout` instead of failing.
  public convenience init(path: String, batchLimits: BatchLimits = .default) throws {
    var configuration = Self.configuration()
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA cache_size = \(-Self.writerCacheKiB)")
    }
    let pool = try Self.whileBusy { try DatabasePool(path: path, configuration: configuration) }
    try self.init(writer: pool, path: path, limits: batchLimits)
    try Self.migrate(writer)
    try markAbandonedRuns()
  }

  /// Opens an existing database only to read it (`auditor findings`, `diff`, `runs`), so a read-only file or
  /// folder does. A database in WAL mode needs its `-shm` file, which a read-only folder may not have and cannot
  /// get: then the file is opened `immutable` (SQLite reads it without any locking or `-shm`), which is right for
  /// a folder nobody can write to. A database an older `auditor` wrote is migrated first when the file is writable.
  public static func reading(path: String) throws -> FindingsStore {
    var store = try FindingsStore(writer: openReadOnly(path), path: path, limits: .default)
    if try !store.writer.read(Migrations.migrator.hasCompletedMigrations) {
      guard access(path, W_OK) == 0 else { throw FindingsStoreError.readOnlyOlderSchema(path) }
      _ = try FindingsStore(path: path)
      store = try FindingsStore(writer: openReadOnly(path), path: path, limits: .default)
    }
    return store
  }

  /// The writer's page cache (SQLite's default is 2 MiB). The finding indexes, fingerprint above all, take
  /// random inserts; once they outgrow the cache every batch spills and re-reads pages. 64 MiB measured about
  /// 10 % faster on 200k findings; memory is only taken as the database grows.
  private static let writerCacheKiB = 65_536

  /// How long a process waits for another one's write transaction. Transactions are short (a batch of at most
  /// `BatchLimits.rows` rows, or a run's review update), so a minute only runs out when something is stuck.
  static let busyTimeout: TimeInterval = 60

  /// Retries `open` while another process holds the lock it needs, for up to `busyTimeout`. Opening a pool sets
  /// `journal_mode = WAL`, which needs the database to itself and fails at once with "database is locked" instead
  /// of waiting in the busy handler, so two processes creating one database together need this.
  private static func whileBusy<T>(_ open: () throws -> T) throws -> T {
    let deadline = Date().addingTimeInterval(busyTimeout)
    while true {
      do {
        return try open()
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
        usleep(20_000)
      }
    }
  }

  private static func configuration() -> Configuration {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .timeout(busyTimeout)
    return configuration
  }

  private static func openReadOnly(_ path: String) throws -> DatabaseQueue {
    var configuration = Self.configuration()
    configuration.readonly = true
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      // The first read is where SQLite looks for the WAL index.
      _ = try queue.read { try $0.tableExists("run") }
      return queue
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
      // `file:` names are URIs where SQLite is built with SQLITE_USE_URI (Debian's and Apple's are).
      let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
      return try DatabaseQueue(path: "file:\(escaped)?mode=ro&immutable=1", configuration: configuration)
    }
  }

  /// A private database that lives as long as the store: for tests (a run without `--db` has no store).
  public static func inMemory(batchLimits: BatchLimits = .default) throws -> FindingsStore {
    let store = try FindingsStore(writer: DatabaseQueue(), path: nil, limits: batchLimits)
    try migrate(store.writer)
    return store
  }

  private init(writer: any DatabaseWriter, path: String?, limits: BatchLimits) throws {
    self.writer = writer
    self.path = path
    self.limits = limits
  }

  /// GRDB reads which migrations are applied before it takes the write lock for each one, so two processes that
  /// open a new (or older) database together can both start the same migration: the second fails (the table
  /// exists) once the first commits. Then it tries again, and sees that work done, as long as the other process is
  /// making progress; any other error is thrown.
  private static func migrate(_ writer: any DatabaseWriter) throws {
    let migrator = Migrations.migrator
    while true {
      let before = try writer.read(migrator.appliedIdentifiers)
      do {
        return try migrator.migrate(writer)
      } catch {
        guard try writer.read(migrator.appliedIdentifiers).count > before.count else { throw error }
      }
    }
  }

  /// Marks incomplete the runs left `running` by a process that is gone (`RunLock` says how that is told), and
  /// removes their lock files.
  private func markAbandonedRuns() throws {
    guard let path else { return }
    let running = try writer.read { db in
      try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE state = ?", arguments: [RunState.running])
    }
    let abandoned = running.filter { RunLock.isAbandoned(database: path, runID: $0) }
    guard !abandoned.isEmpty else { return }
    try writer.write { db in
      for runID in abandoned {
        try db.execute(
          sql: "UPDATE run SET state = ? WHERE id = ? AND state = ?",
          arguments: [RunState.incomplete, runID, RunState.running])
      }
    }
    for runID in abandoned { RunLock.remove(database: path, runID: runID) }
  }

  /// Starts a run and returns its id. `options` are the settings that change results, stored as a JSON object.
  /// The run is `running` until `finishRun`; its lock is taken before the row is committed, so no other process
  /// can see the row without the lock.
  public func beginRun(toolVersion: String, feeds: [String], options: [String: String]) throws -> Int64 {
    try flush()
    let run = RunRecord(startedAt: Date(), toolVersion: toolVersion, feeds: feeds, options: options)
    return try writer.write { db in
      var inserted = run
      try inserted.insert(db)
      let runID = db.lastInsertedRowID
      if let path {
        let lock = try RunLock(database: path, runID: runID)
        runLocks.withLock { $0[runID] = lock }
      }
      return runID
    }
  }

  /// Records one checked listing with its findings and input issues, and upserts its `listing` row.
  /// Each finding's `listingID` is stored as is; it should equal `listingID`.
  public func record(
    runID: Int64, listingID: String, contentHash: String, source: String, detailPage: String?,
    findings: [Finding], issues: [InputIssue]
  ) throws {
    let listing = PendingBatch.CheckedListing(
      runID: runID, listingID: listingID, contentHash: contentHash, source: source, detailPage: detailPage,
      findings: findings, issues: issues)
    try pending.withLock { batch in
      batch.append(.checked(listing))
      try writeIfFull(&batch)
    }
  }

  /// Input issues not tied to a checked listing (malformed feed lines, missing files…).
  public func record(runID: Int64, issues: [InputIssue]) throws {
    try pending.withLock { batch in
      batch.append(.issues(runID: runID, issues))
      try writeIfFull(&batch)
    }
  }

  /// Writes what is buffered, then closes the run: its counts, exit code and finish time.
  public func finishRun(
    _ runID: Int64, listingsChecked: Int, listingsSkipped: Int, findingsCount: Int, inputIssuesCount: Int,
    exitCode: Int32
  ) throws {
    try flush()
    try writer.write { db in
      guard var run = try RunRecord.fetchOne(db, key: runID) else { throw FindingsStoreError.unknownRun(runID) }
      run.finishedAt = Date()
      run.listingsChecked = listingsChecked
      run.listingsSkipped = listingsSkipped
      run.findingsCount = findingsCount
      run.inputIssuesCount = inputIssuesCount
      run.exitCode = exitCode
      run.state = .complete
      try run.update(db)
    }
    // After the commit: until then a process that found the lock free could take the run for abandoned.
    runLocks.withLock { $0.removeValue(forKey: runID) }?.release()
  }

  /// Writes what `record` has buffered.
  public func flush() throws {
    try pending.withLock { batch in try write(&batch) }
  }

  private func writeIfFull(_ batch: inout PendingBatch) throws {
    if batch.isFull(limits) { try write(&batch) }
  }

  /// Empties the buffer before writing, so a failed batch is not retried by every later call.
  private func write(_ batch: inout PendingBatch) throws {
    guard !batch.isEmpty else { return }
    let full = batch
    batch = PendingBatch()
    try writer.write { db in try BatchWriter.write(full, db) }
    if let pause = Self.testPauseAfterBatch { Thread.sleep(forTimeInterval: pause) }
  }

  /// Seconds to sleep after each batch is committed (outside any transaction), read from
  /// `AUDITOR_TEST_PAUSE_AFTER_BATCH`: lets the end-to-end tests kill a run while it is `running` with rows stored.
  /// Unset in normal use.
  private static let testPauseAfterBatch = ProcessInfo.processInfo.environment["AUDITOR_TEST_PAUSE_AFTER_BATCH"]
    .flatMap(TimeInterval.init)
}

package enum FindingsStoreError: Error, Equatable, CustomStringConvertible {
  /// `finishRun` was given an id `beginRun` did not return.
  case unknownRun(Int64)
  /// A read-only database written by an older `auditor`: its schema lacks what the queries read, and it cannot be
  /// migrated.
  case readOnlyOlderSchema(String)

  public var description: String {
    switch self {
    case .unknownRun(let runID): "no run \(runID) in the database"
    case .readOnlyOlderSchema(let path):
      "\(path) was written by an older auditor and is read-only: make it writable once so it can be upgraded"
    }
  }
}
