import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// What `auditor serve` and `auditor users` read and write (`ReviewStore`), as the SQLite store's
/// (`FindingsStore+Review.swift`). A decision compares the finding's version and appends under
/// `PostgresLifecycle.lock`, the lock every writer of `finding_status` takes, so of two reviewers who saw the same
/// version only the first one's decision is taken, whichever process they went through.
extension PostgresAuditStore: ReviewStore {
  public func run(for filter: ReviewFilter) throws -> Int64? {
    if let runID = filter.runID { return runID }
    return try lastCompleteRunID()
  }

  public func reviewPage(_ filter: ReviewFilter, run: Int64, after position: PagePosition?, limit: Int) throws
    -> (items: [ReviewItem], next: PagePosition?)
  {
    try flush()
    var condition = ReviewCondition(filter, run: run)
    let after = condition.bind(position ?? 0)
    let count = condition.bind(limit + 1)
    let items = try session.query(
      condition.query(
        "\(Self.itemSelect) WHERE \(condition.sql) AND finding.id > \(after) ORDER BY finding.id LIMIT \(count)")
    ).map(Self.item)
    guard items.count > limit else { return (items, nil) }
    let page = Array(items.prefix(limit))
    return (page, page.last?.rowID)
  }

  public func reviewCount(_ filter: ReviewFilter, run: Int64) throws -> Int {
    try flush()
    let condition = ReviewCondition(filter, run: run)
    return try session.query(
      condition.query("SELECT count(*) FROM finding \(Self.statusJoin) WHERE \(condition.sql)")
    ).first?.decode(Int.self) ?? 0
  }

  public func reviewFacets(_ filter: ReviewFilter, run: Int64) throws -> [String: [FacetCount]] {
    try flush()
    let condition = ReviewCondition(filter, run: run)
    let keys = [
      "area": "finding.area", "rule": "finding.rule_id", "severity": "finding.severity",
      "status": "COALESCE(fs.status, 'open')",
    ]
    return try keys.mapValues { expression in
      try session.query(
        condition.query(
          """
          SELECT \(expression), count(*) FROM finding \(Self.statusJoin) WHERE \(condition.sql)
          GROUP BY 1 ORDER BY 2 DESC, \(expression) COLLATE "C"
          """)
      ).map { row in
        let (value, count) = try row.decode((String, Int).self)
        return FacetCount(value: value, count: count)
      }
    }
  }

  public func reviewItem(idPrefix: String) throws -> ReviewItem? {
    let prefix = idPrefix.lowercased()
    guard prefix.count >= 8, prefix.allSatisfy(\.isHexDigit) else { return nil }
    try flush()
    // Fingerprints are hex, so every one that starts with the prefix sorts between it and the prefix + "g".
    let matches = try session.query(
      """
      SELECT DISTINCT fingerprint FROM finding
      WHERE fingerprint COLLATE "C" >= \(prefix) AND fingerprint COLLATE "C" < \(prefix + "g") LIMIT 2
      """
    ).map { try $0.decode(String.self) }
    guard matches.count == 1 else { return nil }
    return try session.query(
      "\(unescaped: Self.itemSelect) WHERE finding.fingerprint = \(matches[0]) ORDER BY finding.id DESC LIMIT 1"
    ).first.map(Self.item)
  }

  public func decisions(fingerprint: String) throws -> [DecisionRecord] {
    try session.query(
      """
      SELECT id, run_id, from_status, to_status, reason, until, decided_by, decided_at FROM decision
      WHERE fingerprint = \(fingerprint) ORDER BY id DESC
      """
    ).map { try Self.decision($0, fingerprint: fingerprint) }
  }

  public func decide(
    fingerprint: String, expectedVersion: Int64, to status: FindingStatus, reason: String?, until: String?,
    by user: String
  ) throws -> Int64 {
    let now = PostgresQueue.now()
    return try session.transaction { query in
      try query(PostgresLifecycle.lock)
      let current =
        try query("SELECT COALESCE(MAX(id), 0) FROM decision WHERE fingerprint = \(fingerprint)").first?.decode(
          Int64.self) ?? 0
      guard current == expectedVersion else { throw ReviewError.stale(current: current) }
      return try Self.appendDecision(fingerprint, status, reason: reason, until: until, by: user, at: now, query)
    }
  }

