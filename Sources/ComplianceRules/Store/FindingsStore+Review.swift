import Foundation
import GRDB
import ListingParser

/// What `auditor serve` reads and writes: the review queue a page at a time, facet counts, one finding with its
/// version, decisions that only apply to the version the reviewer saw, batch decisions over a filter, and the
/// reviewers' verdicts per rule.
///
/// A finding's version is the id of its fingerprint's newest decision (0 before any): decisions are only appended,
/// so every status change, a reviewer's or `auditor`'s own, gives a new version, and no column has to be kept in
/// step. A decision compares the version and appends in one `IMMEDIATE` transaction, so of two reviewers who saw
/// the same version only the first one's decision is taken, whichever process they went through.
extension FindingsStore: ReviewStore {
  /// The names they had before `ReviewStore`.
  public typealias ReviewItem = ComplianceRules.ReviewItem
  public typealias FacetCount = ComplianceRules.FacetCount
  public typealias PagePosition = ComplianceRules.PagePosition

  /// The run a filter reads: its own, else the newest complete one; nil when there is none.
  public func run(for filter: ReviewFilter) throws -> Int64? {
    if let runID = filter.runID { return runID }
    return try lastCompleteRunID()
  }

  /// Up to `limit` findings of `run` that match `filter`, after `position`, in a stable order (the order the run
  /// recorded them), and the position of the last one returned when more may follow.
  public func reviewPage(
    _ filter: ReviewFilter, run: Int64, after position: PagePosition?, limit: Int
  ) throws -> (items: [ReviewItem], next: PagePosition?) {
    try flush()
    let (condition, arguments) = filter.condition(run: run)
    let items = try writer.read { db in
      try Row.fetchAll(
        db,
        sql: """
          \(Self.itemSelect) WHERE \(condition) AND finding.id > ? ORDER BY finding.id LIMIT ?
          """,
        arguments: arguments + [position ?? 0, limit + 1]
      ).map(Self.item)
    }
    guard items.count > limit else { return (items, nil) }
    let page = Array(items.prefix(limit))
    return (page, page.last?.rowID)
  }

