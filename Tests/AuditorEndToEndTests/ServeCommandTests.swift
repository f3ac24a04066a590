import Foundation
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `auditor users` and `auditor serve` as a deployment uses them: tokens on stdout, a server that says where it
/// listens, answers with the token, and stops with exit 0 on SIGTERM.
final class ServeCommandTests: XCTestCase {
  var folder: URL!
  var db: String { folder.appendingPathComponent("audit.sqlite").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  func testUsersAddPrintsATokenAloneAndListAndRevokeManageThem() throws {
    let added = try AuditorBinary.run(["users", "add", "rita", "--role", "reviewer", "--db", db])
    XCTAssertEqual(added.status, 0, added.stderr)
    let token = added.stdout.trimmingCharacters(in: .newlines)
    XCTAssertEqual(added.stdout, token + "\n")
    XCTAssertNotNil(token.range(of: "^[0-9a-f]{64}$", options: .regularExpression), token)
    let stored = try AuditorBinary.run(["users", "list", "--db", db])
    XCTAssertTrue(stored.stdout.hasPrefix("rita  reviewer  created "), stored.stdout)
    XCTAssertTrue(stored.stdout.contains("active"))
    XCTAssertFalse(try String(contentsOfFile: db, encoding: .isoLatin1).contains(token), "the token is stored as is")
    let again = try AuditorBinary.run(["users", "add", "rita", "--role", "admin", "--db", db])
    XCTAssertEqual(again.status, 2)
    XCTAssertTrue(again.stderr.contains("a user named 'rita' exists"), again.stderr)
    XCTAssertEqual(try AuditorBinary.run(["users", "add", "x", "--role", "boss", "--db", db]).status, 2)
    let revoked = try AuditorBinary.run(["users", "revoke", "rita", "--db", db])
    XCTAssertEqual(revoked.status, 0, revoked.stderr)
    XCTAssertTrue(try AuditorBinary.run(["users", "list", "--db", db]).stdout.contains("revoked "))
    XCTAssertEqual(try AuditorBinary.run(["users", "revoke", "rita", "--db", db]).status, 2)
  }

  func testServeSaysWhereItListensAnswersAndStopsCleanlyOnSIGTERM() throws {
    let token = try AuditorBinary.run(["users", "add", "vera", "--role", "viewer", "--db", db]).stdout
      .trimmingCharacters(in: .newlines)
    let process = Process()
    process.executableURL = AuditorBinary.url
    process.arguments = ["serve", "--db", db, "--port", "0"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    var log = ""
    while !log.contains("\n"), process.isRunning {
      let chunk = errors.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      log += String(decoding: chunk, as: UTF8.self)
    }
    let first = String(log.prefix { $0 != "\n" })
    let base = try XCTUnwrap(first.range(of: #"^listening on http://127\.0\.0\.1:[0-9]+$"#, options: .regularExpression)
      .map { _ in String(first.dropFirst("listening on ".count)) }, log)

    XCTAssertEqual(try Self.get(base + "/api/v1/health").status, 200)
    XCTAssertEqual(try Self.get(base + "/api/v1/runs").status, 401)
    let runs = try Self.get(base + "/api/v1/runs", token: token)
    XCTAssertEqual(runs.status, 200)
    XCTAssertEqual(runs.body, "{\"runs\":[]}\n")

    process.terminate()  // SIGTERM, as a service manager stops it
    process.waitUntilExit()
    XCTAssertEqual(process.terminationReason, .exit)
    XCTAssertEqual(process.terminationStatus, 0)
    log += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    XCTAssertTrue(log.contains("GET /api/v1/runs 200 "), log)
    XCTAssertTrue(log.contains(" vera\n"), log)
  }

  /// A GET with an optional Bearer token, waited for (bounded by the session's own timeout).
  static func get(_ url: String, token: String? = nil) throws -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: url)!, timeoutInterval: 30)
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String) = (0, "")
    URLSession.shared.dataTask(with: request) { data, response, _ in
      result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
      done.signal()
    }.resume()
    done.wait()
    return result
  }
}
