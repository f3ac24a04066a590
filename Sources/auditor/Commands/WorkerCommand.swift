import ArgumentParser
import ComplianceRules
import Dispatch
import Foundation
import PostgresStore

/// `auditor worker --db postgres://…`: one process of the fleet that checks what `auditor queue add` enqueued.
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Check queued listings from a PostgreSQL database until stopped (or idle, with --exit-when-idle).",
    discussion: """
      Claims up to --batch jobs at a time under a lease it renews while checking; results are written only while \
      the lease holds. SIGTERM or SIGINT: the batch in hand is finished, unstarted jobs are given back, exit 0.
      """)

  @OptionGroup var database: PostgresOption
  @OptionGroup var ruleOptions: RuleOptions

  @Option(help: ArgumentHelp("Configuration file (default: ./auditor.yml when present).", valueName: "path"))
  var config: String?

  @Option(help: "Checking threads (default: the number of cores).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Jobs claimed per lease.")
  var batch = 50

  @Option(help: ArgumentHelp("How long a claim holds unless renewed: 30s, 500ms, 2m.", valueName: "duration"))
  var lease = "30s"

  @Flag(help: "Exit once no job of any run is pending or leased.")
  var exitWhenIdle = false

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    guard let lease = Self.duration(lease), lease >= .milliseconds(100) else {
      throw ValidationError("--lease must be a duration of at least 100ms, such as 30s, 500ms or 2m")
    }
  }

  /// `30s`, `500ms`, `2m`.
  static func duration(_ text: String) -> Duration? {
    for (suffix, unit) in [("ms", Duration.milliseconds(1)), ("s", .seconds(1)), ("m", .seconds(60))] {
      if text.hasSuffix(suffix), let value = Int(text.dropLast(suffix.count)), value > 0 { return unit * value }
    }
    return nil
  }

  func run() throws {
    let defaultPath = AuditConfiguration.fileName
    let configurationPath = config ?? (FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil)
    let configuration: AuditConfiguration
    do {
      configuration = try configurationPath.map(AuditConfiguration.load(path:)) ?? AuditConfiguration()
    } catch let errors as RulesetErrors {
      Stderr.write("configuration errors:\n\(errors)")
      throw ExitCode(2)
    }
    var ruleOptions = self.ruleOptions
    if ruleOptions.rulesets.isEmpty { ruleOptions.rulesets = configuration.rulesets }
    let ruleSet = try ruleOptions.load().filtered(configuration.isEnabled)
    let url = try database.url()
    let queue = try database.open(url)
    let stop = StopFlag()
    // Signals become a flag the loop reads between batches; the handlers run on a dispatch queue, not in the
    // signal context.
    let sources = [SIGTERM, SIGINT].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { stop.request() }
      source.resume()
      return source
    }
    let worker = QueueWorker(
      checker: ListingChecker(ruleSet: ruleSet, severities: configuration.severity), jobs: jobs, batchSize: batch,
      lease: Self.duration(lease)!, exitWhenIdle: exitWhenIdle, stop: stop, log: { Stderr.write($0) })
    let totals = try blocking {
      defer { Task { await queue.close() } }
      return try await worker.run(queue)
    }
    sources.forEach { $0.cancel() }
    Stderr.write(
      "worker: \(totals.checked) listings checked in \(totals.batches) batches, \(totals.refused) stale results "
        + "refused, \(totals.released) jobs given back")
  }
}