  /// How many findings of `run` match `filter`.
  public func reviewCount(_ filter: ReviewFilter, run: Int64) throws -> Int {
    try flush()
    let (condition, arguments) = filter.condition(run: run)
    // The status join only when the filter reads the status: on a large run it is most of the count's time.
    let join = filter.status == nil ? "" : Self.statusJoin
    return try writer.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding \(join) WHERE \(condition)", arguments: arguments) ?? 0
    }
  }

  /// For each of area, rule, severity and status: the values the findings matching `filter` have, with counts,
  /// most frequent first.
  public func reviewFacets(_ filter: ReviewFilter, run: Int64) throws -> [String: [FacetCount]] {
    try flush()
    let (condition, arguments) = filter.condition(run: run)
    let keys = [
      "area": "finding.area", "rule": "finding.rule_id", "severity": "finding.severity",
      "status": "IFNULL(fs.status, 'open')",
    ]
    return try writer.read { db in
      try keys.mapValues { expression in
        try Row.fetchAll(
          db,
          sql: """
            SELECT \(expression), COUNT(*) FROM finding \(Self.statusJoin) WHERE \(condition)
            GROUP BY 1 ORDER BY 2 DESC, 1
            """,
          arguments: arguments
        ).map { FacetCount(value: $0[0], count: $0[1]) }
      }
    }
  }

  /// The finding whose fingerprint starts with `idPrefix` (8 or more characters, as `auditor findings` prints
  /// ids), as the newest run that reported it has it; nil when no fingerprint or more than one starts so.
  public func reviewItem(idPrefix: String) throws -> ReviewItem? {
    let prefix = idPrefix.lowercased()
    guard prefix.count >= 8, prefix.allSatisfy(\.isHexDigit) else { return nil }
    try flush()
    return try writer.read { db in
      // Fingerprints are hex, so every one that starts with the prefix sorts between it and the prefix + "g".
      let matches = try String.fetchAll(
        db,
        sql: "SELECT DISTINCT fingerprint FROM finding WHERE fingerprint >= ? AND fingerprint < ? LIMIT 2",
        arguments: [prefix, prefix + "g"])
      guard matches.count == 1 else { return nil }
      return try Row.fetchOne(
        db, sql: "\(Self.itemSelect) WHERE finding.fingerprint = ? ORDER BY finding.id DESC LIMIT 1",
        arguments: [matches[0]]
      ).map(Self.item)
    }
  }

  /// The decisions on a fingerprint, newest first.
  public func decisions(fingerprint: String) throws -> [DecisionRecord] {
    try writer.read { db in
      try DecisionRecord
        .filter(DecisionRecord.Columns.fingerprint == fingerprint)
        .order(DecisionRecord.Columns.id.desc)
        .fetchAll(db)
    }
  }

  /// Records a reviewer's decision on a fingerprint if its version is still `expectedVersion`, and returns the new
  /// version; throws `ReviewError.stale` with the current version when someone decided meanwhile.
  public func decide(
    fingerprint: String, expectedVersion: Int64, to status: FindingStatus, reason: String?, until: String?,
    by user: String
  ) throws -> Int64 {
    let now = ISO8601DateFormatter().string(from: Date())
    return try immediateWrite { db in
      let current = try Self.version(of: fingerprint, db)
      guard current == expectedVersion else { throw ReviewError.stale(current: current) }
      return try Self.appendDecision(fingerprint, status, reason: reason, until: until, by: user, at: now, db)
    }
  }

  /// Decides every finding of `run` that matches `filter`, if they are still `expectedCount` (what the reviewer
  /// was shown), and returns how many fingerprints were decided; throws `ReviewError.countChanged` otherwise.
  /// Findings that share a fingerprint get one decision.
  public func decideAll(
    _ filter: ReviewFilter, run: Int64, expectedCount: Int, to status: FindingStatus, reason: String?,
    until: String?, by user: String
  ) throws -> Int {
    try flush()
    let now = ISO8601DateFormatter().string(from: Date())
    let (condition, arguments) = filter.condition(run: run)
    return try immediateWrite { db in
      let count =
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM finding \(Self.statusJoin) WHERE \(condition)", arguments: arguments) ?? 0
      guard count == expectedCount else { throw ReviewError.countChanged(actual: count) }
      let fingerprints = try String.fetchAll(
        db,
        sql: """
          SELECT DISTINCT finding.fingerprint FROM finding \(Self.statusJoin) WHERE \(condition)
          ORDER BY finding.fingerprint
          """,
        arguments: arguments)
      for fingerprint in fingerprints {
        _ = try Self.appendDecision(fingerprint, status, reason: reason, until: until, by: user, at: now, db)
      }
      return fingerprints.count
    }
  }

  /// rule id → how many fingerprints of the rule reviewers have given a verdict (accepted, waived or false
  /// positive) and how many of those are false positives.
  public func ruleVerdicts() throws -> [String: (decided: Int, falsePositive: Int)] {
    try writer.read { db in
      var verdicts: [String: (decided: Int, falsePositive: Int)] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT rule.rule_id, COUNT(*), SUM(fs.status = 'false_positive')
          FROM finding_status fs
          JOIN (SELECT DISTINCT fingerprint, rule_id FROM finding) rule ON rule.fingerprint = fs.fingerprint
          WHERE fs.status IN ('accepted', 'waived', 'false_positive')
          GROUP BY rule.rule_id
          """)
      while let row = try rows.next() {
        verdicts[row[0]] = (row[1], row[2])
      }
      return verdicts
    }
  }

  // MARK: - Users

  /// Adds a user, or gives a revoked one a new role and token; throws `ReviewError.userExists` for an active one.
  public func addUser(name: String, role: ReviewRole, tokenHash: String) throws {
    let now = ISO8601DateFormatter().string(from: Date())
    try writer.write { db in
      if let existing = try ReviewUser.fetchOne(db, key: name), existing.revokedAt == nil {
        throw ReviewError.userExists(name)
      }
      try ReviewUser(name: name, role: role, tokenHash: tokenHash, createdAt: now).save(db)
    }
  }

  /// Every user, active or revoked, by name.
  public func reviewUsers() throws -> [ReviewUser] {
    try writer.read { db in try ReviewUser.order(Column("name")).fetchAll(db) }
  }

  /// Stops a user from signing in; throws `ReviewError.unknownUser` when no active user has the name.
  public func revokeUser(name: String) throws {
    let now = ISO8601DateFormatter().string(from: Date())
    try writer.write { db in
      try db.execute(
        sql: "UPDATE review_user SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [now, name])
      guard db.changesCount == 1 else { throw ReviewError.unknownUser(name) }
    }
  }

  /// The active user whose token hashes to `tokenHash`.
  public func reviewUser(tokenHash: String) throws -> ReviewUser? {
    try writer.read { db in
      try ReviewUser.filter(sql: "token_hash = ? AND revoked_at IS NULL", arguments: [tokenHash]).fetchOne(db)
    }
  }

  // MARK: - SQL

  private static let statusJoin = "LEFT JOIN finding_status fs ON fs.fingerprint = finding.fingerprint"

  private static let itemSelect = """
    SELECT finding.*, IFNULL(fs.status, 'open') AS review_status, fs.reason AS review_reason,
      fs.until AS review_until, fs.changed_by AS review_by, fs.changed_at AS review_at,
      IFNULL((SELECT MAX(decision.id) FROM decision WHERE decision.fingerprint = finding.fingerprint), 0)
        AS review_version
    FROM finding \(statusJoin)
    """

  private static func item(_ row: Row) throws -> ReviewItem {
    let record = try FindingRecord(row: row)
    return ReviewItem(
      runID: record.runID, finding: record.finding,
      status: FindingStatus(rawValue: row["review_status"]) ?? .open, reason: row["review_reason"],
      until: row["review_until"], changedBy: row["review_by"], changedAt: row["review_at"],
      version: row["review_version"], rowID: record.id ?? 0)
  }

  private static func version(of fingerprint: String, _ db: Database) throws -> Int64 {
    try Int64.fetchOne(
      db, sql: "SELECT IFNULL(MAX(id), 0) FROM decision WHERE fingerprint = ?", arguments: [fingerprint]) ?? 0
  }

  /// Appends a decision and updates the fingerprint's status row (made here for a fingerprint no finished run
  /// has given one yet); returns the decision's id, the fingerprint's new version.
  private static func appendDecision(
    _ fingerprint: String, _ status: FindingStatus, reason: String?, until: String?, by user: String, at now: String,
    _ db: Database
  ) throws -> Int64 {
    var current = try FindingStatusRecord.fetchOne(db, key: fingerprint)
    if current == nil {
      guard
        let lastRun = try Int64.fetchOne(
          db, sql: "SELECT MAX(run_id) FROM finding WHERE fingerprint = ?", arguments: [fingerprint])
      else { throw ReviewError.unknownFinding(fingerprint) }
      current = FindingStatusRecord(fingerprint: fingerprint, status: .open, firstRun: lastRun, lastRun: lastRun)
      try current!.insert(db)
    }
    try db.execute(
      sql: """
        INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [fingerprint, current!.lastRun, current!.status, status, reason, until, user, now])
    let version = db.lastInsertedRowID
    try db.execute(
      sql: """
        UPDATE finding_status SET status = ?, reason = ?, until = ?, changed_by = ?, changed_at = ?
        WHERE fingerprint = ?
        """,
      arguments: [status, reason, until, user, now, fingerprint])
    return version
  }

  /// Runs `work` in an `IMMEDIATE` transaction: it takes the write lock before its first read, so what it read
  /// cannot change before it writes, even from another process.
  private func immediateWrite<T>(_ work: (Database) throws -> T) throws -> T {
    try writer.writeWithoutTransaction { db in
      var result: T?
      try db.inTransaction(.immediate) {
        result = try work(db)
        return .commit
      }
      return result!
    }
  }
}

/// Why a review write was refused.
public enum ReviewError: Error, Equatable, CustomStringConvertible {
  /// The finding changed since the version the reviewer saw.
  case stale(current: Int64)
  /// A batch's filter no longer matches the number of findings the reviewer was shown.
  case countChanged(actual: Int)
  case unknownFinding(String)
  case userExists(String)
  case unknownUser(String)

  public var description: String {
    switch self {
    case .stale(let current): "the finding was decided meanwhile (its version is now \(current)): reload it"
    case .countChanged(let actual): "the filter now matches \(actual) findings: review the count again"
    case .unknownFinding(let fingerprint): "no finding has the fingerprint \(fingerprint)"
    case .userExists(let name): "a user named '\(name)' exists: revoke it first to give it a new token"
    case .unknownUser(let name): "no active user is named '\(name)'"
    }
  }
}
