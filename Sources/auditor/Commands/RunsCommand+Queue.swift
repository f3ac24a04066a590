import ArgumentParser
import ComplianceRules
import Foundation
import PostgresStore

extension RunsCommand {
  /// The runs of a PostgreSQL database with their jobs by state and the workers that worked on them.
  func queueRuns() throws {
    let url = try PostgresOption.url(database.db)
    let queue = try PostgresOption.open(url)
    let runs = try blocking {
      defer { Task { await queue.close() } }
      return try await queue.queueRuns()
    }
    switch format {
    case .json:
      try printJSON(runs)
    case .text:
      for run in runs {
        let state = run.state.padding(toLength: 10, withPad: " ", startingAt: 0)
        let finished = (run.finishedAt ?? "—").padding(toLength: 20, withPad: " ", startingAt: 0)
        print(
          "\(run.id)  \(state)  \(run.startedAt)  \(finished)  \(run.pending) pending, \(run.leased) leased, "
            + "\(run.done) done, \(run.failed) failed, \(run.findings) findings, \(run.inputIssues) input issues, "
            + "\(run.workers.count) workers  " + run.feeds.joined(separator: " "))
        for worker in run.workers { print("    worker \(worker)") }
      }
      print("\(runs.count) runs in \(url)")
    }
  }
}
