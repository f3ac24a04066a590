import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One database used by several `auditor` processes: concurrent checks, a killed check, the run list, the stored
/// counts of every report format, and the read-only commands on a file nobody may write.
final class SharedDatabaseTests: XCTestCase {
  var folder: URL!
  var rules: String { AuditorBinary.packageRoot.appendingPathComponent("rulesets").path }
  var feed: String { folder.appendingPathComponent("listings.ndjson").path }
  var db: String { folder.appendingPathComponent("audit.sqlite").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  /// `count` listings, each with a page that breaks the advertising law once; listings from `offending` on also
  /// refuse returns.
  func writeFeed(count: Int, offending: Int = .max) throws {
    try Self.writeFeed(count: count, offending: offending, in: folder)
  }

  /// The same feed, as `listings.ndjson` and `pages/` in `folder` (PostgresCheckTests checks it too).
  static func writeFeed(count: Int, offending: Int = .max, in folder: URL) throws {
    let feed = folder.appendingPathComponent("listings.ndjson").path
    var lines: [String] = []
    for index in 0..<count {
      let id = "L\(index)"
      lines.append(
        #"{"id":"\#(id)","title":"真丝连衣裙","category":"服饰/女装","price":299,"#
          + #""seller":{"license_no":"9135052155323005XL"},"detail_page":"pages/\#(id).html"}"#)
      let extra = index >= offending ? "<p>特价商品不退不换</p>" : ""
      try "<html><body>\n<p>支持7天无理由退货</p><p>全网最低价</p>\(extra)\n</body></html>".write(
        to: folder.appendingPathComponent("pages/\(id).html"), atomically: true, encoding: .utf8)
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)
  }

  /// Starts `auditor args…` without waiting; standard output and error go to files in the scratch folder.
  func start(_ arguments: [String], name: String, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = AuditorBinary.url
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    for (suffix, keyPath) in [("out", \Process.standardOutput), ("err", \Process.standardError)] {
      let path = folder.appendingPathComponent("\(name).\(suffix)").path
      _ = FileManager.default.createFile(atPath: path, contents: nil)
      process[keyPath: keyPath] = FileHandle(forWritingAtPath: path)
    }
    try process.run()
    return process
  }

  func runs() throws -> [[String: Any]] {
    let listed = try AuditorBinary.run(["runs", "--db", db, "--format", "json"], in: folder)
    XCTAssertEqual(listed.status, 0, listed.stderr)
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
  }

  /// The number of findings `auditor findings --run` lists for a run: what the database stored.
  func storedFindings(run: Int) throws -> Int? {
    let listed = try AuditorBinary.run(["findings", "--run", String(run), "--db", db], in: folder)
    guard let last = listed.stdout.split(separator: "\n").last, last.hasSuffix("findings in run \(run)") else {
      return nil
    }
    return Int(last.split(separator: " ")[0])
  }

  // MARK: Concurrent checks

  func testTwoChecksStartedTogetherBothFinishAndStoreEverything() throws {
    try concurrentChecks(2)
  }

  func testFourChecksStartedTogetherAllFinishAndStoreEverything() throws {
    try concurrentChecks(4)
  }

  func concurrentChecks(_ count: Int) throws {
    try writeFeed(count: 150)
    let processes = try (0..<count).map { index in
      try start(
        ["check", feed, "--rules", rules, "--db", db, "--jobs", "1", "--format", "json"]
          + ["--output", "report\(index).json"],
        name: "check\(index)")
    }
    for (index, process) in processes.enumerated() {
      process.waitUntilExit()
      let stderr = try String(contentsOf: folder.appendingPathComponent("check\(index).err"), encoding: .utf8)
      XCTAssertEqual(process.terminationStatus, 1, "check \(index): \(stderr)")
      let report = try Data(contentsOf: folder.appendingPathComponent("report\(index).json"))
      let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: report) as? [String: Any], "report \(index)")
      XCTAssertEqual((json["findings"] as? [Any])?.count, 150, "report \(index) is whole")
    }
    let listed = try runs()
    XCTAssertEqual(listed.map { $0["state"] as? String }, Array(repeating: "complete", count: count))
    XCTAssertEqual(listed.map { $0["findings"] as? Int }, Array(repeating: 150, count: count))
    for run in 1...count {
      XCTAssertEqual(try storedFindings(run: run), 150, "run \(run)")
    }
  }

  // MARK: A killed check

