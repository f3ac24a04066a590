import ListingParser
import XCTest

final class NDJSONFeedTests: XCTestCase {
  private let fullRecord = """
    {"id":"a1","title":"有机大米 5kg","category":"食品/粮油","price":"¥19.9","original_price":39,\
    "lowest_price_7d":"18.5","seller":{"name":"某某旗舰店","license_no":"91310000MA1K"},"detail_page":"pages/a1.html",\
    "description":"产地直发","group_tiers":[{"min_people":3,"price":17.9},{"min_people":10,"price":"15"}],\
    "sc_code":"SC10632010500123","health_food_approval":"国食健字G20200001","cross_border":"true",\
    "return_policy":"七天无理由退货","audit_ignore":[{"rule":"price.original","reason":"厂商指导价"}],"unknown":{"x":1}}
    """

  func testDecodesEveryFieldFromNDJSONAndJSONLExtensions() throws {
    let folder = try FixtureFolder()
    for name in ["feed.ndjson", "feed.jsonl"] {
      let path = try folder.write(name, fullRecord + "\n" + #"{"id":42,"title":"二号","cross_border":0}"# + "\n")
      let reader = try FeedReader(path: path, displayPath: "shop/\(name)")
      XCTAssertEqual(reader.format, .ndjson)
      let feed = FeedContents(reader)
      XCTAssertEqual(feed.issues, [])
      XCTAssertEqual(feed.ids, ["a1", "42"])
      let first = try feed.listing("a1")
      XCTAssertEqual(first.title, "有机大米 5kg")
      XCTAssertEqual(first.category, "食品/粮油")
      XCTAssertEqual(first.price, 19.9)
      XCTAssertEqual(first.originalPrice, 39)
      XCTAssertEqual(first.lowestPrice7d, 18.5)
      XCTAssertEqual(first.seller, Listing.Seller(name: "某某旗舰店", licenseNo: "91310000MA1K"))
      XCTAssertEqual(first.detailPage, "pages/a1.html")
      XCTAssertEqual(first.description, "产地直发")
      XCTAssertEqual(
        first.groupTiers, [Listing.GroupTier(minPeople: 3, price: 17.9), Listing.GroupTier(minPeople: 10, price: 15)])
      XCTAssertEqual(first.scCode, "SC10632010500123")
      XCTAssertEqual(first.healthFoodApproval, "国食健字G20200001")
      XCTAssertEqual(first.crossBorder, true)
      XCTAssertEqual(first.returnPolicy, "七天无理由退货")
      XCTAssertEqual(first.auditIgnore, [Listing.Suppression(rule: "price.original", reason: "厂商指导价")])
      XCTAssertEqual(first.source, SourceLocation(file: "shop/\(name)", line: 1, column: 1, scope: .feedRecord))
      XCTAssertEqual(first.recordHash, ContentHash.hex(fullRecord))
      let second = try feed.listing("42")
      XCTAssertEqual(second.crossBorder, false)
      XCTAssertEqual(second.source.line, 2)
      XCTAssertNil(second.price)
      XCTAssertEqual(second.groupTiers, [])
    }
  }

  func testNullMeansAbsentAndBlankLinesAreSkippedButCounted() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      "\r\n" + #"{"id":"a","title":"A","price":null,"seller":null}"# + "\r\n   \n\n" + #"{"id":"b","title":"B"}"# + "\r\n")
    let feed = try read(path)
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.ids, ["a", "b"])
    XCTAssertEqual(feed.listings.map(\.source.line), [2, 5])
    XCTAssertNil(try feed.listing("a").price)
    XCTAssertEqual(try feed.listing("a").seller, Listing.Seller())
  }

  func testMalformedLinesAndNonObjectsAreSkippedAndTheRestIsRead() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      """
      {"id":"a","title":"A"}
      {"id":"b","title":"B"
      [1,2]
      "just a string"
      {"id":"c","title":"C"}
      """)
    let feed = try read(path, displayPath: "f.ndjson")
    XCTAssertEqual(feed.ids, ["a", "c"])
    XCTAssertEqual(feed.issues.map(\.kind), [.malformedRecord, .malformedRecord, .malformedRecord])
    XCTAssertEqual(feed.issues.map(\.line), [2, 3, 4])
    XCTAssertEqual(Set(feed.issues.map(\.file)), ["f.ndjson"])
    XCTAssertTrue(feed.issues[1].message.contains("an array"), feed.issues[1].message)
    XCTAssertEqual(try feed.listing("c").source.line, 5)
  }

  func testRecordsWithoutIDOrTitleAreSkippedWithMissingField() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      """
      {"title":"no id"}
      {"id":"x","title":null}
      {"id":"  ","title":"blank id"}
      {"id":"ok","title":"fine"}
      {"id":"y"}
      """)
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["ok"])
    XCTAssertEqual(feed.issues.map(\.kind), [.missingField, .missingField, .missingField, .missingField])
    XCTAssertEqual(feed.issues.map(\.line), [1, 2, 3, 5])
    XCTAssertEqual(feed.issues.map(\.listingID), [nil, "x", nil, "y"])
    XCTAssertTrue(feed.issues[0].message.contains("`id`"), feed.issues[0].message)
    XCTAssertTrue(feed.issues[1].message.contains("`title`"), feed.issues[1].message)
  }

  func testDuplicateIDKeepsTheFirstAndNamesItsLine() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      """
      {"id":"7","title":"first"}
      {"id":"8","title":"other"}
      {"id":7,"title":"second, numeric id"}
      """)
    let feed = try read(path, displayPath: "d.ndjson")
    XCTAssertEqual(feed.ids, ["7", "8"])
    XCTAssertEqual(try feed.listing("7").title, "first")
    let issue = try XCTUnwrap(feed.issues.first)
    XCTAssertEqual(feed.issues.count, 1)
    XCTAssertEqual(issue.kind, .duplicateID)
    XCTAssertEqual(issue.file, "d.ndjson")
    XCTAssertEqual(issue.line, 3)
    XCTAssertEqual(issue.listingID, "7")
    XCTAssertTrue(issue.message.contains("line 1"), issue.message)
  }

  func testPricesOutOfRangeAreIssuesAndTheRestOfTheRecordIsRead() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      #"""
      {"id":"inf","title":"A","price":1e309,"original_price":12.5,"return_policy":"概不退换"}
      {"id":"neg","title":"B","price":-5,"lowest_price_7d":-1E400}
      {"id":"nan","title":"C","price":"NaN","original_price":1e12}
      {"id":"text","title":"D","price":"12.5","original_price":"¥ 30"}
      {"id":"tiers","title":"E","group_tiers":[{"min_people":2,"price":-1}]}
      """#)
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["inf", "neg", "nan", "text", "tiers"])
    XCTAssertEqual(feed.issues.map(\.kind), Array(repeating: .outOfRange, count: 5) + [.wrongFieldType])
    XCTAssertEqual(try feed.listing("tiers").groupTiers, [], "a tier with a negative price drops the list")
    XCTAssertEqual(feed.issues.map(\.line), [1, 2, 2, 3, 3, 5])
    XCTAssertEqual(feed.issues.map(\.listingID), ["inf", "neg", "neg", "nan", "nan", "tiers"])
    let inf = try feed.listing("inf")
    XCTAssertNil(inf.price)
    XCTAssertEqual(inf.originalPrice, 12.5)
    XCTAssertEqual(inf.returnPolicy, "概不退换")
    XCTAssertTrue(feed.issues[4].message.contains("not a plausible price"), feed.issues[4].message)
    XCTAssertEqual(try feed.listing("text").price, 12.5, "a numeric string is the number")
    XCTAssertEqual(try feed.listing("text").originalPrice, 30)
  }

  func testWrongFieldTypesAreReportedAndDroppedButTheListingIsKept() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.ndjson",
      """
      {"id":"ok1","title":"before"}
      {"id":"w1","title":"T","price":"abc","original_price":[],"group_tiers":"x","seller":5,"cross_border":"maybe","lowest_price_7d":true,"category":"食品"}
      {"id":"w2","title":"T","seller":{"name":["x"],"license_no":"L1"},"group_tiers":[{"min_people":3}],"audit_ignore":"all","price":"1e3"}
      {"id":"ok2","title":"after"}
      """)
    let feed = try read(path, displayPath: "w.ndjson")
    XCTAssertEqual(feed.ids, ["ok1", "w1", "w2", "ok2"])
    let w1Issues = feed.issues.filter { $0.listingID == "w1" }
    XCTAssertEqual(w1Issues.count, 6)
    XCTAssertTrue(w1Issues.allSatisfy { $0.kind == .wrongFieldType && $0.line == 2 && $0.file == "w.ndjson" })
    for field in ["price", "original_price", "group_tiers", "seller", "cross_border", "lowest_price_7d"] {
      XCTAssertTrue(w1Issues.contains { $0.message.contains("`\(field)`") }, "no issue for \(field)")
    }
    let w1 = try feed.listing("w1")
    XCTAssertNil(w1.price)
    XCTAssertNil(w1.originalPrice)
    XCTAssertNil(w1.crossBorder)
    XCTAssertEqual(w1.groupTiers, [])
    XCTAssertEqual(w1.seller, Listing.Seller())
    XCTAssertEqual(w1.category, "食品")

    let w2Issues = feed.issues.filter { $0.listingID == "w2" }
    XCTAssertEqual(w2Issues.map(\.kind), Array(repeating: .wrongFieldType, count: 4))
    XCTAssertTrue(w2Issues.contains { $0.message.contains("`seller.name`") })
    let w2 = try feed.listing("w2")
    XCTAssertEqual(w2.seller, Listing.Seller(name: nil, licenseNo: "L1"))
    XCTAssertEqual(w2.groupTiers, [])
    XCTAssertEqual(w2.auditIgnore, [])
    XCTAssertNil(w2.price)
  }

  func testInvalidUTF8LineIsReadAsGB18030() throws {
    let folder = try FixtureFolder()
    let bytes = Array(#"{"id":"u","title":"ok"}"#.utf8) + [0x0A] + (try gb18030(#"{"id":"g","title":"概不退换"}"#))
      + [0x0A] + Array(#"{"id":"x","title":"bad "#.utf8) + [0xFF] + Array(#""}"#.utf8)
    let path = try folder.write("feed.ndjson", bytes: bytes)
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["u", "g", "x"])
    XCTAssertEqual(try feed.listing("g").title, "概不退换")
    XCTAssertEqual(try feed.listing("x").title, "bad \u{FFFD}")
    XCTAssertEqual(feed.issues.map(\.kind), [.encoding])
    XCTAssertEqual(feed.issues.first?.line, 3)
  }

  func testPrettyPrintedSingleObjectIsNotAFeed() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("api.json", "{\n  \"data\": {\"x\": 1}\n}\n")
    XCTAssertThrowsError(try FeedReader(path: path, displayPath: "api.json")) { error in
      guard case .notAFeed(let file, _) = error as? FeedError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, "api.json")
      XCTAssertTrue(String(describing: error).hasPrefix("api.json: "))
    }
  }
}
