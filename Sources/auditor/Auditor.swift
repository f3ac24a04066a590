import ArgumentParser
import ComplianceRules
import Foundation

/// The root command. Exit codes: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 usage,
/// configuration or unreadable-feed errors.
@main
struct Auditor: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "auditor",
    abstract: "Checks Chinese e-commerce listings for legal and platform compliance.",
    discussion: """
      Reads a catalogue feed (NDJSON, JSON or CSV) and each listing's detail page, runs the rules of \
      rulesets/*.yml and the coded rules, writes every finding to SQLite and prints a report.
      """,
    version: version,
    subcommands: [
      Check.self, Rules.self, TestRules.self, FindingsCommand.self, DiffCommand.self, RunsCommand.self,
      BaselineCommand.self, ServeCommand.self, UsersCommand.self, QueueCommand.self, WorkerCommand.self,
      ReportCommand.self,
    ],
    defaultSubcommand: nil
  )

  /// ArgumentParser exits 64 on usage errors; this tool promises 2, so errors are mapped here.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      Foundation.exit(code.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}
