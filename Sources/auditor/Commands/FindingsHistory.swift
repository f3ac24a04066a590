import ArgumentParser
import ComplianceRules
import Foundation

extension FindingsCommand {
  /// `auditor findings history ID`: every review decision about a finding, newest first.
  struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show every status change of a finding (by a reviewer or by auditor), newest first.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "The finding id `auditor findings` prints (a prefix of 8+ characters).") var id: String
    @Option(help: "text or json.") var format: OutputFormat = .text

    /// One decision as `--format json` prints it.
    struct Entry: Encodable {
      var decidedAt: String
      var decidedBy: String
      var from: String?
      var to: String
      var reason: String?
      var until: String?
      var run: Int64

      enum CodingKeys: String, CodingKey {
        case decidedAt = "decided_at"
        case decidedBy = "decided_by"
        case from, to, reason, until, run
      }
    }

    struct Output: Encodable {
      var fingerprint: String
      var history: [Entry]
    }

    func run() throws {
      let store = try database.openForReading()
      let history: (fingerprint: String, decisions: [DecisionRecord])
      do {
        history = try store.history(of: id)
      } catch let error as LifecycleError {
        throw ValidationError(error.description)
      }
      let entries = history.decisions.map {
        Entry(
          decidedAt: $0.decidedAt, decidedBy: $0.decidedBy, from: $0.fromStatus?.rawValue, to: $0.toStatus.rawValue,
          reason: $0.reason, until: $0.until, run: $0.runID)
      }
      switch format {
      case .json:
        try printJSON(Output(fingerprint: history.fingerprint, history: entries))
      case .text:
        print("\(history.fingerprint): \(entries.count) decisions, newest first")
        for entry in entries {
          var line = "\(entry.decidedAt)  \(entry.decidedBy)  \(entry.from ?? "—") → \(entry.to)  run \(entry.run)"
          if let until = entry.until { line += "  until \(until)" }
          if let reason = entry.reason { line += "  — \(reason)" }
          print(line)
        }
      }
    }
  }
}