  func testAKilledCheckIsIncompleteAndDiffAndFindingsIgnoreIt() throws {
    try writeFeed(count: 3)
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db], in: folder).status, 1)
    // The second check stores its findings, then waits (AUDITOR_TEST_PAUSE_AFTER_BATCH) before it finishes.
    try writeFeed(count: 3, offending: 1)
    let killed = try start(
      ["check", feed, "--rules", rules, "--db", db], name: "killed",
      environment: ["AUDITOR_TEST_PAUSE_AFTER_BATCH": "600"])
    defer { if killed.isRunning { kill(killed.processIdentifier, SIGKILL) } }
    // Until its batch is written the run lists no findings (or does not exist yet).
    var stored = 0
    while stored == 0 && killed.isRunning {
      stored = try storedFindings(run: 2) ?? 0
      if stored == 0 { usleep(100_000) }
    }
    XCTAssertEqual(stored, 5, "3 absolute terms and 2 refused returns")
    XCTAssertEqual(try runs().map { $0["state"] as? String }, ["complete", "running"])
    kill(killed.processIdentifier, SIGKILL)
    killed.waitUntilExit()

    XCTAssertEqual(try runs().map { $0["state"] as? String }, ["complete", "incomplete"], "seen before any writer")
    let findings = try AuditorBinary.run(["findings", "--db", db], in: folder)
    XCTAssertTrue(findings.stdout.hasSuffix("3 findings in run 1\n"), findings.stdout)
    let early = try AuditorBinary.run(["diff", "--db", db], in: folder)
    XCTAssertEqual(early.status, 2)
    XCTAssertTrue(early.stderr.contains("1 complete run(s)"), early.stderr)

    // The next check runs in full: the killed run's listings are not taken as checked, even incrementally.
    let third = try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db, "--incremental"], in: folder)
    XCTAssertEqual(third.status, 1, third.stderr)
    XCTAssertEqual(try runs().map { $0["state"] as? String }, ["complete", "incomplete", "complete"])
    XCTAssertFalse(FileManager.default.fileExists(atPath: "\(db)-run-2.lock"), "the next writer removed it")
    let diff = try AuditorBinary.run(["diff", "--db", db], in: folder)
    XCTAssertTrue(diff.stdout.hasPrefix("run 1 → run 3: 2 new, 0 fixed, 3 unchanged"), diff.stdout)
    XCTAssertTrue(try AuditorBinary.run(["findings", "--db", db], in: folder).stdout.hasSuffix("5 findings in run 3\n"))
  }

  // MARK: Run list and counts

  func testEveryReportFormatStoresTheRealFindingCount() throws {
    try writeFeed(count: 4, offending: 3)
    let formats = ["text", "json", "github", "sarif", "junit"]
    for format in formats {
      let result = try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db, "--format", format], in: folder)
      XCTAssertEqual(result.status, 1, "\(format): \(result.stderr)")
    }
    let listed = try runs()
    XCTAssertEqual(listed.count, formats.count)
    for (format, run) in zip(formats, listed) {
      XCTAssertEqual(run["findings"] as? Int, 5, format)
      XCTAssertEqual(run["listings_checked"] as? Int, 4, format)
      XCTAssertEqual(run["input_issues"] as? Int, 0, format)
    }
    let text = try AuditorBinary.run(["runs", "--db", db], in: folder)
    XCTAssertTrue(text.stdout.contains("1  complete  "), text.stdout)
    XCTAssertTrue(text.stdout.contains("4 checked, 0 skipped, 5 findings, 0 input issues  \(feed)"), text.stdout)
  }

  // MARK: Read-only databases

  func testReadOnlyDatabaseInAWritableFolder() throws {
    try readOnlyCommandsWork(lockFolder: false)
  }

  func testReadOnlyDatabaseInAReadOnlyFolder() throws {
    try readOnlyCommandsWork(lockFolder: true)
  }

  func readOnlyCommandsWork(lockFolder: Bool) throws {
    try writeFeed(count: 2)
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db], in: folder).status, 1)
    try writeFeed(count: 2, offending: 1)
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db], in: folder).status, 1)
    let id = try XCTUnwrap(
      try AuditorBinary.run(["findings", "--db", db], in: folder).stdout.split(separator: "\n").first?.prefix(12))
    let set = ["findings", "set", String(id), "--status", "accepted", "--reason", "已整改", "--db", db]
    XCTAssertEqual(try AuditorBinary.run(set, in: folder).status, 0)

    try makeReadOnly(lockFolder ? [db, folder.path] : [db])
    let runs = try AuditorBinary.run(["runs", "--db", db], in: folder)
    XCTAssertEqual(runs.status, 0, runs.stderr)
    XCTAssertTrue(runs.stdout.contains("2 runs in"), runs.stdout)
    let findings = try AuditorBinary.run(["findings", "--db", db], in: folder)
    XCTAssertEqual(findings.status, 0, findings.stderr)
    XCTAssertTrue(findings.stdout.contains("\(id)  accepted"), findings.stdout)
    let diff = try AuditorBinary.run(["diff", "--db", db], in: folder)
    XCTAssertEqual(diff.status, 0, diff.stderr)
    XCTAssertTrue(diff.stdout.hasPrefix("run 1 → run 2: 1 new, 0 fixed, 2 unchanged"), diff.stdout)
    let history = try AuditorBinary.run(["findings", "history", String(id), "--db", db], in: folder)
    XCTAssertEqual(history.status, 0, history.stderr)
    XCTAssertTrue(history.stdout.contains("open → accepted  run 2  — 已整改"), history.stdout)
    // Really read-only: a command that writes fails.
    XCTAssertNotEqual(try AuditorBinary.run(set, in: folder).status, 0)
  }

  /// chmod 444 (555 for folders). Root ignores permissions, so as root the files are also made immutable
  /// (`chattr +i`, which binds root too), and made mutable again when the test ends.
  func makeReadOnly(_ paths: [String]) throws {
    for path in paths {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      let (locked, unlocked) = isFolder.boolValue ? (0o555, 0o755) : (0o444, 0o644)
      try FileManager.default.setAttributes([.posixPermissions: locked], ofItemAtPath: path)
      addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: unlocked], ofItemAtPath: path) }
    }
    guard geteuid() == 0 else { return }
    let chattr = Process()
    chattr.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    chattr.arguments = ["+i"] + paths
    guard (try? chattr.run()) != nil else { throw XCTSkip("root without chattr cannot make a file read-only") }
    chattr.waitUntilExit()
    guard chattr.terminationStatus == 0 else { throw XCTSkip("chattr +i is not supported here") }
    addTeardownBlock {
      let undo = Process()
      undo.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
      undo.arguments = ["-i"] + paths
      try? undo.run()
      undo.waitUntilExit()
    }
  }
}
