import Foundation
import ListingParser
import XCTest

final class FeedReaderTests: XCTestCase {
  func testFormatDetection() {
    let object = Array("  {\"id\":1}".utf8)
    let array = Array("\u{FEFF}\n [".utf8)
    XCTAssertEqual(FeedFormat.detect(path: "a/feed.ndjson", firstBytes: array), .ndjson)
    XCTAssertEqual(FeedFormat.detect(path: "feed.JSONL", firstBytes: []), .ndjson)
    XCTAssertEqual(FeedFormat.detect(path: "feed.csv", firstBytes: object), .csv)
    XCTAssertEqual(FeedFormat.detect(path: "feed.json", firstBytes: array), .jsonArray)
    XCTAssertEqual(FeedFormat.detect(path: "feed.json", firstBytes: object), .ndjson)
    XCTAssertNil(FeedFormat.detect(path: "feed.json", firstBytes: Array("id,title".utf8)))
    XCTAssertNil(FeedFormat.detect(path: "feed.xml", firstBytes: object))
    XCTAssertNil(FeedFormat.detect(path: "dir.csv/feed", firstBytes: object))
    XCTAssertEqual(FeedFormat.jsonArray.rawValue, "json")
  }

  func testWholeFileProblemsThrowWithThePath() throws {
    let folder = try FixtureFolder()
    let cases: [(String, [UInt8]?, (FeedError) -> Bool)] = [
      ("missing.ndjson", nil, { if case .missingFile = $0 { true } else { false } }),
      ("feed.xml", Array("<feed/>".utf8), { if case .unknownFormat = $0 { true } else { false } }),
      ("empty.ndjson", [], { if case .notAFeed = $0 { true } else { false } }),
      ("blank.csv", Array(" \n\n".utf8), { if case .notAFeed = $0 { true } else { false } }),
      ("text.json", Array("hello".utf8), { if case .notAFeed = $0 { true } else { false } }),
      ("utf16.csv", [0xFF, 0xFE, 0x69, 0x00, 0x64, 0x00], { if case .notAFeed = $0 { true } else { false } }),
    ]
    for (name, bytes, matches) in cases {
      let path = folder.path + "/" + name
      if let bytes { try folder.write(name, bytes: bytes) }
      XCTAssertThrowsError(try FeedReader(path: path, displayPath: "shown/" + name), name) { error in
        let feedError = error as? FeedError
        XCTAssertTrue(feedError.map(matches) ?? false, "\(name): \(error)")
        XCTAssertEqual(feedError?.path, "shown/" + name)
        XCTAssertTrue(String(describing: error).hasPrefix("shown/\(name): "), "\(error)")
      }
    }
    XCTAssertThrowsError(try FeedReader(path: folder.path)) { error in
      guard case .notAFeed? = error as? FeedError else { return XCTFail("\(error)") }
    }
  }