  public func decideAll(
    _ filter: ReviewFilter, run: Int64, expectedCount: Int, to status: FindingStatus, reason: String?,
    until: String?, by user: String
  ) throws -> Int {
    try flush()
    let now = PostgresQueue.now()
    let condition = ReviewCondition(filter, run: run)
    return try session.transaction { query in
      try query(PostgresLifecycle.lock)
      let count =
        try query(condition.query("SELECT count(*) FROM finding \(Self.statusJoin) WHERE \(condition.sql)"))
        .first?.decode(Int.self) ?? 0
      guard count == expectedCount else { throw ReviewError.countChanged(actual: count) }
      let fingerprints = try query(
        condition.query(
          """
          SELECT DISTINCT finding.fingerprint FROM finding \(Self.statusJoin) WHERE \(condition.sql)
          ORDER BY finding.fingerprint
          """)
      ).map { try $0.decode(String.self) }
      for fingerprint in fingerprints {
        _ = try Self.appendDecision(fingerprint, status, reason: reason, until: until, by: user, at: now, query)
      }
      return fingerprints.count
    }
  }

  public func ruleVerdicts() throws -> [String: (decided: Int, falsePositive: Int)] {
    var verdicts: [String: (decided: Int, falsePositive: Int)] = [:]
    for row in try session.query(
      """
      SELECT rule.rule_id, count(*), count(*) FILTER (WHERE fs.status = 'false_positive')
      FROM finding_status fs
      JOIN (SELECT DISTINCT fingerprint, rule_id FROM finding) rule ON rule.fingerprint = fs.fingerprint
      WHERE fs.status IN ('accepted', 'waived', 'false_positive')
      GROUP BY rule.rule_id
      """)
    {
      let (rule, decided, falsePositive) = try row.decode((String, Int, Int).self)
      verdicts[rule] = (decided, falsePositive)
    }
    return verdicts
  }

  // MARK: Users

  public func addUser(name: String, role: ReviewRole, tokenHash: String) throws {
    let now = PostgresQueue.now()
    try session.transaction { query in
      let existing = try query("SELECT revoked_at FROM review_user WHERE name = \(name) FOR UPDATE")
      if let row = existing.first, try row.decode(String?.self) == nil { throw ReviewError.userExists(name) }
      try query(
        """
        INSERT INTO review_user (name, role, token_hash, created_at, revoked_at)
        VALUES (\(name), \(role.rawValue), \(tokenHash), \(now), NULL)
        ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, token_hash = EXCLUDED.token_hash,
          created_at = EXCLUDED.created_at, revoked_at = NULL
        """)
    }
  }

  public func reviewUsers() throws -> [ReviewUser] {
    try session.query(
      "SELECT name, role, token_hash, created_at, revoked_at FROM review_user ORDER BY name COLLATE \"C\""
    ).map(Self.user)
  }

  public func revokeUser(name: String) throws {
    let revoked = try session.query(
      """
      UPDATE review_user SET revoked_at = \(PostgresQueue.now()) WHERE name = \(name) AND revoked_at IS NULL
      RETURNING name
      """)
    guard revoked.count == 1 else { throw ReviewError.unknownUser(name) }
  }

  public func reviewUser(tokenHash: String) throws -> ReviewUser? {
    try session.query(
      """
      SELECT name, role, token_hash, created_at, revoked_at FROM review_user
      WHERE token_hash = \(tokenHash) AND revoked_at IS NULL
      """
    ).first.map(Self.user)
  }

  // MARK: SQL

  private static let statusJoin = "LEFT JOIN finding_status fs ON fs.fingerprint = finding.fingerprint"

  private static let itemSelect = """
    SELECT finding.id, finding.run_id, \(findingColumns), COALESCE(fs.status, 'open'), fs.reason, fs.until,
      fs.changed_by, fs.changed_at,
      COALESCE((SELECT MAX(decision.id) FROM decision WHERE decision.fingerprint = finding.fingerprint), 0)
    FROM finding \(statusJoin)
    """

