import Foundation
import XCTest

@testable import ListingParser

/// Every real page in ../shared/real/pages reads as Chinese text, whatever its bytes and its `<meta>` claim.
final class RealPagesTests: XCTestCase {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real/pages")

  /// Titles read independently (python3, strict UTF-8 else GB18030, entities decoded, whitespace collapsed).
  static let titles = [
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
    "tmall-pc-detail-iphone11-suning-2020.html": "【官网价直降】Apple/苹果 iPhone 11 4G全网通智能手机正品苏宁易购官方旗舰店苹果11-tmall.com天猫",
    "tmall-pc-detail-iphone11pro-2020.html": "【6期免息/春节正常发货】Apple/苹果 iPhone 11 pro全网通智能4G苹果11正品手机xs官方官网旗舰店X 11promax-tmall.com天猫",
    "tmall-search-childrens-books.html": "畅销童书-天猫Tmall.com-理想生活上天猫",
  ]

  func pages() throws -> [URL] {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".html") }.sorted()
    XCTAssertEqual(names.count, 14, "expected the 14 real pages in \(Self.folder.path)")
    return names.map { Self.folder.appendingPathComponent($0) }
  }

  func read(_ url: URL) throws -> PageDocument {
    switch HTMLReader().read(path: url.path, displayPath: url.lastPathComponent, listingID: nil) {
    case .success(let document): return document
    case .failure(let issue): throw issue
    }
  }

  func testEveryPageHasChineseBodyTextWithoutMojibake() throws {
    HTMLReader.initializeLibrary()
    for url in try pages() {
      let document = try read(url)
      let body = document.blocks.filter { $0.scope != .title }.map(\.text).joined(separator: "\n")
      let cjk = body.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
      XCTAssertGreaterThan(cjk, 20, "\(url.lastPathComponent): too little Chinese text (\(cjk))")
      for marker in ["锟斤拷", "\u{FFFD}", "Ã", "Â", "¡¾", "ï¼", "ã€", "銆"] {
        XCTAssertFalse(body.contains(marker), "\(url.lastPathComponent): mojibake '\(marker)'")
      }
    }
  }

  func testTheTwelvePagesWithATitleReadExactlyThatTitle() throws {
    for url in try pages() {
      let document = try read(url)
      XCTAssertEqual(document.title, Self.titles[url.lastPathComponent], url.lastPathComponent)
    }
    XCTAssertEqual(Self.titles.count, 12)
  }

  func testSCNumberIsExtractedFromTheJDFoodPage() throws {
    let document = try read(Self.folder.appendingPathComponent("jd-pc-detail-food-pinenuts-sc-2018.html"))
    XCTAssertEqual(document.encoding, "GB18030")
    let block = try XCTUnwrap(document.blocks.first { $0.text.contains("SC11842011202060") })
    XCTAssertEqual(block.scope, .body)
    XCTAssertGreaterThan(block.startLocation.line, 1)
  }

  func testParsingFromTwoThreadsGivesTheSameResultAsOne() throws {
    HTMLReader.initializeLibrary()
    let urls = try pages()
    let serial = try urls.map { try read($0).blocks.map(\.text) }
    let results = Results(count: urls.count)
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      for index in stride(from: worker, to: urls.count, by: 2) {
        if case .success(let document) = HTMLReader().read(path: urls[index].path, displayPath: "x", listingID: nil) {
          results.set(index, document.blocks.map(\.text))
        }
      }
    }
    XCTAssertEqual(results.values, serial)
  }
}

private final class Results: @unchecked Sendable {
  private var slots: [[String]]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: [], count: count) }
  func set(_ index: Int, _ value: [String]) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }
  var values: [[String]] { slots }
}
