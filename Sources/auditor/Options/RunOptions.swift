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

  @Option(
    help: ArgumentHelp(
      "Database to record the run in: a SQLite file (created if missing) or postgres://user@host:port/db.",
      valueName: "path or url"))
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

  /// Loads the configuration and the rules; exits 2 on any error in them, before any input is read.
  func loadRules() throws -> LoadedRules {
    let configuration = try configuration()
    var ruleOptions = self.ruleOptions
    if ruleOptions.rulesets.isEmpty { ruleOptions.rulesets = configuration.rulesets }
    let loaded = try ruleOptions.load()
    let unknown = configuration.unknownRuleIDs(in: loaded)
    guard unknown.isEmpty else {
      Stderr.write("configuration errors:\n\(RulesetErrors(unknown))")
      throw ExitCode(2)
    }
    return LoadedRules(
      configuration: configuration, ruleSet: loaded.filtered(configuration.isEnabled), paths: ruleOptions.paths)
  }

  /// Opens feeds and database — what can fail with exit 2 fails here, before any listing is read — builds the
  /// report policy from the database's review statuses and `baseline`, then runs, handing each listing to
  /// `observer` as its batch finishes.
  func run<Observer: RunObserver>(
    _ rules: LoadedRules, baseline: Baseline? = nil, options: [String: String], keepFindings: Bool = true,
    reportToTerminal: Bool = false, observer: inout Observer
  ) throws -> CheckedRun {
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
    let store = try db.map(StoreLocation.open)
    let checker = ListingChecker(ruleSet: rules.ruleSet, severities: rules.configuration.severity)
    var run = AuditRun(checker: checker, store: store, jobs: jobs, incremental: incremental)
    run.maxPageBytes = maxPageBytes
    run.keepFindings = keepFindings
    // Reviewers' decisions change only between runs (`updateStatuses`), so they are read once, here.
    run.policy = ReportPolicy(hidden: try store?.hiddenStatuses(today: AuditRun.today()) ?? [:], baseline: baseline)
    var runOptions = options
    runOptions["jobs"] = String(jobs)
    runOptions["incremental"] = String(incremental)
    runOptions["max_page_bytes"] = String(maxPageBytes)
    runOptions["max_record_bytes"] = String(maxRecordBytes)
    runOptions["rules"] = rules.paths.joined(separator: ",")
    var progress = ProgressObserver(
      progress: Progress(feeds: feeds, reportToTerminal: reportToTerminal), next: observer)
    let summary = try run.run(
      readers, paths: feeds, options: runOptions, toolVersion: Auditor.version, observer: &progress)
    observer = progress.next
    progress.progress.finish()
    let unreadFeeds = readers.compactMap(\.nothingReadReason)
    for reason in unreadFeeds { Stderr.write("auditor: \(reason)") }
    return CheckedRun(
      summary: summary, ruleSet: rules.ruleSet, configuration: rules.configuration, store: store,
      unreadFeeds: unreadFeeds)
  }
}

/// The configuration and the rules it enables, loaded before anything else.
struct LoadedRules {
  let configuration: AuditConfiguration
  let ruleSet: Ruleset
  /// The ruleset paths as given (`builtin` for the compiled-in set), recorded with the run.
  let paths: [String]
}

/// Ticks the progress line, then hands the listing on.
private struct ProgressObserver<Next: RunObserver>: RunObserver {
  let progress: Progress
  var next: Next

  mutating func listingFinished(_ result: ListingResult) throws {
    progress.tick(result)
    try next.listingFinished(result)
  }
}

/// A finished check, before its report: the caller may still filter findings (baseline) and decides the exit code.
struct CheckedRun {
  var summary: AuditSummary
  let ruleSet: Ruleset
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
