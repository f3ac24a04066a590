import ComplianceRules
import Foundation
import Hummingbird
import HummingbirdTesting
import ReviewServer
import XCTest
import ZIPFoundation

final class RunUploadTests: XCTestCase {
  /// A zip of `entries` (path → text); a value starting with "->" is a symbolic link to the rest.
  static func zip(_ entries: [(String, String)]) throws -> ByteBuffer {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in entries {
      let isLink = text.hasPrefix("->")
      let data = Data((isLink ? String(text.dropFirst(2)) : text).utf8)
      try archive.addEntry(
        with: path, type: isLink ? .symlink : .file, uncompressedSize: Int64(data.count),
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return ByteBuffer(bytes: try XCTUnwrap(archive.data))
  }

  func testAnUploadedZipIsCheckedInTheBackgroundAndNothingClimbsOut() async throws {
    let fixture = try ReviewFixture()
    let body = try Self.zip([
      ("listings.ndjson", #"{"id": "u-1", "title": "全网最好的枕头", "detail_page": "pages/u-1.html"}"# + "\n"),
      ("pages/u-1.html", "<html><body><p>国家级品质</p></body></html>"),
      ("../escaped.html", "<p>outside</p>"),
      ("/tmp/absolute-\(UUID().uuidString).html", "<p>absolute</p>"),
      ("pages/link.html", "->/etc/passwd"),
    ])
    let escaped = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("uploads/../escaped.html")
    try? FileManager.default.removeItem(at: escaped)
    try await fixture.app.test(.router) { client in
      let viewer = try await client.execute(
        uri: "/api/v1/runs", method: .post, headers: ReviewFixture.bearer(fixture.viewer), body: body)
      XCTAssertEqual(viewer.status, .forbidden)
      let accepted = try await client.execute(
        uri: "/api/v1/runs", method: .post, headers: ReviewFixture.bearer(fixture.reviewer), body: body)
      XCTAssertEqual(accepted.status, .accepted)
      let runID = try XCTUnwrap(try ReviewFixture.object(accepted)["run_id"] as? Int)
      XCTAssertEqual(runID, 2)
      var run: [String: Any] = [:]
      for _ in 0..<200 {
        run = try ReviewFixture.object(
          try await client.execute(
            uri: "/api/v1/runs/\(runID)", method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
        if run["state"] as? String == "complete" { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      XCTAssertEqual(run["state"] as? String, "complete")
      XCTAssertEqual(run["listings_checked"] as? Int, 1)
      let findings = try ReviewFixture.object(
        try await client.execute(
          uri: "/api/v1/findings?run=\(runID)", method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
      let evidence = (findings["findings"] as? [[String: Any]] ?? []).compactMap { $0["evidence"] as? String }
      // The title's claim (quoted with its scope, 全网最好) and the page's.
      XCTAssertTrue(evidence.contains("全网最好") && evidence.contains("国家级"), "\(evidence)")
      let notZip = try await client.execute(
        uri: "/api/v1/runs", method: .post, headers: ReviewFixture.bearer(fixture.reviewer),
        body: ByteBuffer(string: "not a zip"))
      XCTAssertEqual(notZip.status, .unprocessableContent)
      let noFeed = try await client.execute(
        uri: "/api/v1/runs", method: .post, headers: ReviewFixture.bearer(fixture.reviewer),
        body: try Self.zip([("pages/a.html", "<p>x</p>")]))
      XCTAssertEqual(noFeed.status, .unprocessableContent)
    }
    let issues = try fixture.store.inputIssues(runID: 2).filter { $0.kind == .unsafePath }
    XCTAssertEqual(issues.count, 3, "\(issues)")
    XCTAssertFalse(FileManager.default.fileExists(atPath: escaped.standardizedFileURL.path))
  }
}
