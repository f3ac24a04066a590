import Foundation
import GRDB
import ListingParser

// One Codable struct per table (see Migrations.swift for what each column means). Bulk inserts of findings and
// input issues go through cached statements in `BatchWriter`; these records read rows back and write the
// occasional single row.

/// A row of `run`.
public struct RunRecord: Codable, Sendable, Hashable {
  /// Nil until inserted.
  public var id: Int64?
  public var startedAt: Date
  public var finishedAt: Date?
  public var toolVersion: String
  public var feeds: [String]
  public var options: [String: String]
  public var listingsChecked: Int
  public var listingsSkipped: Int
  public var findingsCount: Int
  public var inputIssuesCount: Int
  public var exitCode: Int32?
  public var state: RunState

  public init(
    id: Int64? = nil, startedAt: Date, finishedAt: Date? = nil, toolVersion: String, feeds: [String],
    options: [String: String], listingsChecked: Int = 0, listingsSkipped: Int = 0, findingsCount: Int = 0,
    inputIssuesCount: Int = 0, exitCode: Int32? = nil, state: RunState = .running
  ) {
    self.id = id
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.toolVersion = toolVersion
    self.feeds = feeds
    self.options = options
    self.listingsChecked = listingsChecked
    self.listingsSkipped = listingsSkipped
    self.findingsCount = findingsCount
    self.inputIssuesCount = inputIssuesCount
    self.exitCode = exitCode
    self.state = state
  }

  enum CodingKeys: String, CodingKey {
    case id
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case toolVersion = "tool_version"
    case feeds, options
    case listingsChecked = "listings_checked"
    case listingsSkipped = "listings_skipped"
    case findingsCount = "findings_count"
    case inputIssuesCount = "input_issues_count"
    case exitCode = "exit_code"
    case state
  }

  public enum Columns {
    public static let id = Column(CodingKeys.id)
    public static let startedAt = Column(CodingKeys.startedAt)
    public static let finishedAt = Column(CodingKeys.finishedAt)
    public static let toolVersion = Column(CodingKeys.toolVersion)
    public static let feeds = Column(CodingKeys.feeds)
    public static let options = Column(CodingKeys.options)
    public static let listingsChecked = Column(CodingKeys.listingsChecked)
    public static let listingsSkipped = Column(CodingKeys.listingsSkipped)
    public static let findingsCount = Column(CodingKeys.findingsCount)
    public static let inputIssuesCount = Column(CodingKeys.inputIssuesCount)
    public static let exitCode = Column(CodingKeys.exitCode)
    public static let state = Column(CodingKeys.state)
  }
}

extension RunRecord: FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "run"

  /// ISO-8601 UTC text (`2025-01-31T08:00:00Z`) rather than GRDB's default, so other tools read the dates as is.
  public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .iso8601 }
  public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .iso8601 }

  /// `feeds` and `options` are JSON text; keep paths readable (`a/b`, not `a\/b`) and keys sorted, so the same
  /// options always give the same text.
  public static func databaseJSONEncoder(for column: String) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }
}

/// A row of `listing`: what the store remembers about a listing between runs.
public struct ListingRecord: Codable, Sendable, Hashable {
  public var listingID: String
  public var contentHash: String
  public var source: String
  public var detailPage: String?
  public var firstSeenRun: Int64
  public var lastSeenRun: Int64
  public var lastCheckedRun: Int64

  public init(
    listingID: String, contentHash: String, source: String, detailPage: String?, firstSeenRun: Int64,
    lastSeenRun: Int64, lastCheckedRun: Int64
  ) {
    self.listingID = listingID
    self.contentHash = contentHash
    self.source = source
    self.detailPage = detailPage
    self.firstSeenRun = firstSeenRun
    self.lastSeenRun = lastSeenRun
    self.lastCheckedRun = lastCheckedRun
  }

  enum CodingKeys: String, CodingKey {
    case listingID = "listing_id"
    case contentHash = "content_hash"
    case source
    case detailPage = "detail_page"
    case firstSeenRun = "first_seen_run"
    case lastSeenRun = "last_seen_run"
    case lastCheckedRun = "last_checked_run"
  }

