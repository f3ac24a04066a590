import ListingParser
import XCTest

final class FeedBlocksTests: XCTestCase {
  private func blocks(_ json: String) throws -> [TextBlock] {
    let (listing, issues) = ListingRecordDecoder.decode(
      jsonText: json, source: SourceLocation(file: "feed.ndjson", line: 3, column: 1, scope: .feedRecord))
    XCTAssertEqual(issues, [])
    return try XCTUnwrap(listing).feedBlocks()
  }

  func testTitleColumnPointsAtTheFirstCharacterOfTheValue() throws {
    let title = try XCTUnwrap(try blocks(#"{"id":"a","title":"😀概不退换"}"#).first { $0.scope == .feedTitle })
    XCTAssertEqual(title.text, "😀概不退换")
    XCTAssertEqual(title.startLocation, SourceLocation(file: "feed.ndjson", line: 3, column: 20, scope: .feedTitle))
    XCTAssertEqual(title.location(atUTF8Offset: 4).column, 21, "概 is one column after the emoji")
  }

  func testEscapesKeepLaterCharactersOnTheirColumns() throws {
    let json = #"{"id":"a","title":"\"最\" \u4f73 品质"}"#
    let title = try XCTUnwrap(try blocks(json).first { $0.scope == .feedTitle })
    XCTAssertEqual(title.text, "\"最\" 佳 品质")
    func column(of character: String) -> Int? { title.location(of: character)?.column }
    XCTAssertEqual(title.startLocation.column, 20, "the escaped quote is the first character")
    XCTAssertEqual(column(of: "最"), 22)
    XCTAssertEqual(column(of: "佳"), 26, "the \\u4f73 escape starts at column 26")
    XCTAssertEqual(column(of: "品"), 33)
  }

  func testEveryFeedTextFieldBecomesABlockAndHTMLDescriptionIsLeftToTheCaller() throws {
    let plain = try blocks(
      #"{"id":"a","title":"T","seller":{"name":"店","license_no":"91"},"return_policy":"  不支持\n 退货 ","category":"食品/零食","description":"说明"}"#
    )
    XCTAssertEqual(
      plain.map(\.scope), [.feedTitle, .feedSeller, .feedSeller, .feedReturnPolicy, .feedCategory, .feedDescription])
    XCTAssertEqual(plain.map(\.text), ["T", "店", "91", "不支持 退货", "食品/零食", "说明"])
    let policy = plain[3]
    XCTAssertEqual(policy.startLocation.column, 82)
    XCTAssertEqual(policy.location(atUTF8Offset: "不支持 ".utf8.count).column, 88)
    XCTAssertEqual(plain[1].startLocation.column, 41)

    let (listing, _) = ListingRecordDecoder.decode(
      jsonText: #"{"id":"a","title":"T","description":"<p>概不退换</p>"}"#,
      source: SourceLocation(file: "f", line: 1, column: 1, scope: .feedRecord))
    let html = try XCTUnwrap(listing)
    XCTAssertTrue(html.descriptionIsHTML)
    XCTAssertFalse(html.feedBlocks().contains { $0.scope == .feedDescription })
    XCTAssertEqual(
      html.feedLocation(ofField: "description", scope: .feedDescription),
      SourceLocation(file: "f", line: 1, column: 38, scope: .feedDescription))
  }

  func testListingBuiltInCodeFallsBackToTheRecordLine() {
    let listing = Listing(
      id: "x", title: "标题", source: SourceLocation(file: "f", line: 9, column: 1, scope: .feedRecord))
    XCTAssertEqual(
      listing.feedBlocks().map(\.startLocation), [SourceLocation(file: "f", line: 9, column: 1, scope: .feedTitle)])
  }
}
