import Foundation
import ListingParser

/// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, VS Code viewers).
///
/// The log must validate against the OASIS schema (`scripts/validate-sarif.py`), so what SARIF cannot express is left
/// out rather than faked: a listing-level finding (line 0) has no `region`, since `startLine` must be at least 1.
/// Columns count code points like `SourceLocation`, which the run declares with `columnKind`.
package struct SARIFReporter: Reporter {
  /// The tool's home page for `tool.driver.informationUri`; omitted when nil rather than guessed.
  public let informationURI: String?
  public init(informationURI: String? = nil) { self.informationURI = informationURI }

  public func render(_ summary: AuditSummary, rules: Ruleset) -> String {
    let descriptors = rules.rules.map { Descriptor($0.description) }
    let ruleIndex = Dictionary(descriptors.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let iso = ISO8601DateFormatter()
    let log = Log(runs: [
      Run(
        tool: .init(
          driver: .init(
            name: "auditor", version: summary.toolVersion.isEmpty ? nil : summary.toolVersion,
            informationUri: informationURI, rules: descriptors)),
        invocations: [
          .init(
            executionSuccessful: true, startTimeUtc: iso.string(from: summary.startedAt),
            endTimeUtc: iso.string(from: summary.finishedAt),
            toolExecutionNotifications: summary.issues.map(SARIFNotification.init))
        ],
        results: summary.findings.map { SARIFResult($0, ruleIndex: ruleIndex[$0.ruleID]) })
    ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(log)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// `error`/`warning` map by name; SARIF's name for a hint is `note`.
  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }

  /// `Reference Price Above 7-Day Low` → `ReferencePriceAbove7DayLow`: SARIF wants a name that reads as one word.
  static func pascalCase(_ title: String) -> String {
    title.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  /// A file path as a URI reference: relative paths stay relative to `%SRCROOT%` (the checkout, for code scanning),
  /// absolute ones become `file://` URIs. Spaces, CJK and `:` are percent-encoded so the reference stays valid and a
  /// first segment like `a:b` cannot read as a scheme.
  static func artifactLocation(_ path: String) -> ArtifactLocation {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(":")
    let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    return path.hasPrefix("/")
      ? ArtifactLocation(uri: "file://" + encoded, uriBaseId: nil)
      : ArtifactLocation(uri: encoded, uriBaseId: "%SRCROOT%")
  }

  struct Log: Encodable {
    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]
    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  struct Run: Encodable {
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
      var name: String
      var version: String?
      var informationUri: String?
      var rules: [Descriptor]
    }
    struct Invocation: Encodable {
      var executionSuccessful: Bool
      var startTimeUtc: String
      var endTimeUtc: String
      var toolExecutionNotifications: [SARIFNotification]
    }
    var tool: Tool
    var columnKind = "unicodeCodePoints"
    var invocations: [Invocation]
    var results: [SARIFResult]
  }

  struct Text: Encodable { var text: String }

  /// A rule's `reportingDescriptor`: what `auditor rules` shows, in SARIF's words.
  struct Descriptor: Encodable {
    struct Help: Encodable {
      var text: String
      var markdown: String
    }
    struct Configuration: Encodable { var level: String }
    struct Properties: Encodable {
      var area: String
      var citation: String
      var grade: String
      var tags: [String]
    }
    var id: String
    var name: String
    var shortDescription: Text
    var fullDescription: Text
    var help: Help
    var helpUri: String?
    var defaultConfiguration: Configuration
    var properties: Properties

    init(_ rule: RuleDescription) {
      let citation = rule.citation
      let grade = "\(citation.grade.rawValue) (\(citation.grade))"
      let cited = citation.url.map { "[\(citation)](\($0))" } ?? "\(citation)"
      id = rule.id
      name = SARIFReporter.pascalCase(rule.title)
      shortDescription = Text(text: rule.title)
      fullDescription = Text(text: rule.message)
      help = Help(
        text: "\(rule.message)\n\nCitation: \(citation)\nGrade: \(grade)",
        markdown: "\(rule.message)\n\n**Citation:** \(cited)\n\n**Grade:** \(grade)")
      helpUri = citation.url
      defaultConfiguration = Configuration(level: SARIFReporter.level(rule.severity))
      properties = Properties(
        area: rule.area.rawValue, citation: citation.description, grade: citation.grade.rawValue,
        tags: [rule.area.rawValue])
    }
  }

  struct ArtifactLocation: Encodable {
    var uri: String
    var uriBaseId: String?
  }

  struct Location: Encodable {
    struct Physical: Encodable {
      var artifactLocation: ArtifactLocation
      var region: Region?
    }
    struct Region: Encodable {
      var startLine: Int
      var startColumn: Int?
      var snippet: Text?
    }
    struct Logical: Encodable {
      var name: String
      var kind = "object"
      var fullyQualifiedName: String
    }
    var physicalLocation: Physical
    var logicalLocations: [Logical]?

    /// `line`/`column` 0 mean "not known" and are left out, never written as 0 (SARIF's minimum is 1).
    init(file: String, line: Int, column: Int, snippet: String?, listingID: String?) {
      let region =
        line > 0
        ? Region(startLine: line, startColumn: column > 0 ? column : nil, snippet: snippet.map(Text.init)) : nil
      physicalLocation = Physical(artifactLocation: SARIFReporter.artifactLocation(file), region: region)
      logicalLocations = listingID.map { [Logical(name: $0, fullyQualifiedName: "listing/\($0)")] }
    }
  }

  struct SARIFResult: Encodable {
    struct Properties: Encodable {
      var listing_id: String
      var area: String
      var citation: String
      var evidence: String
      var scope: String
    }
    var ruleId: String
    var ruleIndex: Int?
    var level: String
    var message: Text
    var locations: [Location]
    var partialFingerprints: [String: String]
    var properties: Properties

    init(_ finding: Finding, ruleIndex: Int?) {
      let location = finding.location
      ruleId = finding.ruleID
      self.ruleIndex = ruleIndex
      level = SARIFReporter.level(finding.severity)
      message = Text(text: finding.message)
      locations = [
        Location(
          file: location.file, line: location.line, column: location.column, snippet: finding.evidence,
          listingID: finding.listingID)
      ]
      partialFingerprints = ["auditor/v1": finding.fingerprint]
      properties = Properties(
        listing_id: finding.listingID, area: finding.area.rawValue, citation: finding.citation,
        evidence: finding.evidence, scope: location.scope.rawValue)
    }
  }

  /// An input issue: the tool could not read something, which SARIF records as a notification, not a result.
  struct SARIFNotification: Encodable {
    struct Properties: Encodable {
      var kind: String
      var listing_id: String?
    }
    var level = "warning"
    var message: Text
    var locations: [Location]
    var properties: Properties

    init(_ issue: InputIssue) {
      message = Text(text: issue.message)
      locations = [Location(file: issue.file, line: issue.line, column: 0, snippet: nil, listingID: issue.listingID)]
      properties = Properties(kind: issue.kind.rawValue, listing_id: issue.listingID)
    }
  }
}
