@testable import ComplianceRules
import XCTest

/// The shared reading of a match in its clause: asserted, negated, or quoted only to be disowned.
final class ClauseReadingTests: XCTestCase {
  private func stance(
    _ text: String, of phrase: String, negations: [String] = [], following: String = ""
  ) -> ClauseReading.Stance {
    let bytes = Array(NormalizedText.normalize(text).utf8)
    let needle = Array(NormalizedText.normalize(phrase).utf8)
    guard let start = (0...(bytes.count - needle.count)).first(where: { bytes.has(needle, at: $0) }) else {
      XCTFail("\(phrase) not in \(text)")
      return .asserted
    }
    return ClauseReading.stance(
      start: start, end: start + needle.count, in: bytes,
      negations: negations.map { Array(NormalizedText.normalize($0).utf8) },
      following: Array(NormalizedText.normalize(following).utf8)[...])
  }

  func testAQuestionTheAnswerDeniesIsNoClaim() {
    XCTAssertEqual(stance("问：能治咽炎吗？答：不能，它是食品", of: "治咽炎"), .deniedQuestion)
    XCTAssertEqual(stance("问：能预防感冒吗？", of: "预防感冒", following: "答：不能哦，感冒了请看医生"), .deniedQuestion)
    XCTAssertEqual(stance("Q: 吃了能降血糖吗? A: 不可以代替药物", of: "降血糖"), .deniedQuestion)
    XCTAssertEqual(stance("问：能治白头发吗？ | 答：不能哦", of: "治白头发"), .deniedQuestion)
  }

  func testAnFAQCellWithoutItsMarkOrWithHearsayIsPutToTheAnswer() {
    XCTAssertEqual(stance("Q：能降血糖吗", of: "降血糖", following: "A：本品不是药物，不宣称任何治疗作用哈"), .deniedQuestion)
    XCTAssertEqual(stance("问：能治骨质疏松么", of: "治骨质疏松", following: "答：保健食品不能治疗疾病"), .deniedQuestion)
    XCTAssertEqual(stance("糖尿病人能喝吗？听说蜂蜜能降血糖", of: "降血糖", following: "不能！蜂蜜主要就是糖"), .deniedQuestion)
    // Answered yes, or not answered at all, the claim stands.
    XCTAssertEqual(stance("Q：能降血糖吗", of: "降血糖", following: "A：能，坚持喝一个月"), .asserted)
    XCTAssertEqual(stance("听说蜂蜜能降血糖", of: "降血糖", following: "是的，老顾客都说有效"), .asserted)
    XCTAssertEqual(stance("蜂蜜能降血糖", of: "降血糖", following: "不能退货，请谅解"), .asserted)
    XCTAssertEqual(stance("Q：能降血糖吗", of: "降血糖"), .asserted)
    XCTAssertEqual(stance("Q：能治失眠吗 | A：保健食品不能治疗疾病", of: "治失眠"), .deniedQuestion)
    XCTAssertEqual(stance("Q：能治失眠吗 | A：可以，一周见效", of: "治失眠"), .asserted)
  }

  func testAYesOrNoQuestionTheSellerWillNotVouchForIsNoClaim() {
    XCTAssertEqual(stance("评论区好多问：这是不是全网最低价？——这个我真不敢说啊", of: "全网最低价"), .deniedQuestion)
    XCTAssertEqual(stance("能不能降血糖？答：不能，它是食品", of: "降血糖"), .deniedQuestion)
    // Asked so and answered yes, the claim stands; a statement without a question is no question.
    XCTAssertEqual(stance("是不是全网最低价？——是的，放心拍", of: "全网最低价"), .asserted)
    XCTAssertEqual(stance("全网最低价？不敢说是假的", of: "全网最低价"), .asserted)
  }

  func testAQuestionAnsweredYesOrLeftOpenIsAsserted() {
    XCTAssertEqual(stance("问：能治失眠吗？答：能，一周见效", of: "治失眠"), .asserted)
    XCTAssertEqual(stance("想降血糖吗？每天一杯", of: "降血糖"), .asserted)
    XCTAssertEqual(stance("能治失眠吗？", of: "治失眠", following: "当然能，老顾客都说好"), .asserted)
    // Not a question: the claim stands, whatever the next clause says.
    XCTAssertEqual(stance("专治失眠，不能退货", of: "专治失眠"), .asserted)
  }

  func testAPlainClaimIsAsserted() {
    XCTAssertEqual(stance("本店商品售出概不退换", of: "概不退换"), .asserted)
    XCTAssertEqual(stance("本品能治疗疾病", of: "治疗", negations: ["不能"]), .asserted)
  }

