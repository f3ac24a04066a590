import XCTest

@testable import ListingParser

/// Exact source lines and columns, and what comments cover.
final class HTMLReaderPositionTests: XCTestCase {
  private func parse(_ html: String) -> PageDocument { HTMLTestSupport.parse(html) }

  private func assertLocation(
    _ page: PageDocument, _ needle: String, line: Int, column: Int, file: StaticString = #filePath, testLine: UInt = #line
  ) {
    guard let block = page.block(containing: needle), let location = block.location(of: needle) else {
      return XCTFail("no block contains \(needle)", file: file, line: testLine)
    }
    XCTAssertEqual(location.line, line, "line of \(needle)", file: file, line: testLine)
    XCTAssertEqual(location.column, column, "column of \(needle)", file: file, line: testLine)
  }

  func testEmojiPrefixCountsOneColumnPerScalar() {
    let page = parse("<html>\n<body>\n<p>😀中文前缀概不退换</p>\n</body></html>")
    let block = page.block(containing: "概不退换")
    let emoji = block?.location(of: "😀")
    XCTAssertEqual(emoji?.line, 3)
    XCTAssertEqual(emoji?.column, 4)
    XCTAssertEqual(block?.location(of: "概")?.line, 3)
    XCTAssertEqual(block?.location(of: "概")?.column, (emoji?.column ?? 0) + 5)
  }

  func testPositionsAfterEntitiesNewlinesInlineTagsAndCollapsedSpace() {
    let page = parse(
      """
      <div>
        <p>价格&amp;说明：售出
            概不<b>退换</b>&nbsp;&nbsp;请 &#x4E2D;国</p>
      </div>
      """)
    XCTAssertEqual(page.blocks(.body), ["价格&说明：售出 概不退换 请 中国"])
    assertLocation(page, "价格", line: 2, column: 6)
    assertLocation(page, "&", line: 2, column: 8)
    assertLocation(page, "说明", line: 2, column: 13)
    assertLocation(page, "售出", line: 2, column: 16)
    assertLocation(page, "概不", line: 3, column: 7)
    assertLocation(page, "退换", line: 3, column: 12)
    assertLocation(page, "请", line: 3, column: 30)
    assertLocation(page, "中", line: 3, column: 32)
    assertLocation(page, "国", line: 3, column: 40)
  }

  func testPositionsInGBKPageCountCharactersNotBytes() {
    let bytes = Array("<html>\r\n<body>\r\n<p>ab".utf8) + HTMLTestSupport.gbkNoReturns + Array("</p></body></html>".utf8)
    let page = HTMLTestSupport.reader.parse(bytes: bytes, file: "gbk.html")
    XCTAssertEqual(page.encoding, "GB18030")
    assertLocation(page, "退", line: 3, column: 8)
  }

  func testAltTextAndMetaDescriptionAreLocatedAtTheirValues() {
    let page = parse(
      """
      <html><head>
      <meta name="description"
            content="  限时 &amp; 特价">
      </head><body>
      <p>x<img src="a.png"   alt="图片&lt;说明&gt;文字"></p>
      </body></html>
      """)
    assertLocation(page, "限时", line: 3, column: 18)
    assertLocation(page, "特价", line: 3, column: 27)
    assertLocation(page, "图片", line: 5, column: 29)
    assertLocation(page, "说明", line: 5, column: 35)
    assertLocation(page, "文字", line: 5, column: 41)
  }

  func testLineAndColumnOffsetsForHTMLEmbeddedInAFeedLine() {
    let page = HTMLTestSupport.reader.parse(
      html: "<p>首行概不退换</p>\n<p>次行包邮</p>", file: "feed.ndjson", lineOffset: 41, firstLineColumnOffset: 30)
    assertLocation(page, "概", line: 42, column: 36)
    assertLocation(page, "包邮", line: 43, column: 6)
    XCTAssertEqual(page.blocks.first?.file, "feed.ndjson")
  }

  func testTitleLocation() {
    let page = parse("<html><head>\n  <title> 店铺 标题</title></head></html>")
    assertLocation(page, "店铺", line: 2, column: 11)
    assertLocation(page, "标题", line: 2, column: 14)
  }

  func testCarriageReturnsEndLines() {
    let page = parse("<p>甲</p>\r\n<p>乙</p>\r<p>丙\r\n  丁</p>")
    XCTAssertEqual(page.blocks(.body), ["甲", "乙", "丙 丁"])
    assertLocation(page, "乙", line: 2, column: 4)
    assertLocation(page, "丙", line: 3, column: 4)
    assertLocation(page, "丁", line: 4, column: 3)
  }

  /// Whitespace deep inside long runs of text (found eight bytes at a time) and punctuation that shares the lead
  /// byte of U+3000 (。、「).
  func testWhitespaceInsideLongRunsOfText() {
    let text = "售出商品概不退换。、「支持」\u{3000}\u{3000}七天无理由退货说明文字\u{00A0}abcdefghijklmnopqrstuvwxyz\t\n结尾。"
    let page = parse("<p>" + text + "</p>")
    XCTAssertEqual(page.blocks(.body), ["售出商品概不退换。、「支持」 七天无理由退货说明文字 abcdefghijklmnopqrstuvwxyz 结尾。"])
    assertLocation(page, "七天", line: 1, column: 20)
    assertLocation(page, "abc", line: 1, column: 32)
    assertLocation(page, "结尾", line: 2, column: 1)
  }

  func testCommentsCoverTheNextElement() {
    let page = parse(
      """
      <html><body>
      <!-- ruleid: ad_absolute -->
      <div class="intro">
        <p>全网最低价</p>
      </div>
      <p>其他</p>
      <ul>
        <li>一</li>
        <!-- auditor-ignore no_return: 定制商品 -->
        <li>概不退换
        </li>
        <!-- 末尾注释 -->
      </ul>
      <p>a<!-- inline --> b</p>
      </body></html>
      """)
    XCTAssertEqual(page.comments.map(\.text), ["ruleid: ad_absolute", "auditor-ignore no_return: 定制商品", "末尾注释", "inline"])
    XCTAssertEqual(page.comments.map(\.location.line), [2, 9, 12, 14])
    XCTAssertEqual(page.comments.map(\.location.column), [1, 3, 3, 5])
    XCTAssertEqual(page.comments.map(\.coversThroughLine), [5, 11, 12, 14])
  }

  func testCommentBeforeImpliedHTMLCoversTheFirstRealElement() {
    let page = parse("<!-- ruleid: x -->\n<p>第一\n段</p>\n<p>第二段</p>\n")
    XCTAssertEqual(page.comments.count, 1)
    XCTAssertEqual(page.comments.first?.coversThroughLine, 3)
  }

  func testImpliedEndTagEndsWhereItsContentEnds() {
    let page = parse("<div>\n<!-- ruleid: y -->\n<p>没有结束标签\n\n<p>下一段</p></div>")
    XCTAssertEqual(page.comments.first?.coversThroughLine, 3)
  }
}
