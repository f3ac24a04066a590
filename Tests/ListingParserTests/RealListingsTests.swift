import Foundation
import ListingParser
import XCTest

/// Real marketplace exports from Tests/Fixtures/real/listings (see SOURCES.md there). None is in our feed schema, so
/// the reader must either reject the whole file with a FeedError or yield issues; it must never crash or invent
/// listings.
final class RealListingsTests: XCTestCase {
  private static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/Fixtures/real/listings").path

  private enum Outcome: Equatable {
    case rejected
    /// Read to the end: this many listings and issues, all issues of `kinds`.
    case read(listings: Int, issues: Int, kinds: Set<InputIssue.Kind>)
  }

  private func outcome(_ name: String) throws -> Outcome {
    let path = Self.folder + "/" + name
    // A missing file would read as rejected: the fixtures are part of the checkout, so that is a failure.
    XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(path) is missing")
    let reader: FeedReader
    do {
      reader = try FeedReader(path: path, displayPath: name)
    } catch let error as FeedError {
      XCTAssertEqual(error.path, name)
      return .rejected
    }
    let feed = FeedContents(reader)
    XCTAssertTrue(feed.issues.allSatisfy { $0.file == name && $0.line > 0 && !$0.message.isEmpty }, name)
    return .read(listings: feed.listings.count, issues: feed.issues.count, kinds: Set(feed.issues.map(\.kind)))
  }

  func testRealExportsAreRejectedOrReportedNeverCrash() throws {
    let expected: [String: Outcome] = [
      // Header `name,…,ID,…`: no `title` column.
      "jd-list-mobile-phones-2018.csv": .rejected,
      // No header at all: the first (GB18030) data row is taken as the header and has no `id`/`title`.
      "jd-search-lab-medical-supplies-2019.csv": .rejected,
      // Arrays of API objects: one missing_field issue per element.
      "mogujie-detail-api-detail2.json": .read(listings: 0, issues: 1, kinds: [.missingField]),
      "mogujie-seckill-list2.json": .read(listings: 0, issues: 28, kinds: [.missingField]),
      // One `{platform, source_file, record}` object per line.
      "superonesfazai-multiplatform-normalized-items-2017.jsonl": .read(listings: 0, issues: 49, kinds: [.missingField]),
      // Single pretty-printed API responses.
      "superonesfazai-raw-api-responses-2017.json": .rejected,
      "taobao-search-zhimahu-g_page_config.json": .rejected,
      "tmall-mobile-detail-api-amh-jeans-2015.json": .rejected,
      "tmall-mobile-detail-api-gibsonxiong-item-data.json": .rejected,
      "tmall-mobile-detail-api-gibsonxiong-item-data1.json": .rejected,
      "tmall-mobile-detail-api-gibsonxiong-item-data2.json": .rejected,
      "tmall-shop-itemlist-handuyishe-2015.json": .rejected,
    ]
    for (name, expectedOutcome) in expected.sorted(by: { $0.key < $1.key }) {
      let actual = try outcome(name)
      XCTAssertEqual(actual, expectedOutcome, name)
    }
  }

  /// The real GB18030 JD export with our header put in front: 2,040 rows of real GBK text through the decoding path.
  func testRealGB18030RowsReadWithASchemaHeader() throws {
    let path = Self.folder + "/jd-search-lab-medical-supplies-2019.csv"
    let fixtures = try FixtureFolder()
    let body = try Data(contentsOf: URL(fileURLWithPath: path))
    let feedPath = try fixtures.write("jd.csv", bytes: Array("id,title,price,cross_border,seller.name\n".utf8) + body)
    let feed = try read(feedPath, displayPath: "jd.csv")
    XCTAssertEqual(feed.listings.count + feed.issues.filter { $0.kind == .duplicateID }.count, 2040)
    XCTAssertEqual(Set(feed.issues.map(\.kind)).subtracting([.duplicateID]), [], "\(feed.issues.prefix(3))")
    let first = try feed.listing("7929946")
    XCTAssertTrue(first.title.hasPrefix("冰禹实验用剪刀"), first.title)
    XCTAssertEqual(first.price, 27)
    XCTAssertEqual(first.crossBorder, true, "the column holds True/False; read as a boolean here")
    XCTAssertEqual(first.seller.name, "冰禹（ICEY）实验室用品京东自营旗舰店")
    XCTAssertEqual(first.source.line, 2)
    XCTAssertEqual(feed.listings.last?.source.line, 2041)
  }

  /// The real JD phone list with its `name`/`ID` header renamed: quoted cells spanning lines keep line numbers right.
  func testRealMultiLineCellsKeepLineNumbers() throws {
    let path = Self.folder + "/jd-list-mobile-phones-2018.csv"
    let fixtures = try FixtureFolder()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let renamed = text.replacingOccurrences(
      of: "name,battery,price,color,link,backResol,ID,", with: "title,battery,price,color,link,backResol,id,")
    let feedPath = try fixtures.write("phones.csv", renamed)
    let feed = try read(feedPath, displayPath: "phones.csv")
    XCTAssertGreaterThan(feed.listings.count, 50)
    // The crawl saved some phones twice (duplicate ids), once wrote its header into a cell (line 97) and ends with
    // an empty row (line 432): both rows have no id.
    XCTAssertEqual(Set(feed.issues.map(\.kind)).subtracting([.duplicateID]), [.missingField])
    XCTAssertEqual(feed.issues.filter { $0.kind == .missingField }.map(\.line), [97, 432])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for listing in feed.listings.prefix(20) {
      XCTAssertEqual(lines[listing.source.line - 1].first, "\"", "line \(listing.source.line) starts the row")
      let title = try XCTUnwrap(listing.feedBlocks().first { $0.scope == .feedTitle })
      let start = title.startLocation
      let line = Array(lines[start.line - 1].unicodeScalars)
      XCTAssertEqual(line[start.column - 1], title.text.unicodeScalars.first, "title of \(listing.id)")
    }
  }
}
