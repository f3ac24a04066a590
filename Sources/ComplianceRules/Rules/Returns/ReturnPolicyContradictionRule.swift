import ListingParser

/// The feed's `return_policy` and the detail page say opposite things about 七日无理由退货.
///
/// Shoppers of a mini-program see the card (from the feed) and the page; a promise on one and a refusal on the other
/// leaves the binding term unclear, and under 消保法 art 26 an unclear format clause is read against the seller.
struct ReturnPolicyContradictionRule: CodedRule {
  static let description = RuleDescription(
    id: "returns_policy_contradiction", area: .returns, severity: .warning, title: "Return Policy Contradicts Page",
    message: "目录的退货政策「{detail}」与详情页「{evidence}」相互矛盾。请统一两处的七日无理由退货说明（不适用的商品须属法定例外或经消费者购买时确认）。",
    citation: Citation(law: "消费者权益保护法", article: "第二十五条、第二十六条", grade: .confirmed),
    failingExamples: [
      Example("<p>本店商品一经售出概不退换</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>牛仔裤试穿后不退，请对照尺码表选择</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>支持7天无理由退货，运费险护航</p>", feed: #"{"return_policy":"不支持7天无理由退货"}"#),
      Example("<p>本商品不支持 7 天无理由退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>支持 7 天无理由退货</p>", feed: #"{"return_policy":"不支持 7 天无理由退货"}"#),
      Example("<p>本商品不参与七天无理由退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>店规：“售出不退”，介意勿拍</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>本商品不支持退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      // The feed draws the opened/unopened line, but the page refuses every item, opened or not.
      Example("<p>本商品不支持7天无理由退货</p>", feed: #"{"return_policy":"未拆封支持7天无理由"}"#),
      // The page refuses opened goods, but the feed promises the seven days for all of them.
      Example("<p>耳机拆封后不支持七天无理由</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>支持7天无理由退货</p>", feed: #"{"return_policy":"本商品不支持无理由退货"}"#),
      // A promise the page denies in other words is a refusal.
      Example("<p>这批货清仓，不走七天无理由了哈</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>团购价的东西不享受7天无理由，团长这边没法处理</p>", feed: #"{"return_policy":"七天无理由退货"}"#),
      Example("<p>批发拿货没有7天无理由这一说，看好再拍</p>", feed: #"{"return_policy":"支持七日无理由退货"}"#),
    ],
    passingExamples: [
      Example("<p>支持7天无理由退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>定制商品不支持7天无理由退货</p>", feed: #"{"return_policy":"不支持7天无理由退货"}"#),
      Example("<p>本店商品一经售出概不退换</p>"),
      Example("<p>支持 7 天无理由退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      // 仅退款不退货 is a remedy for the buyer (the refund without sending the goods back), not a refusal.
      Example("<p>支持7天无理由退货。商品破损可申请仅退款不退货</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      // The feed refuses opened goods only; the page promises the seven days for unopened ones.
      Example(
        "<p>未拆封支持7天无理由退货；拆封后不支持，下单时勾选确认</p>",
        feed: #"{"return_policy":"拆封后不支持7天无理由退货（下单时勾选确认）"}"#),
      // Both draw the same line: the feed promises unopened or uninstalled goods, the page refuses opened or
      // activated ones (七日办法: excludable with the buyer's confirmation at purchase).
      Example(
        "<p>已通电激活的净水器不支持七天无理由退货，付款前需在弹窗中确认</p>",
        feed: #"{"return_policy":"未激活商品7天无理由；激活后需下单确认"}"#),
      Example(
        "<p>面霜开封后不支持7天无理由退货，结算页勾选同意</p>", feed: #"{"return_policy":"未开封七天无理由退货"}"#),
      // A refusal quoted to be disowned, before or after the quotation.
      Example("<p>“售出概不退换”的说法，在本店不会有</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>我们从不写「不退不换」，放心下单</p>", feed: #"{"return_policy":"支持七天无理由退货"}"#),
      // The page denies the seven days for goods the feed excludes too: both refuse, nothing contradicts.
      Example(
        "<p>蛋糕是照您的要求做的，所以这个不走七天无理由退</p>", feed: #"{"return_policy":"定制商品不适用七日无理由退货"}"#),
      Example("<p>活鱼活虾不在七天无理由范围内，死了包赔</p>", feed: #"{"return_policy":"鲜活商品不支持七天无理由"}"#),
      // A buyer's reason before the promise is no denial of it.
      Example("<p>收到不满意7天无理由退</p>", feed: #"{"return_policy":"支持7天无理由退货"}"#),
      Example("<p>衣服不合身也能七天无理由退换</p>", feed: #"{"return_policy":"七天无理由退换"}"#),
      Example("<p>拆封的就不走七天无理由了</p>", feed: #"{"return_policy":"未拆封支持7天无理由退货"}"#),
    ],
    source: #filePath)

  enum Terms: Int, TermLists {
    case refusals, promises
    var words: [String] {
      switch self {
      case .refusals: ReturnPolicyContradictionRule.refusalTerms
      case .promises: ReturnPolicyContradictionRule.promiseTerms
      }
    }
  }
  let terms: RegisteredTerms<Terms>

  static let refusalTerms = [
    "概不退换", "不退不换", "恕不退换", "不予退换", "一律不退", "不支持7天无理由", "不支持七天无理由", "不支持七日无理由",
    "不支持7日无理由", "不适用7天无理由", "不适用七天无理由", "不适用七日无理由", "不适用7日无理由", "不参与7天无理由",
    "不参与七天无理由", "不参与七日无理由", "不参与7日无理由", "不支持无理由", "不退货", "不予退货", "不支持退货", "不支持退换",
    "概不退货", "售出不退", "试穿后不退", "拆封后不退", "拆封后不予退",
  ]
  static let promiseTerms = ["7天无理由", "七天无理由", "七日无理由", "7日无理由"]
  /// Words before a promise in its clause that deny it (`这个不走七天无理由退`, `不享受7天无理由`): the page then refuses
  /// what the words name. Whole verbs, not a bare 不: `不满意可7天无理由退` is a promise.
  static let promiseNegations = [
    "不走", "不享", "不支持", "不适用", "不参与", "不提供", "不接受", "不办", "不做", "不给", "不能", "不可以", "不可", "不包",
    "不在", "不属于", "不算", "没有", "没法", "无法", "不退",
  ].map { Array(NormalizedText.normalize($0).utf8) }
  /// Conditions that limit a refusal to goods opened, activated or tried (七日办法: excludable with confirmation).
  static let openedConditions = [
    "拆封后", "开封后", "拆开后", "激活后", "试用后", "使用后", "安装后", "已拆封", "已开封", "已激活", "已安装", "拆封的", "开封的",
    "激活的",
  ]
  static let normalizedOpenedConditions = openedConditions.map { Array(NormalizedText.normalize($0).utf8) }
  /// A promise limited to goods still sealed, unused or not installed: the feed itself draws the line that a page
  /// refusal of opened goods draws from the other side.
  static let unopenedConditions = ["未拆封", "未开封", "未拆开", "未激活", "未使用", "未安装", "未试用"]
  static let normalizedUnopenedConditions = unopenedConditions.map { Array(NormalizedText.normalize($0).utf8) }
  /// A refusal right after these words is the buyer's remedy, not a refusal: 仅退款不退货, 只退款不退货.
  static let remedyBefore = Array(NormalizedText.normalize("退款").utf8)
  static let normalizedRefusals = refusalTerms.map { Array(NormalizedText.normalize($0).utf8) }
  static let normalizedPromises = promiseTerms.map { Array(NormalizedText.normalize($0).utf8) }

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let policy = context.listing.returnPolicy else { return }
    let normalizedPolicy = NormalizedText(policy).bytes
    let (feedRefuses, feedPromises, feedPromisesUnopened) = normalizedPolicy.withUnsafeBufferPointer { policy in
      let refuses = Self.normalizedRefusals.contains { policy.contains(bytes: $0) }
      // A refusal only of opened goods (拆封后不支持无理由退货) leaves unopened goods their seven days: a page
      // promise for them (未拆封支持7天无理由) says the same policy from the other side.
      let onlyOpened = refuses && Self.normalizedOpenedConditions.contains { policy.contains(bytes: $0) }
      let promises = !refuses && Self.normalizedPromises.contains { policy.contains(bytes: $0) }
      return (
        refuses && !onlyOpened, promises, promises && Self.normalizedUnopenedConditions.contains { policy.contains(bytes: $0) }
      )
    }
    let pageRefusals = context.hits(terms[.refusals])
    let refusalHits = pageRefusals.filter { hit in
      let before = context.normalized[hit.block].bytes[..<hit.start]
      // A refusal quoted only to be disowned (`“售出不退”的说法本店没有`) is no refusal on the page.
      return context.blocks[hit.block].scope.isDetailPage
        && !before.suffix(Self.remedyBefore.count).elementsEqual(Self.remedyBefore)
        && ClauseReading.stance(
          start: hit.start, end: hit.end, in: context.normalized[hit.block].bytes, negations: []) == .asserted
        // A feed promising only unopened goods agrees with a page refusing only opened ones.
        && !(feedPromisesUnopened && Self.refusesOnlyOpened(hit, in: context.normalized[hit.block].bytes))
    }
    let pagePromises = context.hits(terms[.promises]).filter { hit in
      context.blocks[hit.block].scope.isDetailPage
        && !pageRefusals.contains { $0.block == hit.block && $0.start <= hit.start && $0.end >= hit.end }
    }
    // A promise its clause denies (`不走七天无理由退`) is a refusal in other words.
    let (deniedPromises, promiseHits) = pagePromises.reduce(into: ([TermIndex.Hit](), [TermIndex.Hit]())) { split, hit in
      let denied =
        ClauseReading.stance(
          start: hit.start, end: hit.end, in: context.normalized[hit.block].bytes, negations: Self.promiseNegations)
        == .negated
      if denied { split.0.append(hit) } else { split.1.append(hit) }
    }
    // As with a refusal: one limited to opened goods agrees with a feed promising unopened ones.
    let deniedOutright = deniedPromises.filter {
      !(feedPromisesUnopened && Self.refusesOnlyOpened($0, in: context.normalized[$0.block].bytes))
    }
    let contradiction = feedPromises ? (refusalHits.first ?? deniedOutright.first) : (feedRefuses ? promiseHits.first : nil)
    guard let hit = contradiction else { return }
    let original = context.original(block: hit.block, start: hit.start, end: hit.end)
    sink.report(description, evidence: original.text, at: original.location, detail: policy)
  }

  /// Whether the clause holding the refusal limits it to opened, activated or tried goods (`拆封后不支持…`).
  static func refusesOnlyOpened(_ hit: TermIndex.Hit, in bytes: [UInt8]) -> Bool {
    let clause = ClauseReading.clause(endingAt: hit.end, in: bytes)
    return normalizedOpenedConditions.contains { clause.contains(subsequence: $0) }
  }
}
