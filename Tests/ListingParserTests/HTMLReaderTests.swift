import Foundation
import XCTest

@testable import ListingParser

/// The page reader: encodings chosen by the bytes, visible text only, exact positions, scopes, JSON-LD, comments.
final class HTMLReaderTests: XCTestCase {
  let reader = HTMLReader()

  override class func setUp() { HTMLReader.initializeLibrary() }

  func page(_ body: String, head: String = "") -> PageDocument {
    reader.parse(html: "<html><head>\(head)</head><body>\n\(body)\n</body></html>", file: "t.html")
  }

  func texts(_ document: PageDocument, _ scope: Scope = .body) -> [String] {
    document.blocks.filter { $0.scope == scope }.map(\.text)
  }

  /// GBK bytes of a string, through iconv.
  func gbk(_ text: String) -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", "GBK"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try! process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    input.fileHandleForWriting.closeFile()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
  }

  func testGBKPageWithALyingUTF8MetaIsReadAsGB18030() {
    let bytes = gbk("<html><head><meta charset=\"utf-8\"><title>手剥松子</title></head><body><p>本店商品售出概不退换</p></body></html>")
    let document = reader.parse(bytes: bytes, file: "gbk.html")
    XCTAssertEqual(document.encoding, "GB18030")
    XCTAssertEqual(document.title, "手剥松子")
    XCTAssertEqual(texts(document), ["本店商品售出概不退换"])
  }

  func testUTF8PageDeclaringGBKIsReadAsUTF8() {
    let document = reader.parse(
      html: "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"><title>真丝连衣裙</title></head><body><p>支持7天无理由退货</p></body></html>",
      file: "u.html")
    XCTAssertEqual(document.encoding, "UTF-8")
    XCTAssertEqual(document.title, "真丝连衣裙")
    XCTAssertEqual(texts(document), ["支持7天无理由退货"])
  }

  func testInlineTagsJoinAndBlocksSplit() {
    let document = page("<div><p>概<b>不</b>退<span>换</span></p><p>第二段\n  文字&nbsp;此处</p><ul><li>一</li><li>二</li></ul>上<br>下</div>")
    XCTAssertEqual(texts(document), ["概不退换", "第二段 文字 此处", "一", "二", "上", "下"])
  }

  func testInvisibleContentIsSkipped() {
    let document = page(
      "<p>可见</p><script>var a = '概不退换';</script><style>.x{content:'最佳'}</style><noscript>不可见</noscript><template><p>模板</p></template><!-- 注释 最佳 -->")
    XCTAssertEqual(texts(document), ["可见"])
    XCTAssertEqual(document.comments.map(\.text), ["注释 最佳"])
  }

  func testAttributesMetaAndScopes() {
    let document = page(
      "<img src=\"a.jpg\" alt=\"保健食品标志\"><div class=\"price-box\"><span class=\"price\">¥99.00</span> <del>¥199</del></div><div class=\"p-price\"><span class=\"market-price\">市场价¥150</span></div>",
      head: "<title> 标题  文字 </title><meta name=\"description\" content=\"全网最低价 坚果\">")
    XCTAssertEqual(document.title, "标题 文字")
    XCTAssertEqual(texts(document, .title), ["标题 文字"])
    XCTAssertEqual(texts(document, .metaDescription), ["全网最低价 坚果"])
    XCTAssertEqual(texts(document, .imgAlt), ["保健食品标志"])
    XCTAssertEqual(texts(document, .price), ["¥99.00"])
    XCTAssertEqual(texts(document, .originalPrice), ["¥199", "市场价¥150"])
  }

  func testJSONLDProductsAndOffers() {
    let document = page(
      """
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"坚果礼盒","offers":{"@type":"Offer","price":"19.90","priceCurrency":"CNY"}}</script>
      <script type="application/ld+json">{"@graph":[{"@type":"Product","name":"大米","offers":[{"@type":"Offer","price":59.9},{"@type":"AggregateOffer","lowPrice":"49"}]}]}</script>
      <script type="application/ld+json">{not json</script>
      """)
    XCTAssertEqual(document.offers.map(\.price), [19.9, 59.9, 49])
    XCTAssertEqual(document.offers.first?.currency, "CNY")
    XCTAssertEqual(document.offers.first?.name, "坚果礼盒")
    XCTAssertEqual(document.offers.first?.location.line, 2)
    XCTAssertEqual(texts(document, .jsonld), ["坚果礼盒", "大米"])
  }

  func testPositionsAreExact() {
    let html = "<html><body>\n<p>第一行</p>\n  <p>😀中文前缀概不退换</p>\n<p>A&amp;B 之后\n  换行后的字</p></body></html>"
    let document = reader.parse(html: html, file: "p.html")
    let block = document.blocks.first { $0.text.contains("概不退换") }!
    let start = block.location(atUTF8Offset: 0)
    XCTAssertEqual([start.line, start.column], [3, 6])
    let offset = block.text.utf8.count - "概不退换".utf8.count
    XCTAssertEqual([block.location(atUTF8Offset: offset).line, block.location(atUTF8Offset: offset).column], [3, 6 + 5])
    let after = document.blocks.first { $0.text.hasPrefix("A&B") }!
    XCTAssertEqual(after.text, "A&B 之后 换行后的字")
    let afterEntity = after.location(atUTF8Offset: after.text.utf8.count - "之后 换行后的字".utf8.count)
    XCTAssertEqual([afterEntity.line, afterEntity.column], [4, 12])
    let nextLine = after.location(atUTF8Offset: after.text.utf8.count - "换行后的字".utf8.count)
    XCTAssertEqual([nextLine.line, nextLine.column], [5, 3])
  }

  func testLineOffsetForHTMLInsideAFeedRecord() {
    let document = reader.parse(html: "<p>概不退换</p>", file: "feed.ndjson", lineOffset: 9, firstLineColumnOffset: 40)
    let location = document.blocks[0].location(atUTF8Offset: 0)
    XCTAssertEqual([location.line, location.column], [10, 44])
  }

  func testCommentsKnowTheLinesTheyCover() {
    let document = reader.parse(
      html: "<body>\n<!-- ruleid: a -->\n<div>\n<p>x</p>\n</div>\n<!-- ok: b -->\n<p>y</p>\n</body>", file: "c.html")
    XCTAssertEqual(document.comments.map(\.text), ["ruleid: a", "ok: b"])
    XCTAssertEqual(document.comments.map(\.location.line), [2, 6])
    XCTAssertEqual(document.comments.map(\.coversThroughLine), [5, 7])
  }

  func testFileProblemsAreInputIssues() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func issue(_ path: String) -> InputIssue.Kind? {
      if case .failure(let issue) = reader.read(path: path, displayPath: "shown.html", listingID: "L1") {
        XCTAssertEqual(issue.file, "shown.html")
        XCTAssertEqual(issue.listingID, "L1")
        return issue.kind
      }
      return nil
    }
    XCTAssertEqual(issue(folder.appendingPathComponent("missing.html").path), .missingFile)
    XCTAssertEqual(issue(folder.path), .unreadableFile)
    let empty = folder.appendingPathComponent("empty.html")
    try Data().write(to: empty)
    XCTAssertEqual(issue(empty.path), .unreadableFile)
    let binary = folder.appendingPathComponent("image.html")
    try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: binary)
    XCTAssertEqual(issue(binary.path), .binaryFile)
    let good = folder.appendingPathComponent("good.html")
    try "<p>好</p>".write(to: good, atomically: true, encoding: .utf8)
    XCTAssertNil(issue(good.path))
  }
}