  func testANegationEarlierInTheClauseDeniesTheClaim() {
    XCTAssertEqual(stance("本品不能治疗疾病", of: "治疗", negations: ["不能"]), .negated)
    // A negation in an earlier clause, or before a contrast, is of something else.
    XCTAssertEqual(stance("不能退款，但治疗有效", of: "治疗", negations: ["不能"]), .asserted)
    XCTAssertEqual(stance("不能久放，治疗效果好", of: "治疗", negations: ["不能"]), .asserted)
  }

  func testAQuotationDeniedBeforeOrAfterIsOnlyMentioned() {
    for (text, phrase) in [
      ("我们从不说“概不退换”", "概不退换"), ("“不退不换”这种话本店不会说", "不退不换"), ("我们从不说'概不退换'", "概不退换"),
      ("「一律不退」的规矩本店没有", "一律不退"), ("告别『恕不退换』", "恕不退换"), ("拒绝\"售出不退\"", "售出不退"),
      ("‘不退不换’不是我们的做法", "不退不换"), ("本店不会写“售出概不退换，质量问题除外”这种话", "概不退换"),
    ] {
      XCTAssertEqual(stance(text, of: phrase), .deniedQuotation, text)
    }
  }

  func testAQuotationNamedAsASayingIsDeniedInTheNextClause() {
    for (text, phrase) in [
      ("别家常见“售出概不退换”的说法，本店不会这样做", "概不退换"),
      ("「拆封不退」这种话，在我们店里从来没有", "拆封不退"),
      ("页面不使用“最佳”“顶级”等用语", "顶级"), ("详情页禁用『第一』这类字眼", "第一"),
      ("别人家写“概不退换”这四个字，我们这儿不这么干", "概不退换"), ("最怕看到“售出不退”，本店不是这样", "售出不退"),
    ] {
      XCTAssertEqual(stance(text, of: phrase), .deniedQuotation, text)
    }
    // Without a word naming it as a saying, a denial in the next clause is of something else.
    XCTAssertEqual(stance("本店规定“售出概不退换”，不会另行通知", of: "概不退换"), .asserted)
    XCTAssertEqual(stance("“概不退换”的规定，请知悉", of: "概不退换"), .asserted)
  }

  func testAQuotationTheClauseStandsByIsAsserted() {
    XCTAssertEqual(stance("本店规定“售出概不退换”，请谅解", of: "概不退换"), .asserted)
    XCTAssertEqual(stance("再说一遍：「不退不换」，拍前想好", of: "不退不换"), .asserted)
    // A denial in the next clause is of something else: here, of exceptions to the refusal.
    XCTAssertEqual(stance("「售出概不退换」，没有例外", of: "概不退换"), .asserted)
    // A denial in another sentence does not reach the quotation.
    XCTAssertEqual(stance("我们不会催单。“概不退换”", of: "概不退换"), .asserted)
  }

  private func namesOperator(_ text: String, before phrase: String) -> Bool {
    let bytes = Array(NormalizedText.normalize(text).utf8)
    let needle = Array(NormalizedText.normalize(phrase).utf8)
    guard let start = (0...(bytes.count - needle.count)).first(where: { bytes.has(needle, at: $0) }) else {
      XCTFail("\(phrase) not in \(text)")
      return false
    }
    return ClauseReading.namesPlatformOperator(before: start, in: bytes)
  }

  func testALicenceInASentenceNamingTheMarketplaceOperatorIsThePlatforms() {
    XCTAssertTrue(namesOperator("平台运营方：某某网络有限公司　证照信息：统一社会信用代码 91350100MA00000230", before: "证照信息"))
    XCTAssertTrue(namesOperator("本网站经营者为某某科技有限公司，营业执照见此", before: "营业执照"))
    XCTAssertTrue(namesOperator("商城运营方 某某公司 执照信息", before: "执照信息"))
    // A footer line known by the telecom licence only a site's operator holds.
    XCTAssertTrue(namesOperator("某东 · 京ICP证000000号 · 营业执照", before: "营业执照"))
    XCTAssertTrue(namesOperator("某宝网 增值电信业务经营许可证：浙B2-00000000 · 证照信息", before: "证照信息"))
  }

  func testALicenceInTheSellersOwnSentenceIsTheSellers() {
    XCTAssertFalse(namesOperator("店铺营业执照：统一社会信用代码 9135052155323005XL", before: "营业执照"))
    // The operator named in an earlier sentence does not own the next one.
    XCTAssertFalse(namesOperator("平台运营方：某某网络有限公司。本店营业执照 9135052155323005XL", before: "营业执照"))
    XCTAssertFalse(namesOperator("平台运营方：某某网络有限公司；店铺证照信息见下", before: "证照信息"))
    XCTAssertFalse(namesOperator("京ICP证000000号。本店统一社会信用代码 9135052155323005XL", before: "统一社会信用代码"))
  }
}
