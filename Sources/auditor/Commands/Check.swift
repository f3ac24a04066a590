import ArgumentParser
import ComplianceRules
import Foundation
import ListingParser

/// `auditor check FEED…`: the main job.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check the listings of one or more feeds and their detail pages.",
    discussion: """
      Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 for usage, configuration, \
      ruleset or unreadable-feed errors (reported on stderr before any listing is checked).
      """)

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning, info, never
    var threshold: Severity? { Severity(rawValue: rawValue) }
  }

  @Argument(help: ArgumentHelp("Feed files: .ndjson/.jsonl, .json (array or NDJSON) or .csv.", valueName: "feed"))
  var feeds: [String]

  @OptionGroup var ruleOptions: RuleOptions

  @Option(help: ArgumentHelp("SQLite database to record the run in (created if missing).", valueName: "path"))
  var db: String?

  @Option(help: "Report format: text or json.")
  var format: String = "text"

  @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning, info or never.")
  var failOn: FailOn = .error

  @Option(help: "Worker threads (default: the number of cores).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  func validate() throws {
    guard ReportFormat(rawValue: format) != nil else {
      throw ValidationError("unknown format '\(format)' (expected one of: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    let ruleSet = try ruleOptions.load()
    var readers: [FeedReader] = []
    for path in feeds {
      do {
        readers.append(try FeedReader(path: path))
      } catch {
        FileHandle.standardError.write(Data("auditor: \(error)\n".utf8))
        throw ExitCode(2)
      }
    }
    let store: FindingsStore?
    do {
      store = try db.map { try FindingsStore(path: $0) }
    } catch {
      FileHandle.standardError.write(Data("auditor: cannot open database \(db ?? ""): \(error)\n".utf8))
      throw ExitCode(2)
    }
    let options = ["format": format, "fail_on": failOn.rawValue, "jobs": String(jobs), "rules": ruleOptions.rulesets.joined(separator: ",")]
    let run = AuditRun(checker: ListingChecker(ruleSet: ruleSet), store: store, jobs: jobs)
    let summary = try run.run(readers, paths: feeds, options: options, toolVersion: Auditor.version)
    let failed = failOn.threshold.map { summary.count(atOrAbove: $0) > 0 } ?? false
    let exitCode: Int32 = failed ? 1 : 0
    if let store, let runID = summary.runID {
      try store.finishRun(
        runID, listingsChecked: summary.listingsChecked, listingsSkipped: summary.listingsSkipped,
        findingsCount: summary.findings.count, inputIssuesCount: summary.issues.count, exitCode: exitCode)
    }
    let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    print(ReportFormat(rawValue: format)!.render(summary, rules: ruleSet, colour: colour), terminator: "")
    if failed { throw ExitCode(exitCode) }
  }
}
