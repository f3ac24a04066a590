import ArgumentParser
import ComplianceRules
import Foundation
import PostgresStore

/// `auditor runs`: the runs a database holds, with their state, so a partial (running or incomplete) run is visible.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "List the runs recorded in the database: state (running, complete, incomplete), times and counts.")

  @OptionGroup var database: FindingsCommand.DatabaseOption
  @Option(help: "text or json.") var format: FindingsCommand.OutputFormat = .text

  /// One run as `--format json` prints it.
  struct Entry: Encodable {
    var id: Int64
    var state: String
    var startedAt: String
    var finishedAt: String?
    var feeds: [String]
    var listingsChecked: Int
    var listingsSkipped: Int
    var findings: Int
    var inputIssues: Int
    var exitCode: Int32?

    enum CodingKeys: String, CodingKey {
      case id, state
      case startedAt = "started_at"
      case finishedAt = "finished_at"
      case feeds
      case listingsChecked = "listings_checked"
      case listingsSkipped = "listings_skipped"
      case findings
      case inputIssues = "input_issues"
      case exitCode = "exit_code"
    }
  }

  func run() throws {
    if PostgresURL.isPostgres(database.db) { return try queueRuns() }
    let dates = ISO8601DateFormatter()
    let entries = try database.openForReading().runs().map { run in
      Entry(
        id: run.id ?? 0, state: run.state.rawValue, startedAt: dates.string(from: run.startedAt),
        finishedAt: run.finishedAt.map(dates.string(from:)), feeds: run.feeds, listingsChecked: run.listingsChecked,
        listingsSkipped: run.listingsSkipped, findings: run.findingsCount, inputIssues: run.inputIssuesCount,
        exitCode: run.exitCode)
    }
    switch format {
    case .json:
      try printJSON(entries)
    case .text:
      for entry in entries {
        let state = entry.state.padding(toLength: 10, withPad: " ", startingAt: 0)
        let finished = (entry.finishedAt ?? "—").padding(toLength: 20, withPad: " ", startingAt: 0)
        print(
          "\(entry.id)  \(state)  \(entry.startedAt)  \(finished)  \(entry.listingsChecked) checked, "
            + "\(entry.listingsSkipped) skipped, \(entry.findings) findings, \(entry.inputIssues) input issues  "
            + entry.feeds.joined(separator: " "))
      }
      print("\(entries.count) runs in \(database.display)")
    }
  }
}
