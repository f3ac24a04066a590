import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The single-process commands with `--db postgres://…`: `check` records what it records in SQLite, the review
/// commands read and change it the same way, a killed check reads incomplete, and no password reaches any output.
/// Needs a real server: `AUDITOR_TEST_POSTGRES_URL` (scripts/pg-cluster.sh starts one).
final class PostgresCheckTests: XCTestCase {
  var folder: URL!
  var url = ""
  var rules: String { AuditorBinary.packageRoot.appendingPathComponent("rulesets").path }
  var feed: String { folder.appendingPathComponent("listings.ndjson").path }
  var sqlite: String { folder.appendingPathComponent("audit.sqlite").path }

  override func setUpWithError() throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    url = try QueueFleetTests.freshDatabase(base)
    folder = try AuditorBinary.scratchFolder()
  }

  override func tearDownWithError() throws {
    if let folder { try? FileManager.default.removeItem(at: folder) }
  }

  /// `count` listings whose pages break the advertising law once; listings from `offending` on also refuse returns.
  func writeFeed(count: Int, offending: Int = .max) throws {
    try SharedDatabaseTests.writeFeed(count: count, offending: offending, in: folder)
  }

  func auditor(_ arguments: [String], environment: [String: String] = [:]) throws -> AuditorBinary.Result {
    try AuditorBinary.run(arguments, in: folder, environment: environment)
  }

  /// The run states `auditor runs --format json` lists.
  func states(_ db: String) throws -> [String] {
    let listed = try auditor(["runs", "--db", db, "--format", "json"])
    XCTAssertEqual(listed.status, 0, listed.stderr)
    let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    return runs.compactMap { $0["state"] as? String }
  }

  // MARK: The same answers as SQLite

  func testCheckFindingsSetAndDiffOnPostgresAnswerAsOnSQLite() throws {
    try writeFeed(count: 4, offending: 2)
    for db in [sqlite, url] {
      let checked = try auditor(["check", feed, "--rules", rules, "--db", db])
      XCTAssertEqual(checked.status, 1, checked.stderr)
    }
    for format in ["text", "github"] {
      let fromSQLite = try auditor(["report", "--db", sqlite, "--rules", rules, "--format", format])
      let fromPostgres = try auditor(["report", "--db", url, "--rules", rules, "--format", format])
      XCTAssertEqual(fromPostgres.stdout, fromSQLite.stdout, format)
      XCTAssertEqual(fromPostgres.status, fromSQLite.status)
    }
    let listed = try auditor(["findings", "--db", url])
    XCTAssertEqual(listed.stdout, try auditor(["findings", "--db", sqlite]).stdout)
    XCTAssertTrue(listed.stdout.hasSuffix("6 findings in run 1\n"), listed.stdout)

    // A reviewer accepts one finding; then two listings stop refusing returns.
    let id = try XCTUnwrap(listed.stdout.split(separator: " ").first.map(String.init))
    for db in [sqlite, url] {
      let set = try auditor(
        ["findings", "set", id, "--status", "accepted", "--reason", "已核实", "--by", "alice", "--db", db])
      XCTAssertEqual(set.status, 0, set.stderr)
    }
    try writeFeed(count: 4)
    for db in [sqlite, url] {
      XCTAssertEqual(try auditor(["check", feed, "--rules", rules, "--db", db]).status, 1)
    }

    let diff = try auditor(["diff", "--db", url])
    XCTAssertEqual(diff.stdout, try auditor(["diff", "--db", sqlite]).stdout)
    XCTAssertTrue(diff.stdout.hasPrefix("run 1 → run 2: 0 new, 2 fixed, 4 unchanged"), diff.stdout)
    XCTAssertEqual(try auditor(["findings", "--db", url]).stdout, try auditor(["findings", "--db", sqlite]).stdout)
    let fixed = try auditor(["findings", "--status", "fixed", "--db", url])
    XCTAssertTrue(fixed.stdout.hasPrefix("fixed findings (no longer reported): 2\n"), fixed.stdout)
    let history = try auditor(["findings", "history", id, "--db", url])
    XCTAssertEqual(history.status, 0, history.stderr)
    XCTAssertTrue(history.stdout.contains("alice  open → accepted  run 1  — 已核实"), history.stdout)
    XCTAssertEqual(try states(url), ["complete", "complete"])
  }

  // MARK: A killed check

  func testAKilledCheckOnPostgresReadsIncompleteAndIsNotTheLastRun() throws {
    try writeFeed(count: 3)
    XCTAssertEqual(try auditor(["check", feed, "--rules", rules, "--db", url]).status, 1)
    let killed = Process()
    killed.executableURL = AuditorBinary.url
    killed.arguments = ["check", feed, "--rules", rules, "--db", url]
    killed.currentDirectoryURL = folder
    // It stores its findings, then waits before it finishes.
    killed.environment = ProcessInfo.processInfo.environment.merging(["AUDITOR_TEST_PAUSE_AFTER_BATCH": "600"]) {
      $1
    }
    killed.standardOutput = FileHandle.nullDevice
    killed.standardError = FileHandle.nullDevice
    try killed.run()
    defer { if killed.isRunning { kill(killed.processIdentifier, SIGKILL) } }
    var stored = ""
    while !stored.hasSuffix("3 findings in run 2\n") && killed.isRunning {
      stored = try auditor(["findings", "--run", "2", "--db", url]).stdout
      usleep(100_000)
    }
    XCTAssertEqual(try states(url), ["complete", "running"])
    kill(killed.processIdentifier, SIGKILL)
    killed.waitUntilExit()

    XCTAssertEqual(try states(url), ["complete", "incomplete"])
    XCTAssertTrue(try auditor(["findings", "--db", url]).stdout.hasSuffix("3 findings in run 1\n"))
    let next = try auditor(["check", feed, "--rules", rules, "--db", url, "--incremental"])
    XCTAssertEqual(next.status, 1, next.stderr)
    XCTAssertEqual(try states(url), ["complete", "incomplete", "complete"])
    XCTAssertTrue(try auditor(["diff", "--db", url]).stdout.hasPrefix("run 1 → run 3: 0 new, 0 fixed, 3 unchanged"))
  }

  // MARK: Fleet runs

  /// A queue run applies the review lifecycle when its last job finishes, as `check` does after its run: findings a
  /// later fleet run no longer reports for a listing it checked are fixed, and the review of the others carries on.
  func testAFleetRunFixesWhatItNoLongerReportsAsCheckDoes() throws {
    try writeFeed(count: 3, offending: 1)
    for _ in 1...2 {
      let added = try auditor(["queue", "add", feed, "--db", url])
      XCTAssertEqual(added.status, 0, added.stderr)
      let worker = try auditor(["worker", "--db", url, "--rules", rules, "--exit-when-idle"])
      XCTAssertEqual(worker.status, 0, worker.stderr)
      // Between the runs, listings L1 and L2 stop refusing returns, and a reviewer accepts L0's finding.
      try writeFeed(count: 3)
      let first = try auditor(["findings", "--db", url, "--listing", "L0"]).stdout
      let id = try XCTUnwrap(first.split(separator: " ").first.map(String.init))
      _ = try auditor(["findings", "set", id, "--status", "accepted", "--reason", "已核实", "--db", url])
    }
    XCTAssertEqual(try states(url), ["complete", "complete"])
    let fixed = try auditor(["findings", "--status", "fixed", "--db", url])
    XCTAssertTrue(fixed.stdout.hasPrefix("fixed findings (no longer reported): 2\n"), fixed.stdout)
    let listed = try auditor(["findings", "--db", url]).stdout
    XCTAssertTrue(listed.hasSuffix("3 findings in run 2\n"), listed)
    XCTAssertEqual(listed.components(separatedBy: " accepted ").count - 1, 1, listed)
    XCTAssertEqual(listed.components(separatedBy: " open ").count - 1, 2, listed)
  }

  /// `queue add` takes every feed format `check` takes: a CSV feed's fleet run reports what `check` reports.
  func testACSVFeedQueuedReportsWhatCheckReports() throws {
    try writeFeed(count: 3, offending: 1)
    let csv = folder.appendingPathComponent("listings.csv").path
    var rows = ["id,title,category,price,seller.license_no,detail_page"]
    // A quoted title over two lines, with a comma: the stored row keeps its lines and their numbers.
    rows += (0..<3).map { #"L\#($0),"真丝连衣裙，""限时""\#n特价",服饰/女装,299,9135052155323005XL,pages/L\#($0).html"# }
    try (rows.joined(separator: "\r\n") + "\r\n").write(toFile: csv, atomically: true, encoding: .utf8)
    let added = try auditor(["queue", "add", csv, "--db", url])
    XCTAssertEqual(added.status, 0, added.stderr)
    let worker = try auditor(["worker", "--db", url, "--rules", rules, "--exit-when-idle"])
    XCTAssertEqual(worker.status, 0, worker.stderr)
    for format in ["text", "json"] {
      let checked = try auditor(["check", csv, "--rules", rules, "--format", format])
      let reported = try auditor(["report", "--db", url, "--rules", rules, "--format", format])
      XCTAssertEqual(reported.status, checked.status)
      if format == "text" {
        XCTAssertEqual(reported.stdout, checked.stdout)
      } else {
        XCTAssertEqual(try fingerprints(reported.stdout), try fingerprints(checked.stdout))
        XCTAssertEqual(try fingerprints(checked.stdout).count, 8, "a title finding per row, besides the pages'")
      }
    }
  }

  func fingerprints(_ json: String) throws -> [String] {
    let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    return (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String }
  }

  // MARK: Passwords

  func testAPasswordFromTheURLOrPGPASSWORDNeverReachesOutput() throws {
    let secret = "Hunter2-s3cret"
    try writeFeed(count: 2, offending: 1)
    // The test server trusts local connections, so it takes any password: what matters is where it shows.
    let withPassword = url.replacingOccurrences(of: "://postgres@", with: "://postgres:\(secret)@")
    XCTAssertNotEqual(withPassword, url, "the test URL names the postgres user")
    var outputs: [AuditorBinary.Result] = []
    for (db, environment) in [(withPassword, [:]), (url, ["PGPASSWORD": secret])] {
      for arguments in [
        ["check", feed, "--rules", rules, "--db", db],
        ["check", feed, "--rules", rules, "--db", db, "--format", "json"],
        ["findings", "--db", db], ["runs", "--db", db], ["runs", "--db", db, "--format", "json"], ["diff", "--db", db],
        ["report", "--db", db, "--rules", rules, "--format", "sarif"], ["findings", "history", "ffffffff", "--db", db],
        ["findings", "--run", "99", "--db", db], ["users", "--db", db],
      ] {
        outputs.append(try auditor(arguments, environment: environment))
      }
    }
    // A server that is not there: the error names the database, never the password.
    let port = try XCTUnwrap(withPassword.range(of: #":[0-9]+/"#, options: .regularExpression))
    let nowhere = withPassword.replacingCharacters(in: port, with: ":1/")
    let refused = try auditor(["check", feed, "--rules", rules, "--db", nowhere])
    XCTAssertEqual(refused.status, 2)
    XCTAssertTrue(refused.stderr.contains("cannot open database postgres://postgres@127.0.0.1:1/"), refused.stderr)
    outputs.append(refused)
    for output in outputs {
      XCTAssertFalse(output.stdout.contains(secret), output.stdout)
      XCTAssertFalse(output.stderr.contains(secret), output.stderr)
    }
    XCTAssertTrue(outputs[0].stdout.contains("L1"), "the runs worked: \(outputs[0].stderr)")
  }
}
