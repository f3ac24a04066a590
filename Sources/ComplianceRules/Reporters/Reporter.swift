/// Turns a run's results into one output format. Reporters know nothing of rules or parsing.
public protocol Reporter {
  /// The `--format` name.
  static var identifier: String { get }
  func render(_ summary: AuditSummary, rules: RuleSet) -> String
}

/// The formats `--format` accepts.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text, json, sarif, junit, github

  public func render(_ summary: AuditSummary, rules: RuleSet, colour: Bool) -> String {
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
