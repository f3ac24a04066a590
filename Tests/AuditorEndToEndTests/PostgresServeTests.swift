import Foundation
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `auditor users` and `auditor serve` on PostgreSQL, beside a fleet writing to the same database: reviewers'
/// decisions over HTTP and workers' results (and the lifecycle update of the run they complete) go through without
/// deadlocking or refusing each other. Needs `AUDITOR_TEST_POSTGRES_URL`.
final class PostgresServeTests: XCTestCase {
  var folder: URL!
  var url = ""

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

  func testServeDecisionsAndWorkerWritesOnOneDatabaseDoNotBlockEachOther() throws {
    let feed = try QueueFleetTests.generateCorpus(300, in: folder)
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--db", url], in: folder).status, 1)
    let ids = try AuditorBinary.run(["findings", "--db", url], in: folder).stdout.split(separator: "\n")
      .dropLast().map { String($0.prefix(12)) }
    XCTAssertGreaterThan(ids.count, 40, "the corpus has findings to decide")
    let added = try AuditorBinary.run(["users", "add", "rita", "--role", "reviewer", "--db", url], in: folder)
    XCTAssertEqual(added.status, 0, added.stderr)
    let token = added.stdout.trimmingCharacters(in: .newlines)
    XCTAssertTrue(try AuditorBinary.run(["users", "list", "--db", url], in: folder).stdout.hasPrefix("rita  reviewer"))

    let server = Process()
    server.executableURL = AuditorBinary.url
    server.arguments = ["serve", "--db", url, "--port", "0"]
    server.currentDirectoryURL = folder
    let errors = Pipe()
    server.standardError = errors
    server.standardOutput = FileHandle.nullDevice
    try server.run()
    defer { if server.isRunning { server.terminate() } }
    var log = ""
    while !log.contains("\n"), server.isRunning {
      let chunk = errors.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      log += String(decoding: chunk, as: UTF8.self)
    }
    let base = try XCTUnwrap(log.split(separator: "\n").first?.split(separator: " ").last.map(String.init), log)

    // A second run of the feed for the fleet: two workers write its results and complete it (its lifecycle update
    // writes the statuses reviewers are deciding) while a reviewer decides findings one by one and in a batch.
    let runID = try AuditorBinary.run(["queue", "add", feed, "--db", url], in: folder).stdout
      .split(separator: "\n").last.map(String.init) ?? ""
    let workers = try (1...2).map { _ in
      let worker = Process()
      worker.executableURL = AuditorBinary.url
      worker.arguments = ["worker", "--db", url, "--jobs", "1", "--batch", "10", "--exit-when-idle"]
      worker.currentDirectoryURL = folder
      worker.standardOutput = FileHandle.nullDevice
      worker.standardError = FileHandle.nullDevice
      try worker.run()
      return worker
    }
    defer { for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
    var statuses: [Int] = []
    for id in ids.prefix(40) {
      let found = try Self.request("GET", base + "/api/v1/findings/\(id)", token: token)
      XCTAssertEqual(found.status, 200, found.body)
      let decided = try Self.request(
        "POST", base + "/api/v1/findings/\(id)/decisions", token: token, ifMatch: found.eTag,
        body: #"{"status":"accepted","reason":"已核实"}"#)
      statuses.append(decided.status)
    }
    let batch = try Self.request(
      "POST", base + "/api/v1/decisions:batch", token: token,
      body: #"{"filter":{"run":1,"status":"open"},"expected_count":0,"status":"open","reason":"x"}"#)
    // The count the reviewer was shown is wrong on purpose: refused (409/412/422), never a server error.
    XCTAssertLessThan(batch.status, 500, batch.body)
    for worker in workers {
      worker.waitUntilExit()
      XCTAssertEqual(worker.terminationStatus, 0)
    }
    XCTAssertEqual(statuses, Array(repeating: 201, count: statuses.count))
    let runs = try AuditorBinary.run(["runs", "--db", url, "--format", "json"], in: folder)
    let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
    XCTAssertEqual(listed.first { "\($0["id"] ?? "")" == runID }?["state"] as? String, "complete")
    // The second run reports the same fingerprints: the decisions hold for it.
    let findings = try AuditorBinary.run(["findings", "--db", url, "--status", "accepted"], in: folder).stdout
    XCTAssertTrue(findings.hasSuffix("40 findings in run \(runID)\n"), findings)
    server.terminate()
    server.waitUntilExit()
    XCTAssertEqual(server.terminationStatus, 0)
  }

  /// An HTTP request with the Bearer token, waited for (bounded by the request's own timeout).
  static func request(
    _ method: String, _ url: String, token: String, ifMatch: String? = nil, body: String? = nil
  ) throws -> (status: Int, body: String, eTag: String?) {
    var request = URLRequest(url: URL(string: url)!, timeoutInterval: 60)
    request.httpMethod = method
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    if let ifMatch { request.setValue(ifMatch, forHTTPHeaderField: "If-Match") }
    if let body {
      request.httpBody = Data(body.utf8)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String, String?) = (0, "", nil)
    URLSession.shared.dataTask(with: request) { data, response, _ in
      let http = response as? HTTPURLResponse
      let body = String(decoding: data ?? Data(), as: UTF8.self)
      result = (http?.statusCode ?? 0, body, http?.value(forHTTPHeaderField: "ETag"))
      done.signal()
    }.resume()
    done.wait()
    return result
  }
}
