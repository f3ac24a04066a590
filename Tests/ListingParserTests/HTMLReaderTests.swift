import XCTest

@testable import ListingParser

/// Visible text, scopes and JSON-LD.
final class HTMLReaderTests: XCTestCase {
  private func parse(_ html: String) -> PageDocument { HTMLTestSupport.parse(html) }

  func testInlineElementsJoinAndBlockElementsSplit() {
    let page = parse(
      "<body><p>概<b>不</b>退<span class=x><i>换</i></span></p><div>第二段<br>第三段</div><ul><li>一</li><li>二</li></ul></body>")
    XCTAssertEqual(page.blocks(.body), ["概不退换", "第二段", "第三段", "一", "二"])
  }

  func testWhitespaceCollapsesIncludingNBSPAndIdeographicSpace() {
    let page = parse("<p>  售出\n\t 概不&nbsp;&nbsp;退换\u{3000}！ <b> 谢谢 </b> </p>")
    XCTAssertEqual(page.blocks(.body), ["售出 概不 退换 ！ 谢谢"])
  }

  func testHiddenContentIsSkipped() {
    let page = parse(
      """
      <html><head><title>标题</title><style>p { color: red } 样式文字</style>
      <script>var s = "脚本文字";</script></head>
      <body><p>可见<script>document.write("脚本二")</script>文字</p>
      <noscript><p>无脚本文字</p><img alt="无脚本图片"></noscript><template><p>模板文字</p></template>
      <!-- 注释文字 --><iframe>框架文字</iframe><p>结尾</p></body></html>
      """)
    XCTAssertEqual(page.blocks(.body), ["可见文字", "结尾"])
    XCTAssertEqual(page.blocks(.imgAlt), [])
    XCTAssertEqual(page.title, "标题")
    XCTAssertEqual(page.comments.map(\.text), ["注释文字"])
    // Inert markup and comments are page text a shopper does not see; scripts and styles are not text at all.
    XCTAssertEqual(page.blocks(.hidden), ["无脚本文字", "模板文字", "注释文字"])
  }

  func testElementsHiddenByAttributeOrStyleReadAsHidden() {
    let page = parse(
      """
      <body><p>可见一</p><div style="color:red; DISPLAY : None">执照 9135052155323005XL<p>内层</p></div>
      <section hidden><p>隐藏段落<img alt="隐藏图"></p></section><span style="visibility:hidden">看不见</span>
      <div style="display:block">可见二</div><div data-hidden="x">可见三</div></body>
      """)
    XCTAssertEqual(page.blocks(.body), ["可见一", "可见二", "可见三"])
    XCTAssertEqual(page.blocks(.hidden), ["执照 9135052155323005XL", "内层", "隐藏段落", "看不见"])
    XCTAssertEqual(page.blocks(.imgAlt), [])
  }

  func testTitleMetaDescriptionAndAltText() {
    let page = parse(
      """
      <html><head><title>
        良品铺子  松子
      </title><meta name="Description" content="  东北 红松&amp;坚果 "><meta name="keywords" content="关键词"></head>
      <body><p>正文<img src="a.jpg" alt="图一 &lt;大&gt;">继续</p><img alt=""><img alt="图二"></body></html>
      """)
    XCTAssertEqual(page.title, "良品铺子 松子")
    XCTAssertEqual(page.blocks(.title), ["良品铺子 松子"])
    XCTAssertEqual(page.blocks(.metaDescription), ["东北 红松&坚果"])
    XCTAssertEqual(page.blocks(.imgAlt), ["图一 <大>", "图二"])
    XCTAssertEqual(page.blocks(.body), ["正文继续"])
    // Blocks come in document order: the paragraph began before its alt text.
    XCTAssertEqual(page.blocks.map(\.text), ["良品铺子 松子", "东北 红松&坚果", "正文继续", "图一 <大>", "图二"])
  }

  func testPriceAndOriginalPriceScopes() {
    let page = parse(
      """
      <div class="summary">商品<span class="p-price">¥<em class="price-num">99</em>.00</span>包邮</div>
      <div id="J_StrPrice">¥<del>199.00</del></div>
      <div class="tm-price-panel"><span class="tm-price">88</span><span class="origin">128</span></div>
      <p>市场价 <s>300</s> <span style="text-decoration: line-through">299</span> <span class="oldPrice">298</span></p>
      <p class="bold model delivery">普通文字</p><p class="old">旧款</p>
      """)
    XCTAssertEqual(page.blocks(.price), ["¥99.00", "¥", "88"])
    XCTAssertEqual(page.blocks(.originalPrice), ["199.00", "128", "300", "299", "298"])
    XCTAssertEqual(page.blocks(.body), ["商品", "包邮", "市场价", "普通文字", "旧款"])
  }

