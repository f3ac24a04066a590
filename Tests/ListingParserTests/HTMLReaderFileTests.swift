import Foundation
import XCTest

@testable import ListingParser

/// `HTMLReader.read(path:)`: pages on disk and the input issues for files that are not pages.
final class HTMLReaderFileTests: XCTestCase {
  private let reader = HTMLTestSupport.reader

  private func issue(_ result: Result<PageDocument, InputIssue>) -> InputIssue? {
    if case .failure(let issue) = result { return issue }
    return nil
  }

  func testReadsAPageAndUsesTheDisplayPath() throws {
    let directory = try HTMLTestSupport.temporaryDirectory(self)
    let path = directory.appendingPathComponent("p.html").path
    let bytes = Array("<title>T</title>\n<p>ok".utf8) + HTMLTestSupport.gbkNoReturns + Array("</p>".utf8)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let page = try reader.read(path: path, displayPath: "pages/p.html", listingID: "L1").get()
    XCTAssertEqual(page.file, "pages/p.html")
    XCTAssertEqual(page.encoding, "GB18030")
    XCTAssertEqual(page.byteCount, bytes.count)
    XCTAssertEqual(page.contentHash, ContentHash.hex(bytes))
    XCTAssertEqual(page.title, "T")
    XCTAssertEqual(page.blocks(.body), ["ok概不退换"])
    XCTAssertEqual(
      page.block(containing: "概")?.location(of: "概"), SourceLocation(file: "pages/p.html", line: 2, column: 6, scope: .body))
  }

  func testMissingFile() {
    let result = reader.read(path: "/nonexistent/dir/p.html", displayPath: "pages/p.html", listingID: "L2")
    XCTAssertEqual(issue(result)?.kind, .missingFile)
    XCTAssertEqual(issue(result)?.file, "pages/p.html")
    XCTAssertEqual(issue(result)?.listingID, "L2")
    XCTAssertEqual(issue(result)?.line, 0)
  }

  func testEmptyFile() throws {
    let path = try HTMLTestSupport.temporaryDirectory(self).appendingPathComponent("empty.html").path
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
    let result = reader.read(path: path, displayPath: "empty.html", listingID: nil)
    XCTAssertEqual(issue(result)?.kind, .unreadableFile)
    XCTAssertEqual(issue(result)?.message, "page is empty")
  }

  func testDirectory() throws {
    let directory = try HTMLTestSupport.temporaryDirectory(self)
    let result = reader.read(path: directory.path, displayPath: "pages", listingID: "L3")
    XCTAssertEqual(issue(result)?.kind, .unreadableFile)
  }

  func testUnreadableFile() throws {
    try XCTSkipIf(geteuid() == 0, "root reads files whatever their permissions")
    let path = try HTMLTestSupport.temporaryDirectory(self).appendingPathComponent("locked.html").path
    try Data("<p>x</p>".utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
    XCTAssertEqual(issue(reader.read(path: path, displayPath: "locked.html", listingID: nil))?.kind, .unreadableFile)
  }

  func testBinaryFiles() throws {
    let directory = try HTMLTestSupport.temporaryDirectory(self)
    let png = directory.appendingPathComponent("image.html")
    try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D] + Array("IHDR".utf8)).write(to: png)
    XCTAssertEqual(issue(reader.read(path: png.path, displayPath: "image.html", listingID: nil))?.kind, .binaryFile)

    let controls = directory.appendingPathComponent("controls.html")
    let bytes = (0..<2000).map { UInt8($0 % 3 == 0 ? 0x01 : 0x61) }
    try Data(bytes).write(to: controls)
    XCTAssertEqual(issue(reader.read(path: controls.path, displayPath: "controls.html", listingID: nil))?.kind, .binaryFile)
  }

  func testUndecodablePageIsAnEncodingIssueOnlyWhenNothingReadableIsLeft() throws {
    let directory = try HTMLTestSupport.temporaryDirectory(self)
    let garbage = directory.appendingPathComponent("garbage.html")
    try Data(Array("<p>".utf8) + [UInt8](repeating: 0xFF, count: 400) + Array("</p>".utf8)).write(to: garbage)
    let failed = reader.read(path: garbage.path, displayPath: "garbage.html", listingID: "L4")
    XCTAssertEqual(issue(failed)?.kind, .encoding)
    XCTAssertEqual(issue(failed)?.listingID, "L4")

    let damaged = directory.appendingPathComponent("damaged.html")
    try Data(Array("<p>".utf8) + HTMLTestSupport.gbkNoReturns + [UInt8](repeating: 0xFF, count: 10) + Array("</p>".utf8))
      .write(to: damaged)
    let page = try reader.read(path: damaged.path, displayPath: "damaged.html", listingID: "L5").get()
    XCTAssertEqual(page.issues.map(\.kind), [.encoding])
    XCTAssertEqual(page.issues.first?.listingID, "L5")
    XCTAssertEqual(page.blocks(.body), ["概不退换" + String(repeating: "\u{FFFD}", count: 10)])
  }

  func testEmptyHTMLStringParsesToAnEmptyDocument() {
    let page = reader.parse(html: "", file: "feed.csv")
    XCTAssertTrue(page.blocks.isEmpty)
    XCTAssertNil(page.title)
    XCTAssertEqual(page.byteCount, 0)
  }
}
