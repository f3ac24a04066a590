import ArgumentParser
import ComplianceRules
import Foundation

/// `auditor findings`: the review queue in the database — list findings with their status, and change statuses.
struct FindingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "findings",
    abstract: "List findings recorded in the database, with their review status, or change their status.",
    subcommands: [List.self, SetStatus.self, History.self],
    defaultSubcommand: List.self)

  struct DatabaseOption: ParsableArguments {
    @Option(
      help: ArgumentHelp(
        "The database `auditor check --db` wrote: a SQLite file or postgres://user@host:port/db.",
        valueName: "path or url"))
    var db: String = "audit.sqlite"

    /// Opens the database to change it.
    func open() throws -> any AuditStore {
      try StoreLocation.checkExists(db)
      return try StoreLocation.open(db)
    }

    /// Opens the database only to read it, so a read-only SQLite file or folder works.
    func openForReading() throws -> any AuditStore {
      try StoreLocation.openForReading(db)
    }

    /// The database as messages show it (never a password).
    var display: String { StoreLocation.display(db) }
  }

  /// How the read-only commands print: for people, or for scripts.
  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List findings (the default).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Only this status: open, accepted, waived, false_positive, fixed.") var status: String?
    @Option(help: "Only this area.") var area: String?
    @Option(help: "Only this listing.") var listing: String?
    @Option(name: .customLong("run"), help: "The run whose findings to list (default: the last complete run).")
    var runID: Int64?

    func validate() throws {
      if let status, FindingStatus(rawValue: status) == nil {
        throw ValidationError("unknown status '\(status)' (open, accepted, waived, false_positive, fixed)")
      }
    }

    func run() throws {
      let store = try database.openForReading()
      guard let runID = try runID ?? store.lastCompleteRunID() else {
        print("no complete runs recorded in \(database.display)")
        return
      }
      var rows = try store.reviewedFindings(runID: runID)
      if status == FindingStatus.fixed.rawValue {
        let fixed = try store.fixedFindings()
        print("fixed findings (no longer reported): \(fixed.count)")
        for record in fixed {
          print("\(record.fingerprint.prefix(12))  fixed  last reported in run \(record.lastRun)  \(record.changedAt ?? "")")
        }
        return
      }
      rows = rows.filter { row in
        (status == nil || row.status.rawValue == status) && (area == nil || row.finding.area.rawValue == area)
          && (listing == nil || row.finding.listingID == listing)
      }
      for row in rows {
        let finding = row.finding
        var line = "\(finding.fingerprint.prefix(12))  \(row.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0))"
        line += "\(finding.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))\(finding.listingID)  \(finding.ruleID)  "
        line += "\(finding.location.file):\(finding.location.line):\(finding.location.column)  「\(finding.evidence)」"
        if let reason = row.reason, row.status != .open { line += "  — \(reason)" }
        if let until = row.until { line += " (until \(until))" }
        print(line)
      }
      print("\(rows.count) findings in run \(runID)")
    }
  }

  struct SetStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "Change the status of findings, by the ids `auditor findings` prints (a prefix of 8+ characters).")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "Finding ids.") var ids: [String]
    @Option(help: "open, accepted, waived, false_positive or fixed.") var status: String
    @Option(help: "Why (required for accepted, waived and false_positive).") var reason: String?
    @Option(help: ArgumentHelp("Waivers: the date (YYYY-MM-DD) after which the finding re-opens.", valueName: "date"))
    var until: String?
    @Option(help: "Who decides (default: $USER).") var by: String?

    func validate() throws {
      guard let status = FindingStatus(rawValue: status) else {
        throw ValidationError("unknown status '\(self.status)' (open, accepted, waived, false_positive, fixed)")
      }
      if [.accepted, .waived, .falsePositive].contains(status), (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--reason is required for \(status.rawValue)")
      }
      if status == .waived, until == nil { throw ValidationError("a waiver needs --until YYYY-MM-DD") }
      if let until {
        do {
          try FindingsStore.validateWaiverDate(until, today: AuditRun.today())
        } catch let error as LifecycleError {
          throw ValidationError(error.description)
        }
      }
    }

    func run() throws {
      let store = try database.open()
      let user = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
      do {
        let changed = try store.setStatus(ids, to: FindingStatus(rawValue: status)!, reason: reason, until: until, by: user)
        for fingerprint in changed { print("\(fingerprint.prefix(12))  → \(status)") }
      } catch let error as LifecycleError {
        throw ValidationError(error.description)
      }
    }
  }
}
