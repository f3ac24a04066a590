import Foundation

/// schema.org Product and Offer data from a `<script type="application/ld+json">` block.
///
/// Pages put it at the top level, in arrays, or in `@graph`; prices come as numbers or strings, on `Offer` or as
/// `lowPrice` of an `AggregateOffer`. Bad JSON is skipped: the visible page is what the rules judge first.
enum JSONLDOffers {
  static func offers(in bytes: [UInt8], location: SourceLocation) -> (offers: [PageDocument.Offer], names: [String]) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
      return ([], [])
    }
    var offers: [PageDocument.Offer] = []
    var names: [String] = []
    func visit(_ value: Any, productName: String?) {
      if let array = value as? [Any] {
        for item in array { visit(item, productName: productName) }
        return
      }
      guard let node = value as? [String: Any] else { return }
      if let graph = node["@graph"] { visit(graph, productName: productName) }
      let types = (node["@type"] as? String).map { [$0] } ?? (node["@type"] as? [String]) ?? []
      if types.contains("Product") {
        let name = node["name"] as? String
        if let name, !name.isEmpty { names.append(name) }
        if let description = node["description"] as? String, !description.isEmpty { names.append(description) }
        if let offer = node["offers"] { visit(offer, productName: name) }
      } else if types.contains("Offer") || types.contains("AggregateOffer") {
        let price = number(node["price"]) ?? number(node["lowPrice"])
        offers.append(
          PageDocument.Offer(name: productName, price: price, currency: node["priceCurrency"] as? String, location: location))
      }
    }
    visit(object, productName: nil)
    return (offers, names)
  }

  static func number(_ value: Any?) -> Double? {
    if let number = value as? NSNumber { return number.doubleValue }
    if let text = value as? String {
      return Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ""))
    }
    return nil
  }
}
