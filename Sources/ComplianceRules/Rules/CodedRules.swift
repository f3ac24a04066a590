/// The coded rules: each lives in its own file under `Rules/<Area>/` with its law, message and examples; this list,
/// sorted by name, registers them (a test checks that none is left out).
enum CodedRules {
  static let types: [any CodedRule.Type] = [
    DiscountArithmeticRule.self,
    FoodLicenseHealthCategoryRule.self,
    GroupTierPriceRule.self,
    PagePriceMismatchRule.self,
    ReferencePriceAboveLowestRule.self,
    ReferencePriceNotHigherRule.self,
    ReferencePriceUnverifiedRule.self,
    ReturnPolicyContradictionRule.self,
    ScriptPriceMismatchRule.self,
  ]

  static func make(_ index: inout TermIndex.Builder) -> [any Rule] {
    types.map { $0.make(&index) }
  }
}
