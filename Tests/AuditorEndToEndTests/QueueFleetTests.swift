import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `auditor queue add`, a fleet of `auditor worker` processes on one PostgreSQL database, and `auditor report`:
/// workers that die or stall lose and double nothing, a job that kills its worker is given up without blocking the
/// run. Needs a real server: `AUDITOR_TEST_POSTGRES_URL` (`.ci/run` starts one with scripts/pg-cluster.sh).
final class QueueFleetTests: XCTestCase {
  var folder: URL!
  var url = ""

  override func setUpWithError() throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    url = try Self.freshDatabase(base)
    folder = try AuditorBinary.scratchFolder()
  }

  override func tearDownWithError() throws {
    if let folder { try? FileManager.default.removeItem(at: folder) }
  }

  /// A new empty database on the test server for each test, so tests neither see nor wait for each other's jobs.
  static func freshDatabase(_ base: String) throws -> String {
    let name = "auditor_test_\(UUID().uuidString.prefix(8).lowercased())"
    let created = Process()
    created.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    created.arguments = ["psql", base, "-q", "-c", "CREATE DATABASE \(name)"]
    try created.run()
    created.waitUntilExit()
    guard created.terminationStatus == 0 else { throw XCTSkip("psql could not create a database on \(base)") }
    return base.replacingOccurrences(of: #"/[^/]+$"#, with: "/\(name)", options: .regularExpression)
  }

  /// The synthetic catalogue of bench/gen_corpus.py: `count` listings and their pages in `folder/corpus`.
  func generateCorpus(_ count: Int) throws -> String {
    try Self.generateCorpus(count, in: folder)
  }

  /// The synthetic catalogue of bench/gen_corpus.py in `folder/corpus`; returns its feed's path.
  static func generateCorpus(_ count: Int, in folder: URL) throws -> String {
    let generator = AuditorBinary.packageRoot.appendingPathComponent("bench/gen_corpus.py").path
    let out = folder.appendingPathComponent("corpus").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", generator, out, String(count), "--seed", "7"]
    try process.run()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    return out + "/listings.ndjson"
  }

  /// Starts `auditor args…` without waiting; its standard error goes to `name.err` in the scratch folder.
  func start(_ arguments: [String], name: String, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = AuditorBinary.url
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let path = folder.appendingPathComponent("\(name).err").path
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: path)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
  }

  func stderr(of name: String) -> String {
    (try? String(contentsOf: folder.appendingPathComponent("\(name).err"), encoding: .utf8)) ?? ""
  }

  func enqueue(_ feed: String, environment: [String: String] = [:]) throws -> Int {
    let added = try AuditorBinary.run(["queue", "add", feed, "--db", url], in: folder, environment: environment)
    XCTAssertEqual(added.status, 0, added.stderr)
    let last = added.stdout.split(separator: "\n").last.map(String.init) ?? ""
    return try XCTUnwrap(Int(last), "queue add's last line is the run id alone: \(added.stdout)")
  }

  func runs() throws -> [[String: Any]] {
    let listed = try AuditorBinary.run(["runs", "--db", url, "--format", "json"], in: folder)
    XCTAssertEqual(listed.status, 0, listed.stderr)
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
  }

  func run(_ id: Int) throws -> [String: Any] {
    try XCTUnwrap(try runs().first { $0["id"] as? Int == id })
  }

  /// The findings' fingerprints of a JSON report, in report order (duplicates kept), and its input issues.
  func report(_ arguments: [String]) throws -> (fingerprints: [String], issues: [[String: Any]]) {
    let result = try AuditorBinary.run(arguments + ["--format", "json", "--fail-on", "never"], in: folder)
    XCTAssertEqual(result.status, 0, result.stderr)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
    return (findings.compactMap { $0["fingerprint"] as? String }, json["input_issues"] as? [[String: Any]] ?? [])
  }

  /// Waits for `process` to exit, at most `seconds`; kills it and fails when it does not.
  func waitForExit(_ process: Process, seconds: Double, _ name: String) {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(100_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      XCTFail("\(name) did not exit within \(seconds) s")
    }
    process.waitUntilExit()
  }

  // MARK: The fault test

  /// 2,000 listings, 4 workers: one killed (-9) mid-batch, one stopped past its lease and then continued. The run
  /// completes with exactly the findings one `auditor check` finds on the same feed, none twice, and the stopped
  /// worker's stale results are refused.
  func testAFleetThatLosesWorkersLosesAndDoublesNothing() throws {
    let feed = try generateCorpus(2_000)
    let expected = try report(["check", feed, "--db", folder.appendingPathComponent("one.sqlite").path])
    let runID = try enqueue(feed)

    // Every batch of the workers to be killed and stopped takes 4 s (their lease, 2 s, renewed meanwhile), so
    // whenever the signal comes they hold a batch.
    let arguments = ["worker", "--db", url, "--jobs", "1", "--batch", "50", "--lease", "2s", "--exit-when-idle"]
    let slow = ["AUDITOR_TEST_PAUSE_AFTER_CLAIM": "4"]
    let workers = [
      try start(arguments, name: "w1"), try start(arguments, name: "w2", environment: slow),
      try start(arguments, name: "w3", environment: slow), try start(arguments, name: "w4"),
    ]
    defer { for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
    // Both slow workers hold a lease once some job is leased to each; wait for the first leases.
    let deadline = Date().addingTimeInterval(30)
    while try run(runID)["leased"] as? Int ?? 0 < 100, Date() < deadline { usleep(100_000) }
    usleep(1_000_000)
    kill(workers[1].processIdentifier, SIGKILL)
    kill(workers[2].processIdentifier, SIGSTOP)
    // Three leases long: its lease has expired and its jobs have been taken back by the others.
    usleep(6_000_000)
    kill(workers[2].processIdentifier, SIGCONT)
    for (index, worker) in workers.enumerated() where index != 1 {
      waitForExit(worker, seconds: 150, "worker \(index + 1)")
      XCTAssertEqual(worker.terminationStatus, 0, stderr(of: "w\(index + 1)"))
    }

    let finished = try run(runID)
    XCTAssertEqual(finished["state"] as? String, "complete")
    XCTAssertEqual(finished["done"] as? Int, 2_000)
    XCTAssertEqual(finished["pending"] as? Int, 0)
    XCTAssertEqual(finished["leased"] as? Int, 0)
    XCTAssertEqual(finished["failed"] as? Int, 0)
    let stored = try report(["report", String(runID), "--db", url])
    XCTAssertEqual(Set(stored.fingerprints).count, stored.fingerprints.count, "a finding was written twice")
    XCTAssertEqual(Set(stored.fingerprints), Set(expected.fingerprints))
    XCTAssertEqual(stored.fingerprints.count, expected.fingerprints.count)
    XCTAssertTrue(stderr(of: "w3").contains("stale results refused (jobs"), stderr(of: "w3"))
  }

  /// A job that kills every worker that takes it is tried `AUDITOR_MAX_ATTEMPTS` times, then `failed` with an input
  /// issue, and the rest of its run completes.
  func testAJobThatKillsItsWorkerIsGivenUpAndTheRunCompletes() throws {
    let feed = try generateCorpus(6)
    let runID = try enqueue(feed, environment: ["AUDITOR_MAX_ATTEMPTS": "2"])
    let crash = ["AUDITOR_TEST_CRASH_ON_LISTING": "L0000002"]
    let arguments = ["worker", "--db", url, "--jobs", "1", "--lease", "300ms", "--exit-when-idle"]
    var crashes = 0
    for attempt in 1...6 {
      let worker = try start(arguments, name: "poison\(attempt)", environment: crash)
      waitForExit(worker, seconds: 60, "worker \(attempt)")
      if worker.terminationStatus == 0 { break }
      crashes += 1
    }
    XCTAssertEqual(crashes, 2, "the poison job is tried twice, then given up")
    let finished = try run(runID)
    XCTAssertEqual(finished["state"] as? String, "complete")
    XCTAssertEqual(finished["failed"] as? Int, 1)
    XCTAssertEqual(finished["done"] as? Int, 5)
    let stored = try report(["report", String(runID), "--db", url])
    let failed = stored.issues.filter { $0["kind"] as? String == "job_failed" }
    XCTAssertEqual(failed.map { $0["listing_id"] as? String }, ["L0000002"])
  }

  /// Each `queue add` is a run of its own, even of the same feed; the report of each is the feed's report.
  func testTwoQueueAddsOfOneFeedMakeTwoRuns() throws {
    let feed = try generateCorpus(20)
    let first = try enqueue(feed)
    let second = try enqueue(feed)
    XCTAssertNotEqual(first, second)
    let worker = try start(["worker", "--db", url, "--exit-when-idle"], name: "worker")
    waitForExit(worker, seconds: 60, "worker")
    XCTAssertEqual(worker.terminationStatus, 0, stderr(of: "worker"))
    let expected = try report(["check", feed])
    for runID in [first, second] {
      XCTAssertEqual(try run(runID)["done"] as? Int, 20)
      XCTAssertEqual(try report(["report", String(runID), "--db", url]).fingerprints, expected.fingerprints)
    }
    // The text and GitHub reports carry no run id or time: they are the very bytes `check` printed.
    for format in ["text", "github"] {
      let checked = try AuditorBinary.run(["check", feed, "--format", format], in: folder)
      let reported = try AuditorBinary.run(["report", String(second), "--db", url, "--format", format], in: folder)
      XCTAssertEqual(reported.stdout, checked.stdout)
      XCTAssertEqual(reported.status, checked.status)
    }
  }

  /// SIGTERM while a batch is held: the worker starts no further job, gives the unstarted ones back and exits 0.
  func testSIGTERMGivesBackUnstartedJobsAndExitsZero() throws {
    let feed = try generateCorpus(30)
    let runID = try enqueue(feed)
    let worker = try start(
      ["worker", "--db", url, "--jobs", "1", "--batch", "30", "--lease", "5s"], name: "worker",
      environment: ["AUDITOR_TEST_PAUSE_AFTER_CLAIM": "3"])
    defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
    let deadline = Date().addingTimeInterval(30)
    while try run(runID)["leased"] as? Int ?? 0 < 30, Date() < deadline { usleep(100_000) }
    kill(worker.processIdentifier, SIGTERM)
    waitForExit(worker, seconds: 30, "worker")
    XCTAssertEqual(worker.terminationStatus, 0, stderr(of: "worker"))
    let stopped = try run(runID)
    XCTAssertEqual(stopped["leased"] as? Int, 0)
    XCTAssertEqual(stopped["pending"] as? Int, 30)
    XCTAssertEqual(stopped["state"] as? String, "running")
    XCTAssertTrue(stderr(of: "worker").contains("30 jobs given back"), stderr(of: "worker"))
  }
}
