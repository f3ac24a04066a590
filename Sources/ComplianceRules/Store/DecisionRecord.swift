import GRDB

/// A row of `decision` (migration "v4-decision"): one change of a fingerprint's review status, by a reviewer or by
/// `auditor`. Appended by `FindingsStore+Lifecycle.swift`, never changed; `auditor findings history` lists them.
public struct DecisionRecord: Codable, Sendable, Hashable {
  public var id: Int64?
  public var fingerprint: String
  /// The run the decision was made on.
  public var runID: Int64
  /// Nil for an entry carried over from a database older than the history.
  public var fromStatus: FindingStatus?
  public var toStatus: FindingStatus
  public var reason: String?
  /// ISO-8601 date after which a waiver lapses.
  public var until: String?
  public var decidedBy: String
  /// ISO-8601 UTC.
  public var decidedAt: String

  package init(
    id: Int64?, fingerprint: String, runID: Int64, fromStatus: FindingStatus?, toStatus: FindingStatus,
    reason: String?, until: String?, decidedBy: String, decidedAt: String
  ) {
    self.id = id
    self.fingerprint = fingerprint
    self.runID = runID
    self.fromStatus = fromStatus
    self.toStatus = toStatus
    self.reason = reason
    self.until = until
    self.decidedBy = decidedBy
    self.decidedAt = decidedAt
  }

  enum CodingKeys: String, CodingKey {
    case id, fingerprint
    case runID = "run_id"
    case fromStatus = "from_status"
    case toStatus = "to_status"
    case reason, until
    case decidedBy = "decided_by"
    case decidedAt = "decided_at"
  }

  public enum Columns {
    public static let id = Column(CodingKeys.id)
    public static let fingerprint = Column(CodingKeys.fingerprint)
  }
}

extension DecisionRecord: FetchableRecord, TableRecord {
  public static let databaseTableName = "decision"
}
