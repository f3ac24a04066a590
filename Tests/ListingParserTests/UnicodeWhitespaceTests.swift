import Foundation
import ListingParser
import XCTest

/// `trimming(_:)` replaces `trimmingCharacters(in:)` on the feed path and must return the same text.
final class UnicodeWhitespaceTests: XCTestCase {
  func testSetsHoldExactlyFoundationsMembersForEveryScalar() {
    let pairs: [(UnicodeWhitespace, CharacterSet)] = [
      (.whitespaces, .whitespaces), (.whitespacesAndNewlines, .whitespacesAndNewlines),
    ]
    for (ours, foundation) in pairs {
      for value in UInt32(0)...0x10FFFF {
        guard let scalar = Unicode.Scalar(value) else { continue }
        XCTAssertEqual(ours.contains(scalar), foundation.contains(scalar), "\(ours) U+\(String(value, radix: 16))")
      }
    }
  }

  func testTrimmingMatchesFoundation() {
    let texts = [
      "", " ", "\t\n", "abc", "  abc  ", "\u{3000}商品\u{3000}", "\n id-1 \r\n", "\u{200B}x\u{200B}", "a b",
      " \u{301}x", "x \u{301}", "\u{85}x\u{2028}", "\u{A0}¥19.9 ", "\r\n", "🙂 ", " 🙂", "\u{FEFF}x\u{FEFF}",
    ]
    for text in texts {
      XCTAssertEqual(String(text.trimming(.whitespaces)), text.trimmingCharacters(in: .whitespaces), text)
      XCTAssertEqual(
        String(text.trimming(.whitespacesAndNewlines)), text.trimmingCharacters(in: .whitespacesAndNewlines), text)
    }
  }
}
