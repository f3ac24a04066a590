import Foundation

/// `--format json`: `{"findings": […], "input_issues": […], "run": {…}}`, keys sorted, for scripts and later tools.
/// The field names are a contract (README, "Reports"); add fields, never rename them. Written as the run goes, one
/// finding a line, so a large catalogue's report never sits in memory.
public struct JSONReporter: StreamingReporter {
  public static let identifier = "json"
  public init() {}

  enum Document {
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
  }

  private var wroteFinding = false

  public func head() -> String { "{\n  \"findings\" : [" }

  public mutating func listing(_ id: String, findings: [Finding]) -> String {
    var out = ""
    for finding in findings {
      let item = Document.Item(
        listing_id: finding.listingID, rule_id: finding.ruleID, area: finding.area.rawValue,
        severity: finding.severity.rawValue, message: finding.message, evidence: finding.evidence,
        location: .init(
          file: finding.location.file, line: finding.location.line, column: finding.location.column,
          scope: finding.location.scope.rawValue),
        citation: finding.citation, fingerprint: finding.fingerprint)
      out += (wroteFinding ? ",\n    " : "\n    ") + Self.encode(item, pretty: false)
      wroteFinding = true
    }
    return out
  }

  public func tail(_ summary: AuditSummary) -> String {
    let iso = ISO8601DateFormatter()
    let run = Document.Run(
      id: summary.runID, feeds: summary.feeds, started_at: iso.string(from: summary.startedAt),
      finished_at: iso.string(from: summary.finishedAt), listings_checked: summary.listingsChecked,
      listings_skipped: summary.listingsSkipped, findings: summary.counts.total, input_issues: summary.issues.count,
      by_severity: Dictionary(uniqueKeysWithValues: summary.counts.bySeverity.map { ($0.key.rawValue, $0.value) }),
      by_area: Dictionary(uniqueKeysWithValues: summary.counts.byArea.map { ($0.key.rawValue, $0.value) }),
      suppressed: summary.suppressed, baselined: summary.baselined, reviewed: summary.reviewed,
      baseline_stale: summary.staleBaselineEntries, tool_version: summary.toolVersion)
    let issues = summary.issues.map {
      Document.Issue(file: $0.file, listing_id: $0.listingID, line: $0.line, kind: $0.kind.rawValue, message: $0.message)
    }
    return (wroteFinding ? "\n  ]" : "]") + ",\n  \"input_issues\" : " + Self.indented(Self.encode(issues, pretty: true))
      + ",\n  \"run\" : " + Self.indented(Self.encode(run, pretty: true)) + "\n}\n"
  }

  private static func encode<Value: Encodable>(_ value: Value, pretty: Bool) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
  }

  /// Nests a pretty-printed value one level in.
  private static func indented(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "\n  ")
  }
}
