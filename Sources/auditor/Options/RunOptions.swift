import ArgumentParser
import ComplianceRules
import Foundation
import ListingParser

/// What to check and with which rules: shared by `check` and `baseline write`.
struct RunOptions: ParsableArguments {
  @Argument(help: ArgumentHelp("Feed files: .ndjson/.jsonl, .json (array or NDJSON) or .csv.", valueName: "feed"))
  var feeds: [String]

  @OptionGroup var ruleOptions: RuleOptions

  @Option(help: ArgumentHelp("Configuration file (default: ./auditor.yml when present).", valueName: "path"))
  var config: String?

  @Option(help: ArgumentHelp("SQLite database to record the run in (created if missing).", valueName: "path"))
  var db: String?

  @Option(help: "Worker threads (default: the number of cores).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: ArgumentHelp("Pages larger than this are reported as too_large and not read.", valueName: "bytes"))
  var maxPageBytes = HTMLReader.defaultMaxPageBytes

  @Option(
    help: ArgumentHelp("Feed records larger than this are reported as too_large and skipped.", valueName: "bytes"))
  var maxRecordBytes = FeedRecordLimit.defaultBytes

  @Flag(help: "Skip listings whose feed record and page are unchanged since the database last checked them (needs --db).")
  var incremental = false

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    guard maxPageBytes >= 1 else { throw ValidationError("--max-page-bytes must be at least 1") }
    guard maxRecordBytes >= 1 else { throw ValidationError("--max-record-bytes must be at least 1") }
    if incremental, db == nil { throw ValidationError("--incremental needs --db: the database remembers what was checked") }
  }

  /// The configuration, from --config or ./auditor.yml; exits 2 on any error in it.
  func configuration() throws -> AuditConfiguration {
    let path = config ?? (FileManager.default.fileExists(atPath: AuditConfiguration.fileName) ? AuditConfiguration.fileName : nil)
    guard let path else { return AuditConfiguration() }
    do {
      return try AuditConfiguration.load(path: path)
    } catch let errors as RulesetErrors {
      Stderr.write("configuration errors:\n\(errors)")
      throw ExitCode(2)
    }
  }

  /// Loads configuration and rules, lets the command load what else it needs (`prepare`: the baseline, the
  /// report file), opens feeds and database — everything that can fail with exit 2 happens before any listing is
  /// read — then runs, handing each listing to `onResult` as its batch finishes.
  func run(
    options: [String: String], keepFindings: Bool = true, reportToTerminal: Bool = false,
    prepare: (AuditConfiguration) throws -> Baseline? = { _ in nil },
    onResult: (ListingResult) throws -> Void = { _ in }
  ) throws -> CheckedRun {
    let configuration = try configuration()
    var ruleOptions = self.ruleOptions
    if ruleOptions.rulesets.isEmpty { ruleOptions.rulesets = configuration.rulesets }
    let loaded = try ruleOptions.load()
    let unknown = configuration.unknownRuleIDs(in: loaded)
    guard unknown.isEmpty else {
      Stderr.write("configuration errors:\n\(RulesetErrors(unknown))")
      throw ExitCode(2)
    }
    let ruleSet = loaded.filtered(configuration.isEnabled)
    let baseline = try prepare(configuration)
    var readers: [FeedReader] = []
    let ids = ListingIDRegister()
    for path in feeds {
      do {
        readers.append(try FeedReader(path: path, ids: ids, maxRecordBytes: maxRecordBytes))
      } catch {
        Stderr.write("auditor: \(error)")
        throw ExitCode(2)
      }
    }
    let store: (any AuditStore)?
    do {
      store = try db.map { try FindingsStore(path: $0) }
    } catch {
      Stderr.write("auditor: cannot open database \(db ?? ""): \(error)")
      throw ExitCode(2)
    }
    let checker = ListingChecker(ruleSet: ruleSet, severities: configuration.severity)
    var run = AuditRun(checker: checker, store: store, jobs: jobs, incremental: incremental)
    run.maxPageBytes = maxPageBytes
    run.keepFindings = keepFindings
    run.baseline = baseline
    var runOptions = options
    runOptions["jobs"] = String(jobs)
    runOptions["incremental"] = String(incremental)
    runOptions["max_page_bytes"] = String(maxPageBytes)
    runOptions["max_record_bytes"] = String(maxRecordBytes)
    runOptions["rules"] = ruleOptions.paths.joined(separator: ",")
    let progress = Progress(feeds: feeds, reportToTerminal: reportToTerminal)
    let summary = try run.run(readers, paths: feeds, options: runOptions, toolVersion: Auditor.version) {
      progress.tick($0)
      try onResult($0)
    }
    progress.finish()
    let unreadFeeds = readers.compactMap(\.nothingReadReason)
    for reason in unreadFeeds { Stderr.write("auditor: \(reason)") }
    return CheckedRun(
      summary: summary, ruleSet: ruleSet, configuration: configuration, store: store, unreadFeeds: unreadFeeds)
  }
}

/// A finished check, before its report: the caller may still filter findings (baseline) and decides the exit code.
struct CheckedRun {
  var summary: AuditSummary
  let ruleSet: RuleSet
  let configuration: AuditConfiguration
  let store: (any AuditStore)?
  /// Why each feed from which no listing could be read gave none (already on stderr): any makes the run exit 2,
  /// after its report, so a broken import fails a CI gate as an unreadable feed does.
  var unreadFeeds: [String] = []

  /// Records the run's totals and exit code in the database.
  func finish(exitCode: Int32) throws {
    guard let store, let runID = summary.runID else { return }
    try store.finishRun(
      runID, listingsChecked: summary.listingsChecked, listingsSkipped: summary.listingsSkipped,
      findingsCount: summary.counts.total, inputIssuesCount: summary.issues.count, exitCode: exitCode)
  }
}

/// Error output for messages the tool prints itself before exiting.
enum Stderr {
  static func write(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
  }
}
