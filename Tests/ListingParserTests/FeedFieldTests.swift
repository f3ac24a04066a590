import Foundation
import XCTest

@testable import ListingParser

/// One feed schema: the README's table is `FeedField.table`, and the decoder reads every field in it.
final class FeedFieldTests: XCTestCase {
  func testTheReadmeFeedFormatTableIsTheFieldTable() throws {
    let readme = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md"),
      encoding: .utf8)
    let section = try XCTUnwrap(readme.components(separatedBy: "## Feed format").dropFirst().first)
    let table = section.split(separator: "\n", omittingEmptySubsequences: false)
      .drop { !$0.hasPrefix("| field ") }
      .prefix { $0.hasPrefix("|") }
      .joined(separator: "\n")
    XCTAssertEqual(table, FeedField.table)
  }

  func testTheDecoderReadsEveryFieldOfTheTable() {
    // A nested list is the wrong type for every optional field, so each one the decoder reads is reported by name.
    var record: [String: Any] = ["id": "A", "title": "标题"]
    let optional = FeedField.all.filter { $0 != .id && $0 != .title }
    for field in optional { record[field.name] = [[1]] }
    let (listing, issues) = ListingRecordDecoder.decode(
      object: record, source: SourceLocation(file: "f.ndjson", line: 1, column: 1, scope: .feedRecord),
      recordBytes: [])

    XCTAssertNotNil(listing)
    let reported = issues.filter { $0.kind == .wrongFieldType }.compactMap { issue in
      optional.first { issue.message.hasPrefix("record `\($0.name)` ") }?.name
    }
    XCTAssertEqual(reported.sorted(), optional.map(\.name).sorted())
  }
}
