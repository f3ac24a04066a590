import ArgumentParser
import ComplianceRules
import Foundation
import ListingParser
import PostgresStore

/// `auditor queue add FEED… --db postgres://…`: records a run and enqueues one job per listing for the workers.
struct QueueCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "queue", abstract: "Enqueue feeds for `auditor worker` processes (PostgreSQL).",
    subcommands: [Add.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Record a run and enqueue one job per listing: its feed record and page bytes.",
      discussion: """
        Reads the feeds here (input issues go to the run) and stores each listing's record and detail page in the \
        database, so a worker needs nothing but the database. Prints the run id alone on the last line.
        """)

    @Argument(help: ArgumentHelp("Feed files: .ndjson/.jsonl, .json (array or NDJSON) or .csv.", valueName: "feed"))
    var feeds: [String]

    @OptionGroup var database: PostgresOption

    @Option(help: "Listings per enqueue transaction.")
    var batch = 500

    @Option(help: ArgumentHelp("Pages larger than this are reported as too_large and not stored.", valueName: "bytes"))
    var maxPageBytes = HTMLReader.defaultMaxPageBytes

    @Option(help: ArgumentHelp("Feed records larger than this are reported as too_large.", valueName: "bytes"))
    var maxRecordBytes = FeedRecordLimit.defaultBytes

    func validate() throws {
      guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
      let url = try database.url()
      var readers: [FeedReader] = []
      let ids = ListingIDRegister()
      for path in feeds {
        do {
          readers.append(try FeedReader(path: path, ids: ids, maxRecordBytes: maxRecordBytes))
        } catch let error as FeedError {
          Stderr.write("auditor: \(error)")
          throw ExitCode(2)
        }
      }
      let queue = try database.open(url)
      let options = ["max_page_bytes": String(maxPageBytes), "max_record_bytes": String(maxRecordBytes)]
      let runID = try blocking { [feeds] in
        try await queue.beginRun(toolVersion: Auditor.version, feeds: feeds, options: options)
      }
      var enqueued = 0
      var issueCount = 0
      for reader in readers {
        var jobs: [NewJob] = []
        var issues: [InputIssue] = []
        func write() throws {
          let (batchJobs, batchIssues) = (jobs, issues)
          try blocking {
            try await queue.record(runID: runID, issues: batchIssues)
            try await queue.enqueue(runID: runID, jobs: batchJobs)
          }
          enqueued += jobs.count
          issueCount += issues.count
          (jobs, issues) = ([], [])
        }
        for event in reader {
          switch event {
          case .listing(let listing):
            guard let record = listing.rawRecord else { continue }
            jobs.append(NewJob(input: ListingInput.reading(listing, maxPageBytes: maxPageBytes), record: record))
          case .issue(let issue): issues.append(issue)
          }
          if jobs.count >= batch { try write() }
        }
        try write()
      }
      try blocking {
        try await queue.seal(runID: runID)
        await queue.close()
      }
      let unreadFeeds = readers.compactMap(\.nothingReadReason)
      for reason in unreadFeeds { Stderr.write("auditor: \(reason)") }
      Stderr.write("run \(runID): \(enqueued) listings enqueued, \(issueCount) input issues, in \(url)")
      print(runID)
      if !unreadFeeds.isEmpty { throw ExitCode(2) }
    }
  }
}

/// `--db postgres://USER[:PASS]@HOST[:PORT]/DBNAME` for the commands that only work on PostgreSQL.
struct PostgresOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The PostgreSQL database; the password may come from PGPASSWORD or ~/.pgpass.",
      valueName: "postgres://user@host:port/db"))
  var db: String

  func url() throws -> PostgresURL { try Self.url(db) }

  static func url(_ db: String) throws -> PostgresURL {
    do {
      return try PostgresURL(db)
    } catch {
      throw ValidationError("--db: \(error)")
    }
  }

  func open(_ url: PostgresURL) throws -> PostgresQueue { try Self.open(url) }

  /// Connects and migrates; exits 2 when the database cannot be reached.
  static func open(_ url: PostgresURL) throws -> PostgresQueue {
    do {
      return try blocking { try await PostgresQueue.open(url) }
    } catch {
      Stderr.write("auditor: cannot open database \(url): \(error)")
      throw ExitCode(2)
    }
  }
}
