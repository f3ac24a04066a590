import Foundation
import ListingParser

/// Deliberate silences: `<!-- auditor-ignore rule_id: reason -->` before an element of a page, and `audit_ignore`
/// entries of a feed record. A suppression needs a reason; one without a reason, or one that silences nothing, is
/// itself reported (as an input issue) so waivers cannot quietly pile up.
package enum Suppressions {
  struct Inline {
    var rules: [String]
    var file: String
    var fromLine: Int
    var throughLine: Int
  }

  /// Findings that survive the listing's suppressions, and the problems with the suppressions themselves.
  public static func apply(_ findings: [Finding], listing: Listing, comments: [PageDocument.Comment]) -> (
    kept: [Finding], suppressed: Int, issues: [InputIssue]
  ) {
    var issues: [InputIssue] = []
    var inline: [Inline] = []
    for comment in comments {
      guard comment.text.hasPrefix("auditor-ignore") else { continue }
      let body = comment.text.dropFirst("auditor-ignore".count).trimmingCharacters(in: .whitespaces)
      let parts = body.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      let rules = (parts.first ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
      let reason = parts.count > 1 ? parts[1] : ""
      let location = comment.location
      guard !rules.isEmpty, !reason.isEmpty else {
        issues.append(
          InputIssue(
            kind: .suppression, file: location.file, line: location.line, listingID: listing.id,
            message: "auditor-ignore needs rule ids and a reason: <!-- auditor-ignore rule_id: why it is lawful -->; it was not applied"))
        continue
      }
      inline.append(Inline(rules: rules, file: location.file, fromLine: location.line, throughLine: comment.coversThroughLine))
    }
    var feedRules: [String] = []
    for entry in listing.auditIgnore {
      if (entry.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
        issues.append(
          InputIssue(
            kind: .suppression, file: listing.source.file, line: listing.source.line, listingID: listing.id,
            message: "audit_ignore for '\(entry.rule)' has no reason; it was not applied"))
      } else {
        feedRules.append(entry.rule)
      }
    }
    var usedInline = Set<Int>()
    var usedFeed = Set<String>()
    var kept: [Finding] = []
    for finding in findings {
      if feedRules.contains(finding.ruleID) {
        usedFeed.insert(finding.ruleID)
        continue
      }
      if let index = inline.firstIndex(where: {
        $0.rules.contains(finding.ruleID) && $0.file == finding.location.file
          && ($0.fromLine...max($0.fromLine, $0.throughLine)).contains(finding.location.line)
      }) {
        usedInline.insert(index)
        continue
      }
      kept.append(finding)
    }
    for (index, entry) in inline.enumerated() where !usedInline.contains(index) {
      issues.append(
        InputIssue(
          kind: .suppression, file: entry.file, line: entry.fromLine, listingID: listing.id,
          message: "auditor-ignore \(entry.rules.joined(separator: ",")) suppresses nothing; remove it"))
    }
    for rule in Set(feedRules).subtracting(usedFeed).sorted() {
      issues.append(
        InputIssue(
          kind: .suppression, file: listing.source.file, line: listing.source.line, listingID: listing.id,
          message: "audit_ignore for '\(rule)' suppresses nothing; remove it"))
    }
    return (kept, findings.count - kept.count, issues)
  }
}
