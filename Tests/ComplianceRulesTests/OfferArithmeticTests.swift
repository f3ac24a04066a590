@testable import ComplianceRules
import XCTest

/// Reading an offer stated in full: the base its text names, the quantity, the 满减 cut and the promised total.
final class OfferArithmeticTests: XCTestCase {
  private func reading(_ text: String, claim: String, rate: Double, unitPrice: Double?) -> OfferArithmetic.Reading? {
    let bytes = Array(NormalizedText.normalize(text).utf8)
    let needle = Array(NormalizedText.normalize(claim).utf8)
    guard let start = (0...(bytes.count - needle.count)).first(where: { bytes.has(needle, at: $0) }) else {
      XCTFail("\(claim) not in \(text)")
      return nil
    }
    return OfferArithmetic.reading(claim: start..<(start + needle.count), rate: rate, in: bytes, unitPrice: unitPrice)
  }

  func testAMultiItemTotalIsTheUnitPriceTimesTheCountAtTheRate() throws {
    let offer = try XCTUnwrap(reading("4盒7折，单价30，4盒合计只要90", claim: "7折", rate: 0.7, unitPrice: 35))
    XCTAssertEqual(offer.total, 90)
    XCTAssertEqual(offer.expected, 84, accuracy: 0.001)
  }

  func testAFurtherDiscountAppliesToThePromotionPriceItFollows() throws {
    let named = try XCTUnwrap(reading("活动价150，再打8折，到手125", claim: "8折", rate: 0.8, unitPrice: 150))
    XCTAssertEqual(named.expected, 120, accuracy: 0.001)
    // With no number beside the promotion price, the listing's own price is that price.
    let unnamed = try XCTUnwrap(reading("秒杀价再打9折，到手只要80", claim: "9折", rate: 0.9, unitPrice: 100))
    XCTAssertEqual(unnamed.expected, 90, accuracy: 0.001)
  }

  func testAStackedCutComesOffBeforeTheRateWhenTheThresholdIsMet() throws {
    let met = try XCTUnwrap(reading("满200减30，再叠加9折券，两套到手只要198", claim: "9折", rate: 0.9, unitPrice: 139))
    XCTAssertEqual(met.expected, 223.2, accuracy: 0.001)
    let unmet = try XCTUnwrap(reading("满300减30，再叠加9折券，两套到手只要198", claim: "9折", rate: 0.9, unitPrice: 139))
    XCTAssertEqual(unmet.expected, 250.2, accuracy: 0.001)
  }

  func testTheSecondItemAtARateAddsToOneFullPrice() throws {
    let offer = try XCTUnwrap(reading("第二件半价！两件一共只要90", claim: "半价", rate: 0.5, unitPrice: 60))
    XCTAssertEqual(offer.expected, 90, accuracy: 0.001)
  }

  func testAnOfferWithNoStatedTotalOrASingleItemOnItsReferenceIsNotRead() {
    XCTAssertNil(reading("买3件享7折", claim: "7折", rate: 0.7, unitPrice: 50))
    XCTAssertNil(reading("原价99现8折只要79", claim: "8折", rate: 0.8, unitPrice: 79))
  }
}
