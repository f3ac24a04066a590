/// `--format github`: GitHub Actions workflow commands, so findings show as annotations on the run and the diff.
///
/// Evidence is text from untrusted listings; escaping keeps a newline in it from starting a workflow command of its
/// own. GitHub shows only the first few annotations of each level per step, so the plain summary line at the end
/// gives the totals.
package struct GitHubReporter: StreamingReporter {
  public init() {}

  public func head() -> String { "" }

  public func listing(_ id: String, findings: [Finding]) -> String {
    var out = ""
    for finding in findings {
      let location = finding.location
      let evidence = finding.evidence.isEmpty ? "" : " (\(finding.evidence))"
      out += command(
        Self.command(for: finding.severity), file: location.file, line: location.line, column: location.column,
        title: finding.ruleID, message: "\(finding.message)\(evidence) — \(finding.citation)")
    }
    return out
  }

  public func tail(_ summary: AuditSummary) -> String {
    var out = ""
    for issue in summary.issues {
      let listing = issue.listingID.map { " (\($0))" } ?? ""
      out += command(
        "warning", file: issue.file, line: issue.line, column: 0, title: "input issue",
        message: "\(issue.kind.rawValue): \(issue.message)\(listing)")
    }
    return out + TextReporter(colour: false).summaryLine(summary) + "\n"
  }

  static func command(for severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "notice"
    }
  }

  /// Line and column 0 mean "not known" and are left out; a column without a line means nothing to GitHub.
  func command(_ name: String, file: String, line: Int, column: Int, title: String, message: String) -> String {
    var properties = ["file=\(Self.escapeProperty(file))"]
    if line > 0 {
      properties.append("line=\(line)")
      if column > 0 { properties.append("col=\(column)") }
    }
    properties.append("title=\(Self.escapeProperty(title))")
    return "::\(name) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
  }

  /// GitHub's escaping for a command's message (actions/toolkit `escapeData`). Works on scalars: as Characters,
  /// `"\r\n"` is one grapheme that a search for `"\n"` would not find.
  static func escapeData(_ text: String) -> String { escape(text, ["%": "%25", "\r": "%0D", "\n": "%0A"]) }

  /// A property value also cannot hold the `:` and `,` that separate properties (actions/toolkit `escapeProperty`).
  static func escapeProperty(_ text: String) -> String {
    escape(text, ["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
  }

  static func escape(_ text: String, _ replacements: [Unicode.Scalar: String]) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if let replacement = replacements[scalar] { out += replacement } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }
}
