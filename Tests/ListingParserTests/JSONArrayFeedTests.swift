import ListingParser
import XCTest

final class JSONArrayFeedTests: XCTestCase {
  func testPrettyPrintedArrayGivesEachRecordItsStartLine() throws {
    let folder = try FixtureFolder()
    let text = """
      [
        {
          "id": "a",
          "title": "带 \\"引号\\" 和 ] 与 } 的标题",
          "price": 9.9
        },
        {"id": 1002, "title": "二", "group_tiers": [{"min_people": 2, "price": 8}]},

        {
          "id": "c",
          "title": "三",
          "seller": {"name": "店", "license_no": null}
        }
      ]
      """
    let path = try folder.write("feed.json", text)
    let reader = try FeedReader(path: path, displayPath: "feed.json")
    XCTAssertEqual(reader.format, .jsonArray)
    let feed = FeedContents(reader)
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.ids, ["a", "1002", "c"])
    XCTAssertEqual(feed.listings.map(\.source.line), [2, 7, 9])
    XCTAssertEqual(try feed.listing("a").title, #"带 "引号" 和 ] 与 } 的标题"#)
    XCTAssertEqual(try feed.listing("1002").groupTiers, [Listing.GroupTier(minPeople: 2, price: 8)])
    XCTAssertEqual(try feed.listing("c").seller, Listing.Seller(name: "店"))
    let firstElement = "{\n    \"id\": \"a\",\n    \"title\": \"带 \\\"引号\\\" 和 ] 与 } 的标题\",\n    \"price\": 9.9\n  }"
    XCTAssertEqual(try feed.listing("a").recordHash, ContentHash.hex(firstElement))
    let title = try XCTUnwrap(try feed.listing("c").feedBlocks().first { $0.scope == .feedTitle })
    XCTAssertEqual(title.startLocation, SourceLocation(file: "feed.json", line: 11, column: 15, scope: .feedTitle))
  }

  func testBadElementsAreSkippedAndTheirNeighboursKept() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.json",
      """
      [{"id":"a","title":"A"},
       {"id":"b","title":},
       42,
       "text",
       {"title":"no id"},
       {"id":"a","title":"dup"},
       {"id":"z","title":"Z","price":"abc"}]
      """)
    let feed = try read(path, displayPath: "bad.json")
    XCTAssertEqual(feed.ids, ["a", "z"])
    XCTAssertEqual(
      feed.issues.map(\.kind),
      [.malformedRecord, .malformedRecord, .malformedRecord, .missingField, .duplicateID, .wrongFieldType])
    XCTAssertEqual(feed.issues.map(\.line), [2, 3, 4, 5, 6, 7])
    XCTAssertEqual(feed.issues.map(\.listingID), [nil, nil, nil, nil, "a", "z"])
    XCTAssertTrue(feed.issues.allSatisfy { $0.file == "bad.json" })
  }

  func testTruncatedArrayKeepsTheRecordsBeforeTheCut() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.json",
      """
      [
        {"id": "a", "title": "A"},
        {"id": "b", "title": "B"},
        {"id": "c", "title": "cut off he
      """)
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["a", "b"])
    XCTAssertEqual(feed.issues.map(\.kind), [.malformedRecord])
    XCTAssertEqual(feed.issues.first?.line, 4)
    XCTAssertTrue(feed.issues.first?.message.contains("ends inside") ?? false)
  }

  func testUnclosedArrayIsReportedAfterTheLastRecord() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("feed.json", "[{\"id\":\"a\",\"title\":\"A\"},\n")
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["a"])
    XCTAssertEqual(feed.issues.map(\.kind), [.malformedRecord])
  }

  func testEmptyArrayYieldsNothing() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("feed.json", "\u{FEFF}  [ ]\n")
    let feed = try read(path)
    XCTAssertEqual(feed.listings.count, 0)
    XCTAssertEqual(feed.issues, [])
  }

  func testElementsLargerThanOneReadChunkAreReadWhole() throws {
    let folder = try FixtureFolder()
    let long = String(repeating: "长描述", count: 40_000)
    let path = try folder.write(
      "feed.json",
      "[\n{\"id\":\"big\",\"title\":\"B\",\"description\":\"\(long)\"},\n" + #"{"id":"next","title":"N"}"# + "\n]")
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["big", "next"])
    XCTAssertEqual(try feed.listing("big").description?.count, long.count)
    XCTAssertEqual(try feed.listing("next").source.line, 3)
  }
}
