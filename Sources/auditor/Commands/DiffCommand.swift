import ArgumentParser
import ComplianceRules
import Foundation

/// `auditor diff [RUN_A RUN_B]`: what is new, fixed and unchanged between two runs (default: the last two complete
/// runs; named runs may be in any state).
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Show findings new, fixed and unchanged between two runs (default: the last two complete runs).")

  @OptionGroup var database: FindingsCommand.DatabaseOption
  @Argument(help: "The older and the newer run id.") var runs: [Int64] = []

  func validate() throws {
    guard runs.isEmpty || runs.count == 2 else { throw ValidationError("give two run ids, or none for the last two runs") }
  }

  func run() throws {
    let store = try database.openForReading()
    let (older, newer): (Int64, Int64)
    if runs.count == 2 {
      (older, newer) = (runs[0], runs[1])
    } else {
      let ids = try store.completeRunIDs()
      guard ids.count >= 2 else {
        throw ValidationError("the database has \(ids.count) complete run(s); diff needs two")
      }
      (older, newer) = (ids[ids.count - 2], ids[ids.count - 1])
    }
    let before = try store.findings(runID: older)
    let after = try store.findings(runID: newer)
    let beforePrints = Set(before.map(\.fingerprint))
    let afterPrints = Set(after.map(\.fingerprint))
    let new = after.filter { !beforePrints.contains($0.fingerprint) }
    let fixed = before.filter { !afterPrints.contains($0.fingerprint) }
    let unchanged = after.filter { beforePrints.contains($0.fingerprint) }
    print("run \(older) → run \(newer): \(new.count) new, \(fixed.count) fixed, \(unchanged.count) unchanged")
    for (label, findings) in [("new", new), ("fixed", fixed)] {
      for finding in findings {
        print("  \(label.padding(toLength: 6, withPad: " ", startingAt: 0)) \(finding.fingerprint.prefix(12))  \(finding.listingID)  \(finding.ruleID)  「\(finding.evidence)」")
      }
    }
  }
}