  /// A real Tmall page wraps everything in `class="mallist tmall- page-not-market"`: that must not make the whole
  /// page a struck-through price, nor its prices original ones.
  func testOriginalPriceWordsOutsidePricesDoNotMarkText() {
    let page = parse(#"<div id="mallPage" class=" mallist tmall- page-not-market"><p>正文</p><em class="price">9.9</em></div>"#)
    XCTAssertEqual(page.blocks(.body), ["正文"])
    XCTAssertEqual(page.blocks(.price), ["9.9"])
    XCTAssertEqual(page.blocks(.originalPrice), [])
  }

  func testJSONLDProductsAndOffers() {
    let page = parse(
      """
      <html><head>
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"有机大米 5kg",
        "description":"东北 五常","offers":{"@type":"Offer","price":59.9,"priceCurrency":"CNY"}}</script>
      <script type="application/ld+json">{"@graph":[{"@type":["Product"],"name":"坚果礼盒",
        "offers":[{"@type":"Offer","price":"128.00","priceCurrency":"CNY"},
                  {"@type":"AggregateOffer","lowPrice":"¥1,099","priceCurrency":"CNY"}]},
        {"@type":"Organization","name":"某某公司"}]}</script>
      <script type="application/ld+json">{"@type":"Offer","price":"9.90"}</script>
      <script type="application/ld+json">{"@type":"Product","name":"坏的" </script>
      <script type="text/javascript">var x = {"@type":"Product","name":"不是LD"};</script>
      </head><body><p>正文</p></body></html>
      """)
    XCTAssertEqual(page.offers.map(\.name), ["有机大米 5kg", "坚果礼盒", "坚果礼盒", nil])
    XCTAssertEqual(page.offers.map(\.price), [59.9, 128, 1099, 9.9])
    XCTAssertEqual(page.offers.map(\.currency), ["CNY", "CNY", "CNY", nil])
    XCTAssertEqual(page.offers.map(\.location.line), [2, 4, 4, 8])
    XCTAssertEqual(page.offers.map(\.location.column), [1, 1, 1, 1])
    XCTAssertEqual(page.offers.first?.location.scope, .jsonld)
    XCTAssertEqual(page.blocks(.jsonld), ["有机大米 5kg", "东北 五常", "坚果礼盒"])
    XCTAssertEqual(page.block(containing: "坚果礼盒", scope: .jsonld)?.startLocation.line, 4)
    XCTAssertEqual(page.block(containing: "坚果礼盒", scope: .jsonld)?.startLocation.column, 76)
    XCTAssertEqual(page.blocks(.body), ["正文"])
  }

  func testEncodingMetadataAndHash() {
    let bytes = Array("<p>你好</p>".utf8)
    let page = HTMLTestSupport.reader.parse(bytes: bytes, file: "a.html")
    XCTAssertEqual(page.encoding, "UTF-8")
    XCTAssertEqual(page.byteCount, bytes.count)
    XCTAssertEqual(page.contentHash, ContentHash.hex(bytes))
    XCTAssertEqual(page.file, "a.html")
    XCTAssertEqual(page.blocks.first?.file, "a.html")
    XCTAssertTrue(page.issues.isEmpty)
  }

  func testGBKPageWithLyingUTF8Meta() {
    let bytes =
      Array(#"<html><head><meta charset="utf-8"><title>"#.utf8) + HTMLTestSupport.gbkNoReturns
      + Array("</title></head><body>\n<p>".utf8) + HTMLTestSupport.gbkNoReturns + Array("</p></body></html>".utf8)
    let page = HTMLTestSupport.reader.parse(bytes: bytes, file: "gbk.html")
    XCTAssertEqual(page.encoding, "GB18030")
    XCTAssertEqual(page.title, "概不退换")
    XCTAssertEqual(page.blocks(.body), ["概不退换"])
    XCTAssertEqual(page.block(containing: "退", scope: .body)?.location(of: "退")?.line, 2)
    XCTAssertEqual(page.block(containing: "退", scope: .body)?.location(of: "退")?.column, 6)
  }

  func testUTF8PageDeclaringGBK() {
    let html = #"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>【官方】概不退换</title></head><body><p>喆堃镕 概不退换</p></body></html>"#
    let page = HTMLTestSupport.reader.parse(bytes: Array(html.utf8), file: "utf8.html")
    XCTAssertEqual(page.encoding, "UTF-8")
    XCTAssertEqual(page.title, "【官方】概不退换")
    XCTAssertEqual(page.blocks(.body), ["喆堃镕 概不退换"])
  }
}
