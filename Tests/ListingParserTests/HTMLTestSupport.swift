import Foundation
import XCTest

@testable import ListingParser

/// Shared helpers for the HTML reader tests.
enum HTMLTestSupport {
  static let reader = HTMLReader()

  static func parse(_ html: String, file: String = "page.html") -> PageDocument {
    reader.parse(html: html, file: file)
  }

  /// `Tests/Fixtures/real/pages`: real marketplace pages (see SOURCES.md there).
  static var realPagesDirectory: URL {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures/real/pages")
  }

  static func realPagePaths() throws -> [URL] {
    let names = try FileManager.default.contentsOfDirectory(atPath: realPagesDirectory.path)
    return names.filter { $0.hasSuffix(".html") }.sorted().map { realPagesDirectory.appendingPathComponent($0) }
  }

  /// GBK bytes for 概不退换, written out so the test does not depend on the converter under test.
  static let gbkNoReturns: [UInt8] = [0xB8, 0xC5, 0xB2, 0xBB, 0xCD, 0xCB, 0xBB, 0xBB]

  /// A fresh temporary directory, removed when the test ends.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("html-reader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }
}

extension PageDocument {
  func blocks(_ scope: Scope) -> [String] { blocks.filter { $0.scope == scope }.map(\.text) }

  /// The first block of `scope` containing `needle`.
  func block(containing needle: String, scope: Scope? = nil) -> TextBlock? {
    blocks.first { ($0.scope == scope || scope == nil) && $0.text.contains(needle) }
  }

  /// Everything that identifies the parse result, for comparing two parses of the same page.
  var digest: String {
    var lines = ["title=\(title ?? "-") encoding=\(encoding) bytes=\(byteCount) hash=\(contentHash)"]
    for block in blocks {
      let anchors = block.anchors.map { anchor in
        let location = block.location(atUTF8Offset: Int(anchor.textOffset))
        return "\(anchor.textOffset)@\(location.line):\(location.column)"
      }.joined(separator: ",")
      lines.append("\(block.scope)|\(block.text)|\(anchors)")
    }
    for comment in comments {
      lines.append("comment|\(comment.text)|\(comment.location)|\(comment.coversThroughLine)")
    }
    for offer in offers { lines.append("offer|\(offer)") }
    return lines.joined(separator: "\n")
  }
}
