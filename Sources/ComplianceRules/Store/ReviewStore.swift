/// What `auditor serve` and `auditor users` need of a store beyond `AuditStore`: the review queue a page at a time,
/// facet counts, one finding with its version, decisions that only apply to the version the reviewer saw, batch
/// decisions over a filter, the reviewers' verdicts per rule, and the users with their token hashes.
///
/// `FindingsStore` (SQLite) implements it; the semantics are written on each requirement and in
/// `FindingsStore+Review.swift`, whose comment says what a finding's version is.
public protocol ReviewStore: AuditStore {
  /// The run a filter reads: its own, else the newest complete one; nil when there is none.
  func run(for filter: ReviewFilter) throws -> Int64?

  /// Up to `limit` findings of `run` that match `filter`, after `position`, in the order the run recorded them,
  /// and the position of the last one returned when more may follow.
  func reviewPage(_ filter: ReviewFilter, run: Int64, after position: PagePosition?, limit: Int) throws
    -> (items: [ReviewItem], next: PagePosition?)

  /// How many findings of `run` match `filter`.
  func reviewCount(_ filter: ReviewFilter, run: Int64) throws -> Int

  /// For each of area, rule, severity and status: the values the findings matching `filter` have, with counts,
  /// most frequent first (ties by value).
  func reviewFacets(_ filter: ReviewFilter, run: Int64) throws -> [String: [FacetCount]]

  /// The finding whose fingerprint starts with `idPrefix` (8+ hex characters), as the newest run that reported it
  /// has it; nil when no fingerprint or more than one starts so.
  func reviewItem(idPrefix: String) throws -> ReviewItem?

  /// The decisions on a fingerprint, newest first.
  func decisions(fingerprint: String) throws -> [DecisionRecord]

  /// Records a reviewer's decision if the fingerprint's version is still `expectedVersion` and returns the new
  /// version; throws `ReviewError.stale` with the current version when someone decided meanwhile.
  func decide(
    fingerprint: String, expectedVersion: Int64, to status: FindingStatus, reason: String?, until: String?,
    by user: String
  ) throws -> Int64

  /// Decides every finding of `run` that matches `filter` if they are still `expectedCount`, one decision per
  /// fingerprint, and returns how many fingerprints; throws `ReviewError.countChanged` otherwise.
  func decideAll(
    _ filter: ReviewFilter, run: Int64, expectedCount: Int, to status: FindingStatus, reason: String?,
    until: String?, by user: String
  ) throws -> Int

  /// rule id → how many fingerprints of the rule have a verdict (accepted, waived, false positive) and how many
  /// of those are false positives.
  func ruleVerdicts() throws -> [String: (decided: Int, falsePositive: Int)]

  /// Adds a user, or gives a revoked one a new role and token; throws `ReviewError.userExists` for an active one.
  func addUser(name: String, role: ReviewRole, tokenHash: String) throws

  /// Every user, active or revoked, by name.
  func reviewUsers() throws -> [ReviewUser]

  /// Stops a user from signing in; throws `ReviewError.unknownUser` when no active user has the name.
  func revokeUser(name: String) throws

  /// The active user whose token hashes to `tokenHash`.
  func reviewUser(tokenHash: String) throws -> ReviewUser?
}

/// A finding of a run with its review state.
public struct ReviewItem: Sendable {
  public var runID: Int64
  public var finding: Finding
  public var status: FindingStatus
  public var reason: String?
  public var until: String?
  public var changedBy: String?
  public var changedAt: String?
  /// The id of the fingerprint's newest decision (0 before any): every status change gives a new version.
  public var version: Int64
  /// The `finding` row id: the queue's order and its page position.
  package let rowID: Int64

  package init(
    runID: Int64, finding: Finding, status: FindingStatus, reason: String?, until: String?, changedBy: String?,
    changedAt: String?, version: Int64, rowID: Int64
  ) {
    self.runID = runID
    self.finding = finding
    self.status = status
    self.reason = reason
    self.until = until
    self.changedBy = changedBy
    self.changedAt = changedAt
    self.version = version
    self.rowID = rowID
  }
}

/// A value of a filter key and how many findings under the current filter have it.
public struct FacetCount: Sendable, Hashable {
  public var value: String
  public var count: Int

  public init(value: String, count: Int) {
    self.value = value
    self.count = count
  }
}

/// Where a page of the queue ends: the row id of its last finding.
public typealias PagePosition = Int64
