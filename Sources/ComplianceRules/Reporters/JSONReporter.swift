import Foundation

/// `--format json`: `{"run": {…}, "findings": […], "input_issues": […]}`, keys sorted, for scripts and later tools.
/// The field names are a contract (README, "JSON report"); add fields, never rename them.
public struct JSONReporter: Reporter {
  public static let identifier = "json"
  public init() {}

  struct Document: Encodable {
    struct Run: Encodable {
      var id: Int64?
      var feeds: [String]
      var started_at: String
      var finished_at: String
      var listings_checked: Int
      var listings_skipped: Int
      var findings: Int
      var input_issues: Int
      var by_severity: [String: Int]
      var by_area: [String: Int]
      var suppressed: Int
      var baselined: Int
      var reviewed: Int
      var baseline_stale: [String]
      var tool_version: String
    }
    struct Location: Encodable {
      var file: String
      var line: Int
      var column: Int
      var scope: String
    }
    struct Item: Encodable {
      var listing_id: String
      var rule_id: String
      var area: String
      var severity: String
      var message: String
      var evidence: String
      var location: Location
      var citation: String
      var fingerprint: String
    }
    struct Issue: Encodable {
      var file: String
      var listing_id: String?
      var line: Int
      var kind: String
      var message: String

      enum CodingKeys: String, CodingKey { case file, listing_id, line, kind, message }

      /// `listing_id` is written as null, not left out, when the issue has no listing: scripts rely on the key.
      func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(listing_id, forKey: .listing_id)
        try container.encode(line, forKey: .line)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
      }
    }
    var run: Run
    var findings: [Item]
    var input_issues: [Issue]
  }

  public func render(_ summary: AuditSummary, rules: RuleSet) -> String {
    let iso = ISO8601DateFormatter()
    let document = Document(
      run: .init(
        id: summary.runID, feeds: summary.feeds, started_at: iso.string(from: summary.startedAt),
        finished_at: iso.string(from: summary.finishedAt), listings_checked: summary.listingsChecked,
        listings_skipped: summary.listingsSkipped, findings: summary.findings.count,
        input_issues: summary.issues.count,
        by_severity: Dictionary(grouping: summary.findings, by: \.severity.rawValue).mapValues(\.count),
        by_area: Dictionary(grouping: summary.findings, by: \.area.rawValue).mapValues(\.count),
        suppressed: summary.suppressed, baselined: summary.baselined, reviewed: summary.reviewed, baseline_stale: summary.staleBaselineEntries,
        tool_version: summary.toolVersion),
      findings: summary.findings.map {
        .init(
          listing_id: $0.listingID, rule_id: $0.ruleID, area: $0.area.rawValue, severity: $0.severity.rawValue,
          message: $0.message, evidence: $0.evidence,
          location: .init(file: $0.location.file, line: $0.location.line, column: $0.location.column, scope: $0.location.scope.rawValue),
          citation: $0.citation, fingerprint: $0.fingerprint)
      },
      input_issues: summary.issues.map {
        .init(file: $0.file, listing_id: $0.listingID, line: $0.line, kind: $0.kind.rawValue, message: $0.message)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
