import ComplianceRules
import Foundation
import ListingParser

/// What the queue commands (`queue add`, `worker`, `report`, `runs`) need of a shared store: record a run and its
/// jobs, lease jobs to workers and take their results back only while the lease holds, and read a run back.
///
/// `PostgresQueue` is the implementation; the store interface of the SQLite store (`FindingsStore`) covers the
/// single-process commands. Every method is one short transaction (or none), so many processes on many machines
/// can call them at once.
public protocol QueueStore: Sendable {
  /// Starts a run that is not complete until `seal` says every job is in, and every job is done or failed.
  func beginRun(toolVersion: String, feeds: [String], options: [String: String]) async throws -> Int64
  /// Adds jobs to a run in one transaction, and wakes idle workers when it commits.
  func enqueue(runID: Int64, jobs: [NewJob]) async throws
  /// Input issues of the run not tied to a job (malformed feed records, duplicate ids…).
  func record(runID: Int64, issues: [InputIssue]) async throws
  /// Says every job of the run is enqueued: from now on the run completes when its last job finishes.
  func seal(runID: Int64) async throws
  /// Records a worker process (and, later, that it stopped), for `auditor runs`.
  func register(worker: WorkerIdentity) async throws
  func unregister(worker: WorkerIdentity) async throws
  /// Leases up to `limit` pending jobs to `worker` for `lease`, skipping jobs other workers are claiming. A job
  /// retried after a lease expired is leased alone, so a job that kills its worker cannot take a batch with it.
  func claim(worker: String, limit: Int, lease: Duration) async throws -> ClaimedBatch?
  /// Extends the batch's lease; false when the lease is lost (expired and taken back).
  func renew(_ batch: ClaimedBatch, lease: Duration) async throws -> Bool
  /// Writes the results of the jobs whose lease still holds and marks them done, all in one transaction; the
  /// others' results are dropped (another worker has or will have checked them). Returns the ids refused.
  func finish(_ batch: ClaimedBatch, results: [Int64: ListingResult]) async throws -> [Int64]
  /// Gives unstarted jobs back (pending again, the attempt not counted), e.g. when the worker is told to stop.
  func release(_ batch: ClaimedBatch, jobIDs: [Int64]) async throws
  /// Takes back the jobs whose lease expired: pending again, or `failed` (an input issue of its run) once tried
  /// `max_attempts` times. Returns how many.
  func rescueExpired() async throws -> Int
  /// Whether any job of any run is pending or leased.
  func hasUnfinishedJobs() async throws -> Bool
  /// Every run with its job counts and the workers that worked on it.
  func queueRuns() async throws -> [QueueRunStatus]
  /// A run as its report needs it (the newest complete run when `runID` is nil).
  func storedRun(_ runID: Int64?) async throws -> StoredRun
}

/// One listing to check, as `queue add` stores it: a worker needs nothing else.
public struct NewJob: Sendable {
  public var listingID: String
  public var file: String
  public var line: Int
  public var record: RawRecord
  public var pagePath: String
  public var page: [UInt8]?
  /// Why the page could not be read when the job was enqueued; reported with the listing's result.
  public var pageIssues: [InputIssue]

  /// The job for a listing as read for the CLI (`ListingInput.reading`): its page bytes, or why there are none.
  public init(input: ListingInput, record: RawRecord) {
    listingID = input.listing.id
    file = input.listing.source.file
    line = input.listing.source.line
    self.record = record
    pagePath = input.page?.path ?? ""
    page = input.page?.bytes
    pageIssues = input.pageIssue.map { [$0] } ?? []
  }
}

/// A leased job as a worker receives it.
public struct ClaimedJob: Sendable {
  public var id: Int64
  public var runID: Int64
  public var listingID: String
  public var file: String
  public var line: Int
  public var record: RawRecord
  public var pagePath: String
  public var page: [UInt8]?
  public var pageIssues: [InputIssue]
  public var attempt: Int
}

/// Jobs leased together under one token: the fence every write of their results must still match.
public struct ClaimedBatch: Sendable {
  public var worker: String
  public var token: UUID
  public var jobs: [ClaimedJob]
}

/// Who a worker is: unique per process start (host, pid, start time), so a restarted worker is a new one.
public struct WorkerIdentity: Sendable {
  public var id: String
  public var host: String
  public var pid: Int

  public static func current() -> WorkerIdentity {
    let host = ProcessInfo.processInfo.hostName
    let pid = Int(ProcessInfo.processInfo.processIdentifier)
    let started = Int(Date().timeIntervalSince1970 * 1000)
    return WorkerIdentity(id: "\(host):\(pid):\(started)", host: host, pid: pid)
  }
}

/// A run's progress through the queue, for `auditor runs`.
public struct QueueRunStatus: Sendable, Encodable {
  public var id: Int64
  public var state: String
  public var startedAt: String
  public var finishedAt: String?
  public var feeds: [String]
  public var pending: Int
  public var leased: Int
  public var done: Int
  public var failed: Int
  public var findings: Int
  public var inputIssues: Int
  public var workers: [String]

  enum CodingKeys: String, CodingKey {
    case id, state, feeds, pending, leased, done, failed, findings, workers
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case inputIssues = "input_issues"
  }
}

/// A stored run, enough to render its report as `auditor check` printed it.
public struct StoredRun: Sendable {
  public var summary: AuditSummary
  /// The options the run was recorded with (`format`, `rules`…).
  public var options: [String: String]
}
