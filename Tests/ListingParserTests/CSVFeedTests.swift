import ListingParser
import XCTest

final class CSVFeedTests: XCTestCase {
  private let header =
    "id,title,category,price,original_price,lowest_price_7d,seller.name,seller.license_no,detail_page,description,"
    + "group_tiers,sc_code,health_food_approval,cross_border,return_policy,audit_ignore,extra\n"

  func testUTF8CSVWithQuotedChineseFieldsAndCSVEncodings() throws {
    let folder = try FixtureFolder()
    let rows =
      header
      + "1001,\"大米，5kg装 \"\"特价\"\"\",食品/粮油,¥19.9,39,18.5,某某旗舰店,91310000MA1K,pages/1001.html,"
      + "\"第一行\n第二行\",3:19.9;10:16.9,SC10632010500123,,是,七天无理由退货,"
      + "price.original:厂商指导价;ad.extreme:品牌名含'最',whatever\r\n"
      + "\r\n"
      + "a2,第二件,,,,,,,,,,,,否,,price.original,\n"
    let path = try folder.write("feed.csv", rows)
    let reader = try FeedReader(path: path, displayPath: "feed.csv")
    XCTAssertEqual(reader.format, .csv)
    let feed = FeedContents(reader)
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.ids, ["1001", "a2"])
    let first = try feed.listing("1001")
    XCTAssertEqual(first.title, "大米，5kg装 \"特价\"")
    XCTAssertEqual(first.category, "食品/粮油")
    XCTAssertEqual(first.price, 19.9)
    XCTAssertEqual(first.originalPrice, 39)
    XCTAssertEqual(first.lowestPrice7d, 18.5)
    XCTAssertEqual(first.seller, Listing.Seller(name: "某某旗舰店", licenseNo: "91310000MA1K"))
    XCTAssertEqual(first.detailPage, "pages/1001.html")
    XCTAssertEqual(first.description, "第一行\n第二行")
    XCTAssertEqual(
      first.groupTiers,
      [Listing.GroupTier(minPeople: 3, price: 19.9), Listing.GroupTier(minPeople: 10, price: 16.9)])
    XCTAssertEqual(first.scCode, "SC10632010500123")
    XCTAssertNil(first.healthFoodApproval)
    XCTAssertEqual(first.crossBorder, true)
    XCTAssertEqual(first.returnPolicy, "七天无理由退货")
    XCTAssertEqual(
      first.auditIgnore,
      [
        Listing.Suppression(rule: "price.original", reason: "厂商指导价"),
        Listing.Suppression(rule: "ad.extreme", reason: "品牌名含'最'"),
      ])
    XCTAssertEqual(first.source, SourceLocation(file: "feed.csv", line: 2, column: 1, scope: .feedRecord))
    let cells = [
      "1001", "大米，5kg装 \"特价\"", "食品/粮油", "¥19.9", "39", "18.5", "某某旗舰店", "91310000MA1K", "pages/1001.html",
      "第一行\n第二行", "3:19.9;10:16.9", "SC10632010500123", "", "是", "七天无理由退货",
      "price.original:厂商指导价;ad.extreme:品牌名含'最'", "whatever",
    ]
    XCTAssertEqual(first.recordHash, ContentHash.hex(parts: cells))

