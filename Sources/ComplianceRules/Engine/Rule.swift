import ListingParser

/// A compliance check. Rules are values shared read-only by all worker threads.
public protocol Rule: Sendable {
  var description: RuleDescription { get }
  /// Appends this listing's findings to `sink`. Never throws: what a rule cannot decide, it does not report.
  func check(_ context: ListingContext, into sink: inout FindingSink)
}

/// Collects one listing's findings and gives each its fingerprint.
public struct FindingSink: Sendable {
  public private(set) var findings: [Finding] = []
  private var occurrences: [String: Int] = [:]
  let listingID: String
  /// Severity overrides from the configuration, by rule id.
  let severities: [String: Severity]

  public init(listingID: String, severities: [String: Severity] = [:]) {
    self.listingID = listingID
    self.severities = severities
  }

  /// Takes over the findings another sink collected (a rule that decides late whether to report them),
  /// re-numbering their fingerprints as if reported here.
  public mutating func append(_ other: FindingSink) {
    for finding in other.findings {
      record(finding)
    }
  }

  /// Reports `evidence` at `location` for `rule`. `{evidence}` in the message is replaced by the evidence and
  /// `{detail}` by `detail`.
  public mutating func report(
    _ rule: RuleDescription, evidence: String, at location: SourceLocation, detail: String = ""
  ) {
    let message = rule.message
      .replacingOccurrences(of: "{evidence}", with: evidence)
      .replacingOccurrences(of: "{detail}", with: detail)
    record(
      Finding(
        listingID: listingID, ruleID: rule.id, area: rule.area, severity: severities[rule.id] ?? rule.severity,
        message: message, evidence: evidence, location: location, citation: rule.citation.description))
  }

  private mutating func record(_ finding: Finding) {
    var finding = finding
    finding.severity = severities[finding.ruleID] ?? finding.severity
    // The fingerprint ignores where the text is, so reformatting a page does not make a finding look new; the
    // occurrence number keeps two identical phrases in one listing apart.
    let key = NormalizedText.normalize(finding.evidence)
    let occurrence = occurrences["\(finding.ruleID)\u{1F}\(key)", default: 0]
    occurrences["\(finding.ruleID)\u{1F}\(key)"] = occurrence + 1
    finding.fingerprint = ContentHash.hex(parts: [finding.ruleID, listingID, key, String(occurrence)])
    findings.append(finding)
  }
}
