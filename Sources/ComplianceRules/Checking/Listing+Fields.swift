import ListingParser

extension Listing {
  /// A feed field by its feed-schema name, as text; nil when absent or empty. Rulesets name fields this way
  /// (`seller.license_no`, `sc_code`, `cross_border`).
  public func field(_ name: String) -> String? {
    let value: String? =
      switch name {
      case "id": id
      case "title": title
      case "category": category
      case "price": price.map { String($0) }
      case "original_price": originalPrice.map { String($0) }
      case "lowest_price_7d": lowestPrice7d.map { String($0) }
      case "seller.name": seller.name
      case "seller.license_no": seller.licenseNo
      case "detail_page": detailPage
      case "description": description
      case "sc_code": scCode
      case "health_food_approval": healthFoodApproval
      case "cross_border": crossBorder == true ? "true" : nil
      case "return_policy": returnPolicy
      default: nil
      }
    guard let value, !value.trimming(.whitespaces).isEmpty else { return nil }
    return value
  }

  /// The feed fields rulesets may name; the loader rejects any other.
  public static let fieldNames: Set<String> = [
    "id", "title", "category", "price", "original_price", "lowest_price_7d", "seller.name", "seller.license_no",
    "detail_page", "description", "sc_code", "health_food_approval", "cross_border", "return_policy",
  ]
}
