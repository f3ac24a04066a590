import Foundation
import ListingParser

/// `--format junit`: JUnit XML for CI test dashboards (GitLab, Jenkins, Azure). Each checked listing is a testcase,
/// so clean listings show as passing and the dashboard's pass count means something; each finding is a `<failure>`.
///
/// The summary does not say which feed a listing came from, so there is one `<testsuite>`, and a testcase's
/// `classname` is the feed when the run has exactly one. Counts are of elements: `failures` is the number of
/// findings, `errors` the number of input issues (all in one extra "input issues" testcase).
package struct JUnitReporter: Reporter {
  public init() {}

  public func render(_ summary: AuditSummary, rules: Ruleset) -> String {
    let classname = summary.feeds.count == 1 ? summary.feeds[0] : "auditor"
    var remaining = Dictionary(grouping: summary.findings, by: \.listingID)
    // Listings with findings but missing from `checkedListings` still get a testcase: a CI gate must not lose one.
    // An id checked twice carries its findings on its first testcase, so `failures` still counts each finding once.
    let checked = Set(summary.checkedListings)
    let unlisted = summary.findingsByListing.map(\.listingID).filter { !checked.contains($0) }
    var cases: [String] = []
    for listingID in summary.checkedListings + unlisted {
      let findings = remaining.removeValue(forKey: listingID) ?? []
      cases.append(testcase(classname: classname, name: listingID, body: findings.map(failure)))
    }
    if !summary.issues.isEmpty {
      cases.append(testcase(classname: classname, name: "input issues", body: summary.issues.map(error)))
    }
    let counts =
      #"tests="\#(cases.count)" failures="\#(summary.findings.count)" errors="\#(summary.issues.count)" "#
      + #"time="\#(String(format: "%.3f", summary.finishedAt.timeIntervalSince(summary.startedAt)))""#
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="auditor" \(counts)>
        <testsuite name="auditor" \(counts)>
      \(cases.joined())  </testsuite>
      </testsuites>

      """
  }

  func testcase(classname: String, name: String, body: [String]) -> String {
    let open = #"    <testcase classname="\#(Self.escape(classname))" name="\#(Self.escape(name))""#
    return body.isEmpty ? open + "/>\n" : open + ">\n" + body.joined() + "    </testcase>\n"
  }

  /// Body: where, in which scope, the text that triggered it and the law, so the dashboard needs no other report.
  func failure(_ finding: Finding) -> String {
    let evidence = finding.evidence.isEmpty ? "" : " \(finding.evidence)"
    let body = "\(finding.location)\(evidence) — \(finding.citation)"
    return #"      <failure type="\#(Self.escape(finding.ruleID))" message="\#(Self.escape(finding.message))">"#
      + Self.escape(body, attribute: false) + "</failure>\n"
  }

  func error(_ issue: InputIssue) -> String {
    let body = "\(issue.file):\(issue.line)" + (issue.listingID.map { " (\($0))" } ?? "")
    return #"      <error type="\#(Self.escape(issue.kind.rawValue))" message="\#(Self.escape(issue.message))">"#
      + Self.escape(body, attribute: false) + "</error>\n"
  }

  /// XML 1.0 escaping. Characters XML cannot carry at all (C0 controls other than tab and newlines, U+FFFE, U+FFFF)
  /// are dropped; in attributes, tab and newlines become character references because parsers turn them into
  /// spaces otherwise. Everything else, Chinese included, stays as UTF-8.
  static func escape(_ text: String, attribute: Bool = true) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where attribute: out += "&quot;"
      case "\r": out += "&#13;"
      case "\n" where attribute: out += "&#10;"
      case "\t" where attribute: out += "&#9;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
