/// Turns a run's results into one output format. Reporters know nothing of rules or parsing.
public protocol Reporter {
  func render(_ summary: AuditSummary, rules: Ruleset) -> String
}

/// A format that can be written while the run goes on: a head, one piece per listing as its batch finishes, and a
/// tail with the input issues and totals. Memory then stays flat however large the catalogue.
public protocol StreamingReporter: Reporter {
  func head() -> String
  /// The listing's reported findings (after suppressions, baseline and review); may be empty.
  mutating func listing(_ id: String, findings: [Finding]) -> String
  func tail(_ summary: AuditSummary) -> String
}

extension StreamingReporter {
  /// The whole report at once, from a summary that kept its findings.
  public func render(_ summary: AuditSummary, rules: Ruleset) -> String {
    var copy = self
    var out = head()
    for (listingID, findings) in summary.findingsByListing { out += copy.listing(listingID, findings: findings) }
    return out + tail(summary)
  }
}

/// The formats `--format` accepts.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text, json, sarif, junit, github

  /// The streaming reporter for this format, or nil when the format needs every finding before it can write
  /// (SARIF's one results array inside its run object, JUnit's counts in its opening tag).
  public func streaming(colour: Bool) -> (any StreamingReporter)? {
    switch self {
    case .text: TextReporter(colour: colour)
    case .json: JSONReporter()
    case .github: GitHubReporter()
    case .sarif, .junit: nil
    }
  }

  public func render(_ summary: AuditSummary, rules: Ruleset, colour: Bool) -> String {
    switch self {
    case .text: TextReporter(colour: colour).render(summary, rules: rules)
    case .json: JSONReporter().render(summary, rules: rules)
    case .sarif: SARIFReporter().render(summary, rules: rules)
    case .junit: JUnitReporter().render(summary, rules: rules)
    case .github: GitHubReporter().render(summary, rules: rules)
    }
  }
}

extension AuditSummary {
  /// Findings sorted for reports: by listing in feed order is the run's order already; within a listing, by place.
  var findingsByListing: [(listingID: String, findings: [Finding])] {
    var order: [String] = []
    var groups: [String: [Finding]] = [:]
    for finding in findings {
      if groups[finding.listingID] == nil { order.append(finding.listingID) }
      groups[finding.listingID, default: []].append(finding)
    }
    return order.map { ($0, groups[$0]!) }
  }
}
