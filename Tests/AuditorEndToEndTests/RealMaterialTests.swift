import Foundation
import XCTest

/// The binary over every real page and export in Tests/Fixtures/real: no crash, and the JD food page's SC number is
/// found.
final class RealMaterialTests: XCTestCase {
  static let real = AuditorBinary.packageRoot.appendingPathComponent("Tests/Fixtures/real")

  func testEveryRealPageAsAListingChecksWithoutCrashingAndFindsTheSCNumber() throws {
    let folder = try AuditorBinary.scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pages = try FileManager.default.contentsOfDirectory(atPath: Self.real.appendingPathComponent("pages").path)
      .filter { $0.hasSuffix(".html") }.sorted()
    XCTAssertEqual(pages.count, 14)
    var lines: [String] = []
    for (index, name) in pages.enumerated() {
      try FileManager.default.copyItem(
        at: Self.real.appendingPathComponent("pages/\(name)"), to: folder.appendingPathComponent("pages/\(name)"))
      let category = name.contains("food") ? "食品/坚果炒货" : "数码/配件"
      lines.append(#"{"id":"real-\#(index)","title":"\#(name)","category":"\#(category)","price":99,"detail_page":"pages/\#(name)"}"#)
    }
    let feed = folder.appendingPathComponent("real.ndjson")
    try (lines.joined(separator: "\n") + "\n").write(to: feed, atomically: true, encoding: .utf8)
    let result = try AuditorBinary.run(["check", feed.path, "--format", "json", "--fail-on", "never"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    XCTAssertEqual((json["run"] as? [String: Any])?["listings_checked"] as? Int, 14)
    XCTAssertEqual((json["input_issues"] as? [Any])?.count, 0, "\(json["input_issues"] ?? "")")
    let findings = (json["findings"] as? [[String: Any]]) ?? []
    let food = "real-\(try XCTUnwrap(pages.firstIndex(of: "jd-pc-detail-food-pinenuts-sc-2018.html")))"
    let foodRules = findings.filter { $0["listing_id"] as? String == food }.compactMap { $0["rule_id"] as? String }
    XCTAssertFalse(foodRules.contains("food_license_missing"), "the page's SC11842011202060 satisfies the SC rule")
    XCTAssertFalse(foodRules.contains("food_license_malformed"))
    // Its check digit is not ISO 7064 MOD 11,10: the info hint quotes the number, which proves it was read.
    let hint = findings.first { $0["listing_id"] as? String == food && $0["rule_id"] as? String == "food_license_check_digit" }
    XCTAssertTrue((hint?["evidence"] as? String ?? "").contains("SC11842011202060"), "\(foodRules)")
  }

  func testEveryRealListingFileIsReadOrRefusedWithoutCrashing() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.real.appendingPathComponent("listings").path)
    XCTAssertGreaterThanOrEqual(names.count, 10)
    for name in names.sorted() {
      let result = try AuditorBinary.run(["check", Self.real.appendingPathComponent("listings/\(name)").path, "--format", "json"])
      // 0/1 when the file is a feed the reader understands, 2 with a message when it is not one at all.
      XCTAssertTrue([0, 1, 2].contains(result.status), "\(name): exit \(result.status)")
      if result.status == 2 {
        XCTAssertFalse(result.stderr.isEmpty, name)
      } else {
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)), name)
      }
    }
  }
}
