import Foundation

/// `--format text`: findings grouped by listing, then a summary line per severity and area. Colour only when asked
/// (the CLI asks when stdout is a terminal and NO_COLOR is unset).
package struct TextReporter: StreamingReporter {
  public let colour: Bool
  public init(colour: Bool) { self.colour = colour }

  public func head() -> String { "" }

  public func listing(_ id: String, findings: [Finding]) -> String {
    guard !findings.isEmpty else { return "" }
    var out = paint(id, "1") + "\n"
    for finding in findings {
      let where_ = "\(finding.location.file):\(finding.location.line):\(finding.location.column)"
      out += "  \(severityLabel(finding.severity)) \(finding.ruleID)  \(where_) [\(finding.location.scope)]\n"
      out += "    \(finding.message)\n"
      out += paint("    证据: \(finding.evidence)  依据: \(finding.citation)", "2") + "\n"
    }
    return out + "\n"
  }

  public func tail(_ summary: AuditSummary) -> String {
    var out = ""
    if !summary.issues.isEmpty {
      out += paint("Input issues", "1") + "\n"
      for issue in summary.issues {
        let listing = issue.listingID.map { " (\($0))" } ?? ""
        out += "  \(issue.file):\(issue.line)\(listing) \(issue.kind.rawValue): \(issue.message)\n"
      }
      out += "\n"
    }
    if !summary.staleBaselineEntries.isEmpty {
      out += paint("Baseline entries that no longer match (fixed: remove them from the baseline)", "1") + "\n"
      for entry in summary.staleBaselineEntries { out += "  \(entry)\n" }
      out += "\n"
    }
    out += summaryLine(summary) + "\n"
    return out
  }

  func summaryLine(_ summary: AuditSummary) -> String {
    let severities = Severity.allCases.reversed().map { severity in
      "\(summary.counts.bySeverity[severity] ?? 0) \(severity.rawValue)"
    }
    let areas = Area.allCases.compactMap { area -> String? in
      let count = summary.counts.byArea[area] ?? 0
      return count > 0 ? "\(area.rawValue) \(count)" : nil
    }
    var line = "\(summary.counts.total) findings (\(severities.joined(separator: ", ")))"
    if !areas.isEmpty { line += " · " + areas.joined(separator: ", ") }
    line += " · \(summary.listingsChecked) listings checked"
    if summary.listingsSkipped > 0 { line += ", \(summary.listingsSkipped) unchanged skipped" }
    line += " · \(summary.issues.count) input issues"
    if summary.suppressed > 0 { line += " · \(summary.suppressed) suppressed" }
    if summary.baselined > 0 { line += " · \(summary.baselined) in baseline" }
    if summary.reviewed > 0 { line += " · \(summary.reviewed) reviewed (accepted, waived or false positive)" }
    return line
  }

  func severityLabel(_ severity: Severity) -> String {
    let padded = severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
    switch severity {
    case .error: return paint(padded, "31")
    case .warning: return paint(padded, "33")
    case .info: return paint(padded, "36")
    }
  }

  func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
}
