import Foundation
import ListingParser
import XCTest

/// Feed records that must not vanish or take the reader down with them: records above the size limit, CSV rows the
/// reader cannot delimit, rows in another encoding than their neighbours.
final class FeedRecordSafetyTests: XCTestCase {
  private func read(_ name: String, _ bytes: [UInt8], maxRecordBytes: Int) throws -> FeedContents {
    let folder = try FixtureFolder()
    let path = try folder.write(name, bytes: bytes)
    return FeedContents(try FeedReader(path: path, displayPath: name, maxRecordBytes: maxRecordBytes))
  }

  func testARecordAboveTheLimitIsTooLargeAndItsNeighboursAreRead() throws {
    let big = #"{"id":"big","title":"t","description":""# + String(repeating: "长", count: 400) + #""}"#
    let small = [#"{"id":"a","title":"t"}"#, #"{"id":"b","title":"t"}"#]
    let feeds: [(String, String, Int)] = [
      ("feed.ndjson", [small[0], big, small[1]].joined(separator: "\n"), 2),
      ("feed.json", "[" + [small[0], big, small[1]].joined(separator: ",\n") + "]", 2),
      ("feed.csv", "id,title,description\na,t,x\nbig,t," + String(repeating: "长", count: 400) + "\nb,t,y\n", 3),
    ]
    for (name, text, line) in feeds {
      let feed = try read(name, Array(text.utf8), maxRecordBytes: 1_000)
      XCTAssertEqual(feed.ids, ["a", "b"], name)
      XCTAssertEqual(feed.issues.map(\.kind), [.tooLarge], name)
      XCTAssertEqual(feed.issues.first?.line, line, name)
      XCTAssertTrue(feed.issues.first?.message.contains("above the limit of 1000") ?? false, "\(feed.issues)")
      XCTAssertEqual(try read(name, Array(text.utf8), maxRecordBytes: 2_000).ids, ["a", "big", "b"], name)
    }
  }

  func testAnUnclosedQuoteIsReportedAndTheRowsItSwallowedAreRead() throws {
    let text = """
      id,title,price
      1,"Nice shirt,19.9
      2,Pants,29.9
      3,"Hat, red",9.9
      4,"Sock
      5,Scarf,5
      """
    let feed = try read("feed.csv", Array(text.utf8), maxRecordBytes: 1_000)
    XCTAssertEqual(feed.ids, ["2", "3", "5"])
    XCTAssertEqual(try feed.listing("3").title, "Hat, red")
    XCTAssertEqual(feed.issues.map(\.kind), [.malformedRecord, .malformedRecord])
    XCTAssertEqual(feed.issues.map(\.line), [2, 5])
    XCTAssertEqual(feed.issues.map(\.listingID), ["1", "4"])
    XCTAssertTrue(feed.issues[0].message.contains("runs on to line 4"), feed.issues[0].message)
    XCTAssertTrue(feed.issues[1].message.contains("the file ends inside it"), feed.issues[1].message)
  }

  func testAQuotedCellOpenPastTheLimitIsGivenUpAndTheLinesAfterItAreRead() throws {
    let text = "id,title\n1,\"open\n" + (2...40).map { "\($0),title \($0)" }.joined(separator: "\n") + "\n"
    let feed = try read("feed.csv", Array(text.utf8), maxRecordBytes: 100)
    XCTAssertEqual(feed.issues.map(\.kind), [.tooLarge])
    XCTAssertEqual(feed.issues.first?.line, 2)
    XCTAssertEqual(feed.ids, (2...40).map(String.init))
  }

  func testAMultiLineQuotedCellThatFitsIsOneRow() throws {
    let text = "id,title,description\n1,t,\"line one\nline \"\"two\"\"\nline three\"\n2,t,x\n"
    let feed = try read("feed.csv", Array(text.utf8), maxRecordBytes: 1_000)
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.ids, ["1", "2"])
    XCTAssertEqual(feed.listings.first?.description, "line one\nline \"two\"\nline three")
    XCTAssertEqual(feed.listings.last?.source.line, 5)
  }

  func testRowsInUTF8AndGB18030AreEachDecodedAsTheyAre() throws {
    let bytes =
      Array("id,title\n1,七天无理由退货\n".utf8) + (try gb18030("2,售出概不退换\n")) + Array("3,正品保证\n".utf8)
    let feed = try read("feed.csv", bytes, maxRecordBytes: 1_000)
    XCTAssertEqual(feed.issues, [])
    XCTAssertEqual(feed.listings.map(\.title), ["七天无理由退货", "售出概不退换", "正品保证"])
  }

  func testARowWithBytesNeitherEncodingReadsIsNamed() throws {
    let bytes = Array("id,title\n1,好\n2,".utf8) + [0x81, 0x20] + Array("坏\n".utf8)
    let feed = try read("feed.csv", bytes, maxRecordBytes: 1_000)
    XCTAssertEqual(feed.ids, ["1", "2"])
    XCTAssertEqual(feed.issues.map(\.kind), [.encoding])
    XCTAssertEqual(feed.issues.first?.line, 3)
    XCTAssertEqual(feed.issues.first?.listingID, "2")
  }
}

