import ArgumentParser
import ComplianceRules
import Foundation
import PostgresStore

/// `auditor report [RUN] --db …`: a stored run's report, as `auditor check` printed it, so CI can enqueue, let the
/// fleet work and then gate on the run.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Print a stored run's report (default: the last complete run), from SQLite or PostgreSQL.",
    discussion: "Exit status as `auditor check`: 1 when a finding is at or above --fail-on, 2 when the run is missing.")

  @Argument(help: ArgumentHelp("The run id (default: the last complete run).", valueName: "run"))
  var runID: Int64?

  @Option(
    help: ArgumentHelp(
      "The SQLite file or postgres://user@host:port/db database holding the run.", valueName: "path or url"))
  var db: String = "audit.sqlite"

  @Option(help: "Report format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: String = "text"

  @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity (default: error).")
  var failOn: Check.FailOn = .error

  @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "path"))
  var output: String?

  @OptionGroup var ruleOptions: RuleOptions

  func validate() throws {
    guard ReportFormat(rawValue: format) != nil else {
      let formats = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
      throw ValidationError("unknown format '\(format)' (expected one of: \(formats))")
    }
  }

  func run() throws {
    let ruleSet = try ruleOptions.load()
    let summary: AuditSummary
    if PostgresURL.isPostgres(db) {
      let queue = try PostgresOption.open(try PostgresOption.url(db))
      let requested = runID
      do {
        summary = try blocking {
          defer { Task { await queue.close() } }
          return try await queue.storedRun(requested).summary
        }
      } catch let error as PostgresStoreError {
        Stderr.write("auditor: \(error)")
        throw ExitCode(2)
      }
    } else {
      guard FileManager.default.fileExists(atPath: db) else {
        throw ValidationError("no database at \(db): run `auditor check FEED --db \(db)` first")
      }
      guard let stored = try FindingsStore.reading(path: db).storedSummary(runID: runID) else {
        Stderr.write("auditor: no \(runID.map { "run \($0)" } ?? "complete run") in \(db)")
        throw ExitCode(2)
      }
      summary = stored
    }
    let report = try ReportOutput(path: output)
    let colour = output == nil && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let format = ReportFormat(rawValue: self.format)!
    if var reporter = format.streaming(colour: colour), !summary.checkedListings.isEmpty {
      // As `check` streams it: every checked listing in turn, clean ones included.
      let findings = Dictionary(grouping: summary.findings, by: \.listingID)
      report.write(reporter.head())
      for listingID in summary.checkedListings {
        report.write(reporter.listing(listingID, findings: findings[listingID] ?? []))
      }
      report.write(reporter.tail(summary))
    } else {
      report.write(format.render(summary, rules: ruleSet, colour: colour))
    }
    try report.close()
    if let threshold = failOn.threshold, summary.count(atOrAbove: threshold) > 0 { throw ExitCode(1) }
  }
}