  public enum Columns {
    public static let listingID = Column(CodingKeys.listingID)
    public static let contentHash = Column(CodingKeys.contentHash)
    public static let source = Column(CodingKeys.source)
    public static let detailPage = Column(CodingKeys.detailPage)
    public static let firstSeenRun = Column(CodingKeys.firstSeenRun)
    public static let lastSeenRun = Column(CodingKeys.lastSeenRun)
    public static let lastCheckedRun = Column(CodingKeys.lastCheckedRun)
  }
}

extension ListingRecord: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "listing"
}

/// A row of `finding`: a `Finding` with its run, its location flattened into columns.
package struct FindingRecord: Codable, Sendable, Hashable {
  public var id: Int64?
  public var runID: Int64
  public var listingID: String
  public var ruleID: String
  public var area: Area
  public var severity: Severity
  public var message: String
  public var evidence: String
  public var file: String
  public var line: Int
  public var column: Int
  public var scope: String
  public var citation: String
  public var fingerprint: String

  public init(id: Int64? = nil, runID: Int64, finding: Finding) {
    self.id = id
    self.runID = runID
    listingID = finding.listingID
    ruleID = finding.ruleID
    area = finding.area
    severity = finding.severity
    message = finding.message
    evidence = finding.evidence
    file = finding.location.file
    line = finding.location.line
    column = finding.location.column
    scope = finding.location.scope.rawValue
    citation = finding.citation
    fingerprint = finding.fingerprint
  }

  public var finding: Finding {
    Finding(
      listingID: listingID, ruleID: ruleID, area: area, severity: severity, message: message, evidence: evidence,
      location: SourceLocation(file: file, line: line, column: column, scope: Scope(scope)), citation: citation,
      fingerprint: fingerprint)
  }

  enum CodingKeys: String, CodingKey {
    case id
    case runID = "run_id"
    case listingID = "listing_id"
    case ruleID = "rule_id"
    case area, severity, message, evidence, file, line, column, scope, citation, fingerprint
  }

  public enum Columns {
    public static let id = Column(CodingKeys.id)
    public static let runID = Column(CodingKeys.runID)
    public static let listingID = Column(CodingKeys.listingID)
    public static let ruleID = Column(CodingKeys.ruleID)
    public static let area = Column(CodingKeys.area)
    public static let severity = Column(CodingKeys.severity)
    public static let message = Column(CodingKeys.message)
    public static let evidence = Column(CodingKeys.evidence)
    public static let file = Column(CodingKeys.file)
    public static let line = Column(CodingKeys.line)
    public static let column = Column(CodingKeys.column)
    public static let scope = Column(CodingKeys.scope)
    public static let citation = Column(CodingKeys.citation)
    public static let fingerprint = Column(CodingKeys.fingerprint)
  }
}

extension FindingRecord: FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "finding"

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }
}

/// A row of `input_issue`.
package struct InputIssueRecord: Codable, Sendable, Hashable {
  public var id: Int64?
  public var runID: Int64
  public var kind: InputIssue.Kind
  public var file: String
  public var line: Int
  public var listingID: String?
  public var message: String

  public init(id: Int64? = nil, runID: Int64, issue: InputIssue) {
    self.id = id
    self.runID = runID
    kind = issue.kind
    file = issue.file
    line = issue.line
    listingID = issue.listingID
    message = issue.message
  }

  public var issue: InputIssue {
    InputIssue(kind: kind, file: file, line: line, listingID: listingID, message: message)
  }

  enum CodingKeys: String, CodingKey {
    case id
    case runID = "run_id"
    case kind, file, line
    case listingID = "listing_id"
    case message
  }

  public enum Columns {
    public static let id = Column(CodingKeys.id)
    public static let runID = Column(CodingKeys.runID)
    public static let kind = Column(CodingKeys.kind)
    public static let file = Column(CodingKeys.file)
    public static let line = Column(CodingKeys.line)
    public static let listingID = Column(CodingKeys.listingID)
    public static let message = Column(CodingKeys.message)
  }
}

extension InputIssueRecord: FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "input_issue"

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }
}
