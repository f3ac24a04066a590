/// Rules whose logic does not fit a data kind (arithmetic, comparisons between feed and page). Each lives in its own
/// file under `Rules/<Area>/` with its law, message and examples; this list registers them.
enum CodedRules {
  static func make(_ index: inout TermIndex.Builder) -> [any Rule] {
    [
      PagePriceMismatchRule(index: &index),
      ScriptPriceMismatchRule(),
      ReferencePriceNotHigherRule(),
      ReferencePriceAboveLowestRule(index: &index),
      ReferencePriceUnverifiedRule(index: &index),
      DiscountArithmeticRule(index: &index),
      GroupTierPriceRule(),
      ReturnPolicyContradictionRule(index: &index),
      FoodLicenseHealthCategoryRule(index: &index),
    ]
  }
}
