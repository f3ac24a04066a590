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
      ruleset or unreadable-feed errors (reported on stderr before any listing is checked), and when no listing \
      could be read from a feed (reported on stderr after the report).
      """)

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning, info, never
    var threshold: Severity? { Severity(rawValue: rawValue) }
  }

  @OptionGroup var inputs: RunOptions

  @Option(help: "Report format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: String = "text"

  @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "path"))
  var output: String?

  @Option(
    name: .customLong("fail-on"),
    help: "Exit 1 when a finding is at or above this severity: error, warning, info or never (default: error, or the configuration's).")
  var failOn: FailOn?

  @Option(help: ArgumentHelp("Report only findings not recorded in this baseline file (see `auditor baseline write`).", valueName: "path"))
  var baseline: String?

  func validate() throws {
    guard ReportFormat(rawValue: format) != nil else {
      throw ValidationError("unknown format '\(format)' (expected one of: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
  }

  func run() throws {
    let format = ReportFormat(rawValue: self.format)!
    let colour = output == nil && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let rules = try inputs.loadRules()
    // A bad baseline or an unwritable report file is a configuration error: reported before any listing is read.
    let reportOutput = try ReportOutput(path: output)
    let baseline = try loadBaseline(path: self.baseline ?? rules.configuration.baseline)
    // Text, JSON and GitHub reports are written as batches finish; SARIF and JUnit need every finding first.
    var report = StreamedReport(reporter: format.streaming(colour: colour), output: reportOutput)
    let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
    // Whatever happens below, what the report has gathered reaches its file or the terminal.
    defer { report.output.flush() }
    let checked = try inputs.run(
      rules, baseline: baseline, options: ["format": self.format], keepFindings: report.reporter == nil,
      reportToTerminal: toTerminal && report.reporter != nil, observer: &report)
    let summary = checked.summary
    let threshold = (failOn ?? checked.configuration.failOn.flatMap(FailOn.init(rawValue:)) ?? .error).threshold
    let failed = threshold.map { summary.count(atOrAbove: $0) > 0 } ?? false
    let exitCode: Int32 = checked.unreadFeeds.isEmpty ? (failed ? 1 : 0) : 2
    try checked.finish(exitCode: exitCode)
    if let reporter = report.reporter {
      report.startIfNeeded()
      report.output.write(reporter.tail(summary))
    } else {
      report.output.write(format.render(summary, rules: checked.ruleSet, colour: colour))
    }
    try report.output.close()
    if exitCode != 0 { throw ExitCode(exitCode) }
  }

  private func loadBaseline(path: String?) throws -> Baseline? {
    guard let path else { return nil }
    do {
      return try Baseline.load(path: path)
    } catch let errors as RulesetErrors {
      Stderr.write(errors.description)
      throw ExitCode(2)
    }
  }
}

/// A streaming report written as the run hands listings on; with no streaming reporter it waits for the summary.
private struct StreamedReport: RunObserver {
  var reporter: (any StreamingReporter)?
  let output: ReportOutput

  mutating func listingFinished(_ result: ListingResult) {
    guard reporter != nil else { return }
    startIfNeeded()
    output.write(reporter!.listing(result.listing.id, findings: result.findings))
  }

  /// Writes the head once, before the first listing or the tail.
  func startIfNeeded() {
    if let reporter, !output.started { output.write(reporter.head()) }
  }
}
