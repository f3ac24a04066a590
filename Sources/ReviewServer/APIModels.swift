import ComplianceRules
import Foundation
import ListingParser

// The JSON the API answers with. Field names are a contract (Web/openapi.json): add fields, never rename them.
// A finding has the JSON report's fields, plus its id, run and review state.

struct FindingJSON: Encodable {
  struct Location: Encodable {
    var file: String
    var line: Int
    var column: Int
    var scope: String
  }

  var id: String
  var run_id: Int64
  var fingerprint: String
  var listing_id: String
  var rule_id: String
  var area: String
  var severity: String
  var message: String
  var evidence: String
  var citation: String
  var location: Location
  var status: String
  var reason: String?
  var until: String?
  var changed_by: String?
  var changed_at: String?

  /// A finding's id: the start of its fingerprint that `auditor findings` prints.
  static func id(_ fingerprint: String) -> String { String(fingerprint.prefix(12)) }

  init(_ item: FindingsStore.ReviewItem) {
    self.init(item.finding, runID: item.runID, status: item.status.rawValue)
    reason = item.reason
    until = item.until
    changed_by = item.changedBy
    changed_at = item.changedAt
  }

  init(_ finding: Finding, runID: Int64, status: String) {
    id = Self.id(finding.fingerprint)
    run_id = runID
    fingerprint = finding.fingerprint
    listing_id = finding.listingID
    rule_id = finding.ruleID
    area = finding.area.rawValue
    severity = finding.severity.rawValue
    message = finding.message
    evidence = finding.evidence
    citation = finding.citation
    location = Location(
      file: finding.location.file, line: finding.location.line, column: finding.location.column,
      scope: finding.location.scope.rawValue)
    self.status = status
  }
}

/// A pre-check's finding: the JSON report's fields only (nothing is stored, so it has no run, id or status).
struct CheckedFindingJSON: Encodable {
  var fingerprint: String
  var listing_id: String
  var rule_id: String
  var area: String
  var severity: String
  var message: String
  var evidence: String
  var citation: String
  var location: FindingJSON.Location

  init(_ finding: Finding) {
    fingerprint = finding.fingerprint
    listing_id = finding.listingID
    rule_id = finding.ruleID
    area = finding.area.rawValue
    severity = finding.severity.rawValue
    message = finding.message
    evidence = finding.evidence
    citation = finding.citation
    location = .init(
      file: finding.location.file, line: finding.location.line, column: finding.location.column,
      scope: finding.location.scope.rawValue)
  }
}

struct InputIssueJSON: Encodable {
  var kind: String
  var file: String
  var line: Int
  var listing_id: String?
  var message: String

  init(_ issue: InputIssue) {
    kind = issue.kind.rawValue
    file = issue.file
    line = issue.line
    listing_id = issue.listingID
    message = issue.message
  }
}

struct DecisionJSON: Encodable {
  var id: Int64
  var run_id: Int64
  var from_status: String?
  var to_status: String
  var reason: String?
  var until: String?
  var decided_by: String
  var decided_at: String

  init(_ record: DecisionRecord) {
    id = record.id ?? 0
    run_id = record.runID
    from_status = record.fromStatus?.rawValue
    to_status = record.toStatus.rawValue
    reason = record.reason
    until = record.until
    decided_by = record.decidedBy
    decided_at = record.decidedAt
  }
}

struct RunJSON: Encodable {
  var id: Int64
  var state: String
  var started_at: String
  var finished_at: String?
  var feeds: [String]
  var listings_checked: Int
  var listings_skipped: Int
  var findings: Int
  var input_issues: Int
  var exit_code: Int32?
  /// While an uploaded run is checking: listings read so far and the feed's count.
  var listings_done: Int?
  var listings_total: Int?

  init(_ run: RunRecord) {
    let iso = ISO8601DateFormatter()
    id = run.id ?? 0
    state = run.state.rawValue
    started_at = iso.string(from: run.startedAt)
    finished_at = run.finishedAt.map(iso.string)
    feeds = run.feeds
    listings_checked = run.listingsChecked
    listings_skipped = run.listingsSkipped
    findings = run.findingsCount
    input_issues = run.inputIssuesCount
    exit_code = run.exitCode
  }
}

struct RuleJSON: Encodable {
  struct CitationJSON: Encodable {
    var law: String
    var article: String
    var grade: String
    var url: String?
    var text: String
  }
  struct Verdicts: Encodable {
    var decided: Int
    var false_positive: Int
    /// Nil until a reviewer has given a verdict on the rule.
    var false_positive_rate: Double?
  }

  var id: String
  var title: String
  var area: String
  var severity: String
  var citation: CitationJSON
  var verdicts: Verdicts

  init(_ rule: RuleDescription, verdicts: (decided: Int, falsePositive: Int)?) {
    id = rule.id
    title = rule.title
    area = rule.area.rawValue
    severity = rule.severity.rawValue
    citation = .init(
      law: rule.citation.law, article: rule.citation.article, grade: rule.citation.grade.rawValue,
      url: rule.citation.url, text: rule.citation.description)
    let decided = verdicts?.decided ?? 0
    let falsePositive = verdicts?.falsePositive ?? 0
    self.verdicts = .init(
      decided: decided, false_positive: falsePositive,
      false_positive_rate: decided == 0 ? nil : Double(falsePositive) / Double(decided))
  }
}
