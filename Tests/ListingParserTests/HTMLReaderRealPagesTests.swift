import Foundation
import XCTest

@testable import ListingParser

/// The real pages in Tests/Fixtures/real/pages: GBK and UTF-8 bytes under truthful and lying `<meta charset>`.
final class HTMLReaderRealPagesTests: XCTestCase {
  /// Titles read independently (python3, bytes decoded as UTF-8 or else GB18030, `<title>` by regex).
  private static let expectedTitles: [String: String] = [
    "jd-homepage-footer-licences.html": "京东(JD.COM)-正品低价、品质保障、配送及时、轻松购物！",
    "jd-pc-detail-food-pinenuts-sc-2018.html": "良品铺子 手剥东北红松218g*2袋 特产东北松子 坚果炒货零食【图片 价格 品牌 报价】-京东",
    "jd-search-sony-headphones.html": "索尼耳机 - 商品搜索 - 京东",
    "taobao-pc-detail-2020.html": "乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳-淘宝网",
    "taobao-search-dress.html": "撞色连衣裙 冬_淘宝搜索",
    "taobao-search-huili-shoes.html": "回力男鞋_淘宝搜索",
    "tmall-ice-ssr-min-watch-stand-2026.html":
      "随行盾(SPORTLINK)适用于苹果手表充电支架applewatch7/9底座S8无线iwatch新款Ultra2手表架Airpods耳机架-tmall.com天猫",
    "tmall-mobile-detail-amh-jeans-2015.html": "AMH男装韩版2015秋装新款修身水洗微弹牛仔裤长裤NZ2508燊 - 天猫Tmall.com",
    "tmall-pc-detail-amh-jeans-2015.html": "AMH男装韩版2015秋装新款修身水洗微弹牛仔裤长裤NZ2508燊-tmall.com天猫",
    "tmall-pc-detail-iphone11-suning-2020.html":
      "【官网价直降】Apple/苹果 iPhone 11 4G全网通智能手机正品苏宁易购官方旗舰店苹果11-tmall.com天猫",
    "tmall-pc-detail-iphone11pro-2020.html":
      "【6期免息/春节正常发货】Apple/苹果 iPhone 11 pro全网通智能4G苹果11正品手机xs官方官网旗舰店X 11promax-tmall.com天猫",
    "tmall-search-childrens-books.html": "畅销童书-天猫Tmall.com-理想生活上天猫",
  ]

  private static let gbkPages: Set<String> = [
    "jd-pc-detail-food-pinenuts-sc-2018.html", "tmall-pc-detail-iphone11-suning-2020.html",
    "tmall-pc-detail-iphone11pro-2020.html",
  ]

  private func readAll() throws -> [(name: String, page: PageDocument)] {
    let paths = try HTMLTestSupport.realPagePaths()
    XCTAssertEqual(paths.count, 14, "real pages missing from \(HTMLTestSupport.realPagesDirectory.path)")
    return try paths.map { url in
      (url.lastPathComponent, try HTMLTestSupport.reader.read(path: url.path, displayPath: url.lastPathComponent, listingID: nil).get())
    }
  }

  func testEveryPageReadsAsChineseTextWithoutMojibake() throws {
    for (name, page) in try readAll() {
      // A page rendered by its scripts may carry its only text in a hidden template (a search page's footer).
      let body = (page.blocks(.body) + page.blocks(.hidden)).joined(separator: "\n")
      let scalars = body.unicodeScalars.filter { !$0.properties.isWhitespace }
      let cjk = scalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
      XCTAssertGreaterThan(cjk, 20, "\(name): too little Chinese body text")
      XCTAssertGreaterThan(Double(cjk) / Double(max(scalars.count, 1)), 0.25, "\(name): Chinese share of body text")
      // Comments keep whatever bytes the source has (some real pages hold mis-decoded ones): shopper text only.
      let allText = page.blocks.filter(\.scope.isVisible).map(\.text).joined(separator: "\n")
      for mojibake in ["锟斤拷", "\u{FFFD}", "Ã", "Â", "¡¾", "Ð", "ã€", "æ"] {
        XCTAssertFalse(allText.contains(mojibake), "\(name): mojibake \(mojibake)")
      }
      XCTAssertEqual(page.encoding, Self.gbkPages.contains(name) ? "GB18030" : "UTF-8", name)
      XCTAssertTrue(page.issues.isEmpty, name)
    }
  }

  func testTitlesMatchTheOracle() throws {
    let pages = try readAll()
    for (name, page) in pages {
      XCTAssertEqual(page.title, Self.expectedTitles[name], name)
      if let title = page.title { XCTAssertEqual(page.blocks(.title), [title], name) }
    }
    XCTAssertEqual(pages.filter { $0.page.title != nil }.count, 12)
  }

