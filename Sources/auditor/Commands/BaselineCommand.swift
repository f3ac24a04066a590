import ArgumentParser
import ComplianceRules
import Foundation

/// `auditor baseline write FILE FEED…`: record today's findings so a gate fails only on new ones.
struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Record current findings in a baseline file for `check --baseline`.",
    subcommands: [Write.self])

  struct Write: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check the feeds and write every finding's fingerprint to FILE (sorted, diff-friendly JSON).")

    @Argument(help: ArgumentHelp("The baseline file to write.", valueName: "file"))
    var file: String

    @OptionGroup var inputs: RunOptions

    func run() throws {
      var observer = IgnoringObserver()
      let checked = try inputs.run(inputs.loadRules(), options: ["command": "baseline write"], observer: &observer)
      // A baseline of a feed that gave no listing would accept nothing and hide the broken import.
      guard checked.unreadFeeds.isEmpty else {
        try checked.finish(exitCode: 2)
        throw ExitCode(2)
      }
      try checked.finish(exitCode: 0)
      do {
        try Baseline(findings: checked.summary.findings).write(to: file)
      } catch {
        Stderr.write("auditor: cannot write \(file): \(error)")
        throw ExitCode(2)
      }
      print("wrote \(checked.summary.findings.count) findings of \(checked.summary.listingsChecked) listings to \(file)")
    }
  }
}
