import Foundation
import ListingParser

/// Runs the annotated corpus (`corpus/<area>/`) and scores every rule against the annotations.
///
/// A page marks its cases with a comment before the element that holds the text: `<!-- ruleid: x -->` (x must fire
/// there) or `<!-- ok: x -->` (a trap: x must not fire there). Listing-level cases are lines of
/// `expected.txt`: `listing_id:rule_id` or `listing_id:!rule_id`. Any finding that no annotation expects is a false
/// alarm; any expectation no finding meets is a miss.
///
/// A folder with `labels.ndjson` instead is a blind set, labelled by area by people who never saw the rules (see
/// `AreaLabels`): it is judged by area, not by rule or element.
public struct CorpusRunner {
  public struct Score: Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    /// Traps (`ok:` / `!rule`) that held.
    public var trapsHeld = 0
    public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
  }

  public struct Report: Sendable {
    public var byRule: [String: Score] = [:]
    public var byArea: [String: Score] = [:]
    /// Human-readable lines for every false alarm and miss.
    public var failures: [String] = []
    public var cases = 0
    public var traps = 0
    /// Blind-set labels marked `todo`: known gaps, scored but not failures.
    public var todos: [String] = []
    /// Blind-set alarms in an area the listing has no label for: not scored until labelled.
    public var unjudged: [String] = []
    public var inputIssues: [InputIssue] = []
  }

  private struct Annotation {
    var rules: [String]
    var expected: Bool
    var file: String
    var from: Int
    var through: Int
    var matched: Set<String> = []
  }

  public let checker: ListingChecker
  public init(checker: ListingChecker) { self.checker = checker }

  public func run(corpus: String) throws -> Report {
    var report = Report()
    let areas = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted()
    let areaOf = Dictionary(uniqueKeysWithValues: checker.ruleSet.rules.map { ($0.description.id, $0.description.area.rawValue) })
    for area in areas {
      let feed = "\(corpus)/\(area)/listings.ndjson"
      guard FileManager.default.fileExists(atPath: feed) else { continue }
      try run(area: "\(corpus)/\(area)", feed: feed, areaOf: areaOf, into: &report)
    }
    return report
  }

  /// Checks every listing `reader` gives, adding the feed's input issues and the checker's (not its suppressions)
  /// to `report`, and hands each listing and its result on.
  private func checkListings(
    of reader: FeedReader, into report: inout Report, _ score: (Listing, ListingResult, inout Report) throws -> Void
  ) rethrows {
    while let event = reader.next() {
      guard case .listing(let listing) = event else {
        if case .issue(let issue) = event { report.inputIssues.append(issue) }
        continue
      }
      let result = checker.check(.reading(listing))
      report.inputIssues += result.issues.filter { $0.kind != .suppression }
      try score(listing, result, &report)
    }
  }

  private func run(area folder: String, feed: String, areaOf: [String: String], into report: inout Report) throws {
    if let labels = try AreaLabels.load(folder: folder) {
      return try runBlind(feed: feed, labels: labels, into: &report)
    }
    let reader = try FeedReader(path: feed)
    var expected: [(listing: String, rule: String, must: Bool, line: Int, met: Bool)] = []
    if let text = try? String(contentsOfFile: "\(folder)/expected.txt", encoding: .utf8) {
      for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = String(raw[..<(raw.firstIndex(of: "#") ?? raw.endIndex)]).trimmingCharacters(in: .whitespaces)
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { continue }
        let must = !parts[1].hasPrefix("!")
        expected.append((parts[0], must ? parts[1] : String(parts[1].dropFirst()), must, index + 1, false))
      }
    }
    let html = HTMLReader()
    try checkListings(of: reader, into: &report) { listing, result, report in
      var annotations: [Annotation] = []
      if let detail = listing.detailPage,
        case .success(let path) = PageLocator.resolve(detail, feedPath: feed, listingID: listing.id, line: listing.source.line),
        case .success(let page) = html.read(path: path, displayPath: path, listingID: listing.id)
      {
        for comment in page.comments {
          // `ruleid: a, b; ok: c`: clauses by `;`, ids by `,`.
          for clause in comment.text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            for (prefix, must) in [("ruleid:", true), ("ok:", false)] where clause.hasPrefix(prefix) {
              let rules = clause.dropFirst(prefix.count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
              annotations.append(
                Annotation(
                  rules: rules, expected: must, file: comment.location.file, from: comment.location.line,
                  through: max(comment.location.line, comment.coversThroughLine)))
            }
          }
        }
      }
      for finding in result.findings {
        let area = areaOf[finding.ruleID] ?? finding.area.rawValue
        if let index = annotations.firstIndex(where: {
          $0.expected && $0.rules.contains(finding.ruleID) && $0.file == finding.location.file
            && ($0.from...$0.through).contains(finding.location.line)
        }) {
          annotations[index].matched.insert(finding.ruleID)
          report.byRule[finding.ruleID, default: Score()].truePositives += 1
          report.byArea[area, default: Score()].truePositives += 1
        } else if let index = expected.firstIndex(where: { $0.must && $0.listing == listing.id && $0.rule == finding.ruleID }) {
          expected[index].met = true
          report.byRule[finding.ruleID, default: Score()].truePositives += 1
          report.byArea[area, default: Score()].truePositives += 1
        } else {
          report.byRule[finding.ruleID, default: Score()].falsePositives += 1
          report.byArea[area, default: Score()].falsePositives += 1
          report.failures.append(
            "false alarm: \(finding.location.file):\(finding.location.line):\(finding.location.column) \(listing.id) \(finding.ruleID) 「\(finding.evidence)」")
        }
      }
      let fired = Set(result.findings.map(\.ruleID))
      for annotation in annotations {
        for rule in annotation.rules {
          report.cases += 1
          let area = areaOf[rule] ?? "?"
          if annotation.expected {
            if !annotation.matched.contains(rule) {
              report.byRule[rule, default: Score()].falseNegatives += 1
              report.byArea[area, default: Score()].falseNegatives += 1
              report.failures.append("missed: \(annotation.file):\(annotation.from) \(listing.id) ruleid: \(rule)")
            }
          } else {
            report.traps += 1
            report.byRule[rule, default: Score()].trapsHeld += 1
            report.byArea[area, default: Score()].trapsHeld += 1
          }
        }
      }
      for index in expected.indices where expected[index].listing == listing.id && !expected[index].must {
        expected[index].met = !fired.contains(expected[index].rule)
      }
    }
    for entry in expected {
      report.cases += 1
      let area = areaOf[entry.rule] ?? "?"
      if entry.must {
        if !entry.met {
          report.byRule[entry.rule, default: Score()].falseNegatives += 1
          report.byArea[area, default: Score()].falseNegatives += 1
          report.failures.append("missed: \(folder)/expected.txt:\(entry.line) \(entry.listing):\(entry.rule)")
        }
      } else {
        report.traps += 1
        if entry.met {
          report.byRule[entry.rule, default: Score()].trapsHeld += 1
          report.byArea[area, default: Score()].trapsHeld += 1
        }
      }
    }
  }
}