  func testFoodProductionLicenceIsInTheJDBodyText() throws {
    let url = HTMLTestSupport.realPagesDirectory.appendingPathComponent("jd-pc-detail-food-pinenuts-sc-2018.html")
    let page = try HTMLTestSupport.reader.read(path: url.path, displayPath: "jd.html", listingID: nil).get()
    let block = try XCTUnwrap(page.block(containing: "SC11842011202060", scope: .body))
    // `<dt>生产许可证号</dt><dd>SC…</dd>`: the label and its value read as one row of the spec list.
    XCTAssertTrue(block.text.hasSuffix("生产许可证号 | SC11842011202060"), block.text)
    // Exact position: the line of the licence number in the file holds it at the reported column.
    let location = try XCTUnwrap(block.location(of: "SC11842011202060"))
    let decoded = CharsetDecoder.decode(Array(try Data(contentsOf: url)))
    let lines = String(decoding: decoded.utf8, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let line = Array(lines[location.line - 1].unicodeScalars)
    XCTAssertEqual(String(String.UnicodeScalarView(line[(location.column - 1)...].prefix(16))), "SC11842011202060")
  }

  func testPriceScopesOnRealPages() throws {
    let url = HTMLTestSupport.realPagesDirectory.appendingPathComponent("taobao-pc-detail-2020.html")
    let page = try HTMLTestSupport.reader.read(path: url.path, displayPath: "taobao.html", listingID: nil).get()
    XCTAssertTrue(page.blocks(.price).contains("¥149.00 - 159.00"), "\(page.blocks(.price).prefix(8))")
    XCTAssertFalse(page.blocks(.body).contains("¥149.00 - 159.00"))
  }

  /// Every character of every block (but the spaces that stand for collapsed runs and the ` | ` between table
  /// cells) is where its location says: the scalar at that line and column of the decoded file is the same
  /// character, or the `&` of the reference it was decoded from.
  func testEveryCharacterIsWhereItsLocationSays() throws {
    for url in try HTMLTestSupport.realPagePaths() {
      let name = url.lastPathComponent
      let page = try HTMLTestSupport.reader.read(path: url.path, displayPath: name, listingID: nil).get()
      let decoded = CharsetDecoder.decode(Array(try Data(contentsOf: url)))
      let lines = String(decoding: decoded.utf8, as: UTF8.self).unicodeScalars
        .split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
      var checked = 0
      var wrong: [String] = []
      for block in page.blocks where block.scope != .jsonld {
        var offset = 0
        let scalars = Array(block.text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
          defer { offset += scalar.utf8.count }
          guard scalar != " " else { continue }
          let isCellSeparator =
            scalar == "|" && index > 0 && index + 1 < scalars.count && scalars[index - 1] == " " && scalars[index + 1] == " "
          if isCellSeparator { continue }
          let location = block.location(atUTF8Offset: offset)
          let line = location.line >= 1 && location.line <= lines.count ? lines[location.line - 1] : []
          let found = location.column >= 1 && location.column <= line.count ? line[location.column - 1] : "\u{0}"
          checked += 1
          if found != scalar && found != "&" && wrong.count < 5 {
            wrong.append("\(scalar) at \(location.line):\(location.column) is \(found) in \(block.text.prefix(40))")
          }
        }
      }
      XCTAssertGreaterThan(checked, 100, name)
      XCTAssertEqual(wrong, [], name)
    }
  }

  func testConcurrentParsesMatchSerialParses() throws {
    let inputs = try HTMLTestSupport.realPagePaths().map { ($0.lastPathComponent, Array(try Data(contentsOf: $0))) }
    let serial = inputs.map { HTMLTestSupport.reader.parse(bytes: $0.1, file: $0.0).digest }
    HTMLReader.initializeLibrary()
    let results = DigestBox(count: inputs.count * 2)
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      for round in 0..<2 {
        for index in stride(from: (worker + round) % 2, to: inputs.count, by: 2) {
          let digest = HTMLReader().parse(bytes: inputs[index].1, file: inputs[index].0).digest
          results.set(round * inputs.count + index, digest)
        }
      }
    }
    let concurrent = results.values
    for (index, name) in inputs.map(\.0).enumerated() {
      XCTAssertEqual(concurrent[index], serial[index], name)
      XCTAssertEqual(concurrent[inputs.count + index], serial[index], name)
    }
  }
}

/// Results written from several threads, one slot each.
private final class DigestBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [String?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: String) { lock.withLock { slots[index] = value } }
  var values: [String?] { lock.withLock { slots } }
}