  private static func item(_ row: PostgresRow) throws -> ReviewItem {
    let cells = row.makeRandomAccess()
    func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
    func optional(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
    guard let area = Area(rawValue: try text(4)), let severity = Severity(rawValue: try text(5)) else {
      throw PostgresStoreError("a finding of area \(try text(4)), severity \(try text(5)): written by a newer auditor?")
    }
    let location = SourceLocation(
      file: try text(8), line: try cells[9].decode(Int.self), column: try cells[10].decode(Int.self),
      scope: Scope(try text(11)))
    let finding = Finding(
      listingID: try text(2), ruleID: try text(3), area: area, severity: severity, message: try text(6),
      evidence: try text(7), location: location, citation: try text(12), fingerprint: try text(13))
    return ReviewItem(
      runID: try cells[1].decode(Int64.self), finding: finding,
      status: FindingStatus(rawValue: try text(14)) ?? .open, reason: try optional(15), until: try optional(16),
      changedBy: try optional(17), changedAt: try optional(18), version: try cells[19].decode(Int64.self),
      rowID: try cells[0].decode(Int64.self))
  }

  static func decision(_ row: PostgresRow, fingerprint: String) throws -> DecisionRecord {
    let (id, runID, from, to, reason, until, decidedBy, decidedAt) = try row.decode(
      (Int64, Int64, String?, String, String?, String?, String, String).self)
    return DecisionRecord(
      id: id, fingerprint: fingerprint, runID: runID, fromStatus: from.flatMap(FindingStatus.init(rawValue:)),
      toStatus: FindingStatus(rawValue: to) ?? .open, reason: reason, until: until, decidedBy: decidedBy,
      decidedAt: decidedAt)
  }

  private static func user(_ row: PostgresRow) throws -> ReviewUser {
    let (name, role, tokenHash, createdAt, revokedAt) = try row.decode((String, String, String, String, String?).self)
    return ReviewUser(
      name: name, role: ReviewRole(rawValue: role) ?? .viewer, tokenHash: tokenHash, createdAt: createdAt,
      revokedAt: revokedAt)
  }

  /// Appends a decision and updates the fingerprint's status row (made here for a fingerprint no finished run has
  /// given one yet); returns the decision's id, the fingerprint's new version.
  private static func appendDecision(
    _ fingerprint: String, _ status: FindingStatus, reason: String?, until: String?, by user: String, at now: String,
    _ query: PostgresSession.Transaction
  ) throws -> Int64 {
    var current = try query(
      "SELECT status, last_run FROM finding_status WHERE fingerprint = \(fingerprint)"
    ).first.map { try $0.decode((String, Int64).self) }
    if current == nil {
      guard
        let lastRun = try query("SELECT MAX(run_id) FROM finding WHERE fingerprint = \(fingerprint)").first?.decode(
          Int64?.self)
      else { throw ReviewError.unknownFinding(fingerprint) }
      try query(
        """
        INSERT INTO finding_status (fingerprint, status, first_run, last_run)
        VALUES (\(fingerprint), 'open', \(lastRun), \(lastRun))
        """)
      current = ("open", lastRun)
    }
    let (from, lastRun) = current!
    let version = try query(
      """
      INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
      VALUES (\(fingerprint), \(lastRun), \(from), \(status.rawValue), \(reason), \(until), \(user), \(now))
      RETURNING id
      """
    ).first?.decode(Int64.self) ?? 0
    try query(
      """
      UPDATE finding_status SET status = \(status.rawValue), reason = \(reason), until = \(until),
        changed_by = \(user), changed_at = \(now)
      WHERE fingerprint = \(fingerprint)
      """)
    return version
  }
}

/// A `ReviewFilter` as a PostgreSQL condition over `finding` and its `finding_status` row (`fs`), with its values
/// bound as parameters (`$1`…), as `ReviewFilter.condition` is for SQLite.
struct ReviewCondition {
  private(set) var sql: String
  private var binds = PostgresBindings()

  init(_ filter: ReviewFilter, run: Int64) {
    sql = ""
    var terms = ["finding.run_id = \(bind(run))"]
    if let status = filter.status { terms.append("COALESCE(fs.status, 'open') = \(bind(status.rawValue))") }
    if let area = filter.area { terms.append("finding.area = \(bind(area))") }
    if let rule = filter.rule { terms.append("finding.rule_id = \(bind(rule))") }
    if let severity = filter.severity { terms.append("finding.severity = \(bind(severity))") }
    if let listing = filter.listing { terms.append("finding.listing_id = \(bind(listing))") }
    if let query = filter.query, !query.isEmpty {
      let text = bind(query)
      terms.append(
        "(strpos(finding.evidence, \(text)) > 0 OR strpos(finding.message, \(text)) > 0 "
          + "OR strpos(finding.listing_id, \(text)) > 0)")
    }
    sql = terms.joined(separator: " AND ")
  }

  /// Adds a parameter and returns its placeholder.
  mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
    binds.append(value)
    return "$\(binds.count)"
  }

  /// `sql` (which embeds this condition) with the condition's parameters.
  func query(_ sql: String) -> PostgresQuery {
    PostgresQuery(unsafeSQL: sql, binds: binds)
  }
}
