import Foundation
import GRDB

/// Where a finding stands in review. Kept per fingerprint, so a decision outlives the run that prompted it.
public enum FindingStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
  /// Reported and not yet reviewed.
  case open
  /// Confirmed as a real problem, to be fixed.
  case accepted
  /// A real problem the business has decided to live with, usually until a date.
  case waived
  /// The rule was wrong about this text.
  case falsePositive = "false_positive"
  /// No longer reported by a run that checked the listing.
  case fixed
}

/// A row of `finding_status` (migration "v2-finding-status"), written by the review lifecycle
/// (`FindingsStore+Lifecycle.swift`): `firstRun` is the run that first reported the fingerprint, `lastRun` the last.
public struct FindingStatusRecord: Codable, Sendable, Hashable {
  public var fingerprint: String
  public var status: FindingStatus
  public var reason: String?
  /// ISO-8601 date after which a waiver lapses.
  public var until: String?
  public var changedBy: String?
  /// ISO-8601 UTC.
  public var changedAt: String?
  public var firstRun: Int64
  public var lastRun: Int64

  public init(
    fingerprint: String, status: FindingStatus, reason: String? = nil, until: String? = nil,
    changedBy: String? = nil, changedAt: String? = nil, firstRun: Int64, lastRun: Int64
  ) {
    self.fingerprint = fingerprint
    self.status = status
    self.reason = reason
    self.until = until
    self.changedBy = changedBy
    self.changedAt = changedAt
    self.firstRun = firstRun
    self.lastRun = lastRun
  }

  enum CodingKeys: String, CodingKey {
    case fingerprint, status, reason, until
    case changedBy = "changed_by"
    case changedAt = "changed_at"
    case firstRun = "first_run"
    case lastRun = "last_run"
  }

  public enum Columns {
    public static let fingerprint = Column(CodingKeys.fingerprint)
    public static let status = Column(CodingKeys.status)
    public static let reason = Column(CodingKeys.reason)
    public static let until = Column(CodingKeys.until)
    public static let changedBy = Column(CodingKeys.changedBy)
    public static let changedAt = Column(CodingKeys.changedAt)
    public static let firstRun = Column(CodingKeys.firstRun)
    public static let lastRun = Column(CodingKeys.lastRun)
  }
}

extension FindingStatusRecord: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "finding_status"
}