extension CorpusRunner {
  /// Scores a blind set by area: a warning or error of an area on a listing is an alarm; an info hint is not.
  /// An alarm on a label that says violation is a hit; on a lawful label, a false alarm; in an area the listing has
  /// no label for, unjudged (listed, not scored). A violation label with no alarm is a miss. `todo` labels are scored the same way but
  /// listed apart, not as failures.
  private func runBlind(feed: String, labels: AreaLabels, into report: inout Report) throws {
    let reader = try FeedReader(path: feed)
    try checkListings(of: reader, into: &report) { listing, result, report in
      let alarms = Dictionary(grouping: result.findings.filter { $0.severity >= .warning }, by: \.area.rawValue)
      let labelled = labels.byListing[listing.id] ?? [:]
      for (area, label) in labelled.sorted(by: { $0.key < $1.key }) {
        report.cases += 1
        let found = alarms[area] ?? []
        var outcome: String? = nil
        switch (label.violation, found.isEmpty) {
        case (true, false):
          report.byArea[area, default: Score()].truePositives += 1
          for finding in found { report.byRule[finding.ruleID, default: Score()].truePositives += 1 }
        case (true, true):
          report.byArea[area, default: Score()].falseNegatives += 1
          outcome = "missed: \(labels.file):\(label.line) \(listing.id) \(area) 「\(label.evidence)」"
        case (false, true):
          report.traps += 1
          report.byArea[area, default: Score()].trapsHeld += 1
        case (false, false):
          report.traps += 1
          report.byArea[area, default: Score()].falsePositives += 1
          for finding in found { report.byRule[finding.ruleID, default: Score()].falsePositives += 1 }
          outcome = "false alarm: \(labels.file):\(label.line) \(listing.id) \(area) lawful, yet "
            + found.map { "\($0.ruleID) 「\($0.evidence)」" }.joined(separator: ", ")
        }
        if let outcome {
          if label.todo { report.todos.append("todo " + outcome) } else { report.failures.append(outcome) }
        }
      }
      // The authors label the areas they wrote a listing for; an alarm elsewhere is neither right nor wrong until
      // someone labels it.
      for (_, found) in alarms.sorted(by: { $0.key < $1.key }) where labelled[found[0].area.rawValue] == nil {
        for finding in found {
          report.unjudged.append(
            "unjudged: \(finding.location.file):\(finding.location.line):\(finding.location.column) \(listing.id) "
              + "\(finding.ruleID) 「\(finding.evidence)」 (no \(finding.area.rawValue) label)")
        }
      }
    }
  }
}

extension CorpusRunner.Report {
  /// The precision/recall table `auditor test-rules` and the corpus test print.
  public var table: String {
    func row(_ name: String, _ score: CorpusRunner.Score) -> String {
      let label = name.padding(toLength: 34, withPad: " ", startingAt: 0)
      return label
        + String(
          format: " %4d %4d %4d %5d   %.2f   %.2f", score.truePositives, score.falsePositives, score.falseNegatives,
          score.trapsHeld, score.precision, score.recall)
    }
    var lines = ["rule                                 TP   FP   FN traps  prec  recall"]
    lines += byRule.keys.sorted().map { row($0, byRule[$0]!) }
    lines.append("")
    lines.append("area                                 TP   FP   FN traps  prec  recall")
    lines += byArea.keys.sorted().map { row($0, byArea[$0]!) }
    lines.append("")
    lines.append("\(cases) cases, \(traps) traps, \(failures.count) failures" + (todos.isEmpty ? "" : ", \(todos.count) known gaps (todo)")
        + (unjudged.isEmpty ? "" : ", \(unjudged.count) unjudged alarms"))
    return lines.joined(separator: "\n")
  }
}
