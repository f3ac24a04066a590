import Foundation
import GRDB
import ListingParser

/// Every run, listing, finding and input issue, in SQLite.
///
/// A run is `beginRun`, then `record` once per listing, then `finishRun`. `record` buffers and writes whole
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

    /// Larger batches rewrite fewer index pages per row (each commit appends every page it touched to the WAL):
    /// 2,000 listings measured ~10 % faster than 500 on 200k findings, for ~15 MB of buffered findings at most.
    public static let `default` = BatchLimits(listings: 2_000, rows: 20_000)
  }

  /// A `DatabasePool` for files (WAL: readers never block the writer), a `DatabaseQueue` in memory.
  let writer: any DatabaseWriter
  private let limits: BatchLimits
  private let pending = Locked(PendingBatch())

  /// Opens the database at `path`, creating the file if missing (its folder must exist), and applies any
  /// migrations it has not had yet. WAL, `synchronous=NORMAL` (no fsync per commit, still safe from corruption;
  /// a crash loses at most the last transactions of a run, which is rerun anyway) and foreign keys on.
  public convenience init(path: String, batchLimits: BatchLimits = .default) throws {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      if !db.configuration.readonly {
        try db.execute(sql: "PRAGMA cache_size = \(-Self.writerCacheKiB)")
      }
    }
    try self.init(writer: DatabasePool(path: path, configuration: configuration), limits: batchLimits)
  }

  /// The writer's page cache (SQLite's default is 2 MiB). The finding indexes, fingerprint above all, take
  /// random inserts; once they outgrow the cache every batch spills and re-reads pages. 64 MiB measured about
  /// 10 % faster on 200k findings; memory is only taken as the database grows.
  private static let writerCacheKiB = 65_536

  /// A private database that lives as long as the store: for tests (a run without `--db` has no store).
  public static func inMemory(batchLimits: BatchLimits = .default) throws -> FindingsStore {
    try FindingsStore(writer: DatabaseQueue(), limits: batchLimits)
  }

  private init(writer: any DatabaseWriter, limits: BatchLimits) throws {
    self.writer = writer
    self.limits = limits
    try Migrations.migrator.migrate(writer)
  }

  /// Starts a run and returns its id. `options` are the settings that change results, stored as a JSON object.
  public func beginRun(toolVersion: String, feeds: [String], options: [String: String]) throws -> Int64 {
    try flush()
    let run = RunRecord(startedAt: Date(), toolVersion: toolVersion, feeds: feeds, options: options)
    return try writer.write { db in
      var inserted = run
      try inserted.insert(db)
      return db.lastInsertedRowID
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
      try run.update(db)
    }
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
  }
}

public enum FindingsStoreError: Error, Equatable {
  /// `finishRun` was given an id `beginRun` did not return.
  case unknownRun(Int64)
}