    let second = try feed.listing("a2")
    XCTAssertEqual(second.source.line, 5, "the quoted line break and the blank line both count")
    XCTAssertEqual(second.crossBorder, false)
    XCTAssertNil(second.category)
    XCTAssertEqual(second.auditIgnore, [Listing.Suppression(rule: "price.original", reason: nil)])
  }

  func testFeedBlocksPointAtTheCellInTheFile() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.csv",
      "id,title,seller.name,description\n7,\"说明 \"\"最\"\"好\",店铺,\"第一行\n  第二行最\"\n")
    let listing = try XCTUnwrap(try read(path, displayPath: "f.csv").listings.first)
    let blocks = listing.feedBlocks()
    let title = try XCTUnwrap(blocks.first { $0.scope == .feedTitle })
    XCTAssertEqual(title.text, "说明 \"最\"好")
    XCTAssertEqual(title.startLocation, SourceLocation(file: "f.csv", line: 2, column: 4, scope: .feedTitle))
    XCTAssertEqual(title.location(of: "好")?.column, 12, "each \"\" is two columns in the file, one in the text")
    let seller = try XCTUnwrap(blocks.first { $0.scope == .feedSeller })
    XCTAssertEqual(seller.startLocation.column, 15)
    let description = try XCTUnwrap(blocks.first { $0.scope == .feedDescription })
    XCTAssertEqual(description.text, "第一行 第二行最")
    let most = try XCTUnwrap(description.location(of: "最"))
    XCTAssertEqual([most.line, most.column], [3, 6])
  }

  func testGB18030CSVIsDecoded() throws {
    let folder = try FixtureFolder()
    let text = "id,title,seller.name,cross_border\n1,\"概不退换，特价\",北京某某商贸有限公司,否\n2,第二件,店,1\n"
    let bytes = try gb18030(text)
    XCTAssertFalse(CharsetDecoder.isValidUTF8(bytes))
    let path = try folder.write("gbk.csv", bytes: bytes)
    let feed = try read(path, displayPath: "gbk.csv")
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.ids, ["1", "2"])
    XCTAssertEqual(try feed.listing("1").title, "概不退换，特价")
    XCTAssertEqual(try feed.listing("1").seller.name, "北京某某商贸有限公司")
    XCTAssertEqual(try feed.listing("1").crossBorder, false)
    XCTAssertEqual(try feed.listing("2").crossBorder, true)
    XCTAssertEqual(try feed.listing("2").source.line, 3)
    let title = try XCTUnwrap(try feed.listing("1").feedBlocks().first { $0.scope == .feedTitle })
    XCTAssertEqual(title.startLocation.column, 4)
  }

  func testRaggedRowsAreSkippedAndNeighboursKept() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.csv",
      "id,title,price\nok1,好,1\nshort,少一列\nlong,多,2,3\nok2,也好,2\n")
    let feed = try read(path, displayPath: "r.csv")
    XCTAssertEqual(feed.ids, ["ok1", "ok2"])
    XCTAssertEqual(feed.issues.map(\.kind), [.raggedRow, .raggedRow])
    XCTAssertEqual(feed.issues.map(\.line), [3, 4])
    XCTAssertEqual(feed.issues.map(\.listingID), ["short", "long"])
    XCTAssertEqual(Set(feed.issues.map(\.file)), ["r.csv"])
    XCTAssertEqual(try feed.listing("ok2").source.line, 5)
  }

  func testCSVRecordProblems() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.csv",
      """
      id,title,price,group_tiers,cross_border
      a,A,1,,
      ,no id,1,,
      b,,1,,
      a,dup,1,,
      c,C,abc,x,maybe
      d,D,2,3:x,
      e,E,3,,true

      """)
    let feed = try read(path, displayPath: "p.csv")
    XCTAssertEqual(feed.ids, ["a", "c", "d", "e"])
    XCTAssertEqual(
      feed.issues.map(\.kind),
      [.missingField, .missingField, .duplicateID, .wrongFieldType, .wrongFieldType, .wrongFieldType, .wrongFieldType])
    XCTAssertEqual(feed.issues.map(\.line), [3, 4, 5, 6, 6, 6, 7])
    XCTAssertEqual(feed.issues.map(\.listingID), [nil, "b", "a", "c", "c", "c", "d"])
    XCTAssertTrue(feed.issues[2].message.contains("line 2"), feed.issues[2].message)
    XCTAssertTrue(feed.issues[3].message.contains("3:19.9"), feed.issues[3].message)
    let c = try feed.listing("c")
    XCTAssertNil(c.price)
    XCTAssertNil(c.crossBorder)
    XCTAssertEqual(c.groupTiers, [])
    XCTAssertEqual(try feed.listing("e").crossBorder, true)
  }

  func testHeaderWithoutIDOrTitleIsAWholeFileError() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("feed.csv", "sku,name,price\n1,A,2\n")
    XCTAssertThrowsError(try FeedReader(path: path, displayPath: "x.csv")) { error in
      guard case .notAFeed(let file, let reason) = error as? FeedError else { return XCTFail("\(error)") }
      XCTAssertEqual(file, "x.csv")
      XCTAssertTrue(reason.contains("`id`") && reason.contains("\"sku\""), reason)
    }
  }

  func testHeaderNamesAreTrimmedAndCaseInsensitive() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("feed.csv", "\u{FEFF}ID , Title\n1,A\n")
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["1"])
    XCTAssertEqual(try feed.listing("1").title, "A")
  }

  func testPricesOutOfRangeAreIssuesAndTheRestOfTheRowIsRead() throws {
    let folder = try FixtureFolder()
    let path = try folder.write(
      "feed.csv",
      "id,title,price,original_price,return_policy\n"
        + "neg,A,-5,12.5,售出概不退换\n"
        + "inf,B,1e309,NaN,售出概不退换\n"
        + "huge,C,\"¥1000000000\",\" 12.5 \",售出概不退换\n")
    let feed = try read(path)
    XCTAssertEqual(feed.ids, ["neg", "inf", "huge"])
    XCTAssertEqual(feed.issues.map(\.kind), [.outOfRange, .outOfRange, .outOfRange, .outOfRange])
    XCTAssertEqual(feed.issues.map(\.line), [2, 3, 3, 4])
    XCTAssertTrue(feed.issues[0].message.contains("cannot be negative"), feed.issues[0].message)
    XCTAssertTrue(feed.issues[2].message.contains("`original_price` is \"NaN\": not a finite"), feed.issues[2].message)
    XCTAssertEqual(try feed.listing("neg").originalPrice, 12.5)
    XCTAssertEqual(try feed.listing("huge").originalPrice, 12.5)
    XCTAssertEqual(feed.listings.map(\.price), [nil, nil, nil])
    XCTAssertEqual(feed.listings.map(\.returnPolicy), Array(repeating: "售出概不退换", count: 3))
  }
}