  func testAnIDReusedInALaterFeedOfTheRunIsADuplicate() throws {
    let folder = try FixtureFolder()
    let first = try folder.write("a.ndjson", #"{"id":"7","title":"first"}"# + "\n" + #"{"id":"8","title":"other"}"#)
    let second = try folder.write("b.csv", "id,title\n9,new\n7,again\n")
    let ids = ListingIDRegister()
    let a = FeedContents(try FeedReader(path: first, displayPath: "a.ndjson", ids: ids))
    let b = FeedContents(try FeedReader(path: second, displayPath: "b.csv", ids: ids))
    XCTAssertEqual(a.ids, ["7", "8"])
    XCTAssertEqual(b.ids, ["9"])
    let issue = try XCTUnwrap(b.issues.first)
    XCTAssertEqual(b.issues.count, 1)
    XCTAssertEqual(issue.kind, .duplicateID)
    XCTAssertEqual(issue.file, "b.csv")
    XCTAssertEqual(issue.line, 3)
    XCTAssertEqual(issue.listingID, "7")
    XCTAssertTrue(issue.message.contains("first used on a.ndjson line 1"), issue.message)
    XCTAssertEqual(try read(second).ids, ["9", "7"], "a reader of its own has a register of its own")
  }

  func testAFeedThatGaveNoListingSaysWhy() throws {
    let folder = try FixtureFolder()
    let malformed = try FeedReader(path: try folder.write("m.ndjson", "nope\n{\"title\":\"x\"}\n"), displayPath: "m")
    let header = try FeedReader(path: try folder.write("h.csv", "id,title\n"), displayPath: "h")
    let good = try FeedReader(path: try folder.write("g.ndjson", "nope\n{\"id\":1,\"title\":\"x\"}\n"))
    for reader in [malformed, header, good] { _ = FeedContents(reader) }
    XCTAssertEqual(
      malformed.nothingReadReason, "m: no listing could be read: every record is an input issue (2 reported)")
    XCTAssertEqual(header.nothingReadReason, "h: no listing could be read: the feed holds no records")
    XCTAssertNil(good.nothingReadReason)
  }

  func testDeeplyNestedBracketsAreAnIssueNotACrash() throws {
    let folder = try FixtureFolder()
    let open = String(repeating: "[", count: 100_000)
    let unclosed = try read(try folder.write("open.json", open))
    XCTAssertEqual(unclosed.issues.map(\.kind), [.malformedRecord])
    let closed = try read(try folder.write("closed.json", "[" + open + String(repeating: "]", count: 100_001)))
    XCTAssertEqual(closed.issues.map(\.kind), [.malformedRecord])
    let line = #"{"id":"deep","title":"t","x":"# + open + String(repeating: "]", count: 100_000) + "}\n"
    let ndjson = try read(try folder.write("deep.ndjson", line + #"{"id":"next","title":"t"}"#))
    XCTAssertEqual(ndjson.issues.map(\.kind), [.malformedRecord])
    XCTAssertEqual(ndjson.ids, ["next"])
  }

  func testDisplayPathDefaultsToThePath() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("feed.ndjson", #"{"id":"a","title":"A"}"#)
    let reader = try FeedReader(path: path)
    XCTAssertEqual(reader.displayPath, path)
    guard case .listing(let listing)? = reader.next() else { return XCTFail("expected a listing") }
    XCTAssertEqual(listing.source.file, path)
    XCTAssertNil(reader.next())
    XCTAssertNil(reader.next(), "stays at the end")
  }

  func testLargeNDJSONStreamsOneRecordAtATime() throws {
    let folder = try FixtureFolder()
    let count = 20_000
    var text = ""
    text.reserveCapacity(count * 80)
    for index in 1...count {
      text += #"{"id":"item-\#(index)","title":"商品 \#(index) 七天无理由","price":\#(index % 100).5}"# + "\n"
    }
    let path = try folder.write("big.ndjson", text)
    let reader = try FeedReader(path: path)
    guard case .listing(let first)? = reader.next() else { return XCTFail("expected the first listing") }
    XCTAssertEqual(first.id, "item-1")
    var last = first
    var listings = 1
    while let event = reader.next() {
      guard case .listing(let listing) = event else { return XCTFail("unexpected \(event)") }
      listings += 1
      last = listing
    }
    XCTAssertEqual(listings, count)
    XCTAssertEqual(last.id, "item-\(count)")
    XCTAssertEqual(last.source.line, count)
    XCTAssertEqual(last.price, 0.5)
  }

  func testDecodeJSONTextForRuleExamples() throws {
    let source = SourceLocation(file: "rules/ad.yaml", line: 40, column: 7, scope: .feedRecord)
    let (listing, issues) = ListingRecordDecoder.decode(
      jsonText: #"{"id":"example","title":"全网最低价","price":"9.9","cross_border":"是"}"#, source: source)
    XCTAssertEqual(issues, [])
    let example = try XCTUnwrap(listing)
    XCTAssertEqual(example.price, 9.9)
    XCTAssertEqual(example.crossBorder, true)
    XCTAssertEqual(example.source, source)
    XCTAssertEqual(example.feedBlocks().first?.startLocation.column, 32, "column 7 + 25 characters before the value")

    let (none, problems) = ListingRecordDecoder.decode(jsonText: "[1]", source: source)
    XCTAssertNil(none)
    XCTAssertEqual(problems.map(\.kind), [.malformedRecord])
    XCTAssertEqual(problems.first?.line, 40)
    XCTAssertEqual(ListingRecordDecoder.decode(jsonText: "{", source: source).1.map(\.kind), [.malformedRecord])
  }

  func testDecodeObjectAcceptsLenientValuesAndRejectsOthers() {
    let source = SourceLocation(file: "f", line: 1, column: 1, scope: .feedRecord)
    let object: [String: Any] = [
      "id": 12_345_678_901_234, "title": "T", "price": "￥ 19.90", "original_price": "0x10", "cross_border": 1,
      "category": ["食品", "零食"], "sc_code": 123, "audit_ignore": ["price.original"],
      "group_tiers": [["min_people": "2", "price": "¥5"]],
    ]
    let (listing, issues) = ListingRecordDecoder.decode(object: object, source: source, recordBytes: [UInt8]())
    XCTAssertEqual(listing?.id, "12345678901234")
    XCTAssertEqual(listing?.price, 19.9)
    XCTAssertNil(listing?.originalPrice, "hex is not a price")
    XCTAssertEqual(listing?.crossBorder, true)
    XCTAssertEqual(listing?.category, "食品/零食")
    XCTAssertEqual(listing?.scCode, "123")
    XCTAssertEqual(listing?.auditIgnore, [Listing.Suppression(rule: "price.original", reason: nil)])
    XCTAssertEqual(listing?.groupTiers, [Listing.GroupTier(minPeople: 2, price: 5)])
    XCTAssertEqual(issues.map(\.kind), [.wrongFieldType])
    XCTAssertEqual(issues.first?.listingID, "12345678901234")

    let (fractional, idIssues) = ListingRecordDecoder.decode(
      object: ["id": 1.5, "title": "T"], source: source, recordBytes: [UInt8]())
    XCTAssertNil(fractional)
    XCTAssertEqual(idIssues.map(\.kind), [.wrongFieldType])
  }
}
