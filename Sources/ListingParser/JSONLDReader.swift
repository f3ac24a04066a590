import Foundation

/// Reads schema.org products and offers from the JSON of a `<script type="application/ld+json">`.
///
/// Pages put them at the top level, in arrays, under `@graph` or nested in other objects, and write prices as
/// numbers or strings (`"199.00"`, `"¥1,299"`); all of those are accepted. JSON that does not parse is skipped:
/// a broken script is the page's problem, not a reason to lose the rest of the page.
enum JSONLDReader {
  struct Offer: Equatable {
    var name: String?
    var price: Double?
    var currency: String?
  }

  struct Product: Equatable {
    var name: String?
    var description: String?
    var offers: [Offer]
  }

  struct Contents: Equatable {
    var products: [Product] = []
    /// Offers found outside any product.
    var offers: [Offer] = []
  }

  /// Nesting deeper than this is not product data; the limit keeps a hostile page from exhausting the stack.
  private static let maximumDepth = 24

  /// `json` is the script's text as the page walk gives it: UTF-8 (the page was decoded to it before the walk).
  /// `JSONRecordParser` makes JSONSerialization's values at a fraction of its cost; bytes that are not valid UTF-8,
  /// which it does not take, go to JSONSerialization.
  static func read(_ json: [UInt8]) -> Contents {
    var contents = Contents()
    let parsed =
      CharsetDecoder.isValidUTF8(json)
      ? JSONRecordParser.parse(json) : try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
    guard let root = parsed else { return contents }
    visit(root, depth: 0, into: &contents)
    return contents
  }

  private static func visit(_ value: Any, depth: Int, into contents: inout Contents) {
    guard depth < maximumDepth else { return }
    // Objects first: a failed cast is the expensive kind, and JSON-LD is mostly objects.
    guard let object = value as? [String: Any] else {
      if let array = value as? [Any] {
        for element in array { visit(element, depth: depth + 1, into: &contents) }
      }
      return
    }
    let types = typeNames(object["@type"])
    if types.contains("Product") {
      contents.products.append(product(object))
    } else if types.contains("Offer") || types.contains("AggregateOffer") {
      contents.offers.append(offer(object))
    } else {
      // Sorted keys keep the output independent of dictionary order.
      for key in object.keys.sorted() { visit(object[key]!, depth: depth + 1, into: &contents) }
    }
  }

  private static func product(_ object: [String: Any]) -> Product {
    var offers: [Offer] = []
    switch object["offers"] {
    case let single as [String: Any]:
      offers.append(offer(single))
    case let many as [Any]:
      offers = many.compactMap { ($0 as? [String: Any]).map(offer) }
    default:
      break
    }
    return Product(name: string(object["name"]), description: string(object["description"]), offers: offers)
  }

  private static func offer(_ object: [String: Any]) -> Offer {
    let specification = object["priceSpecification"] as? [String: Any]
    return Offer(
      name: string(object["name"]),
      price: number(object["price"]) ?? number(object["lowPrice"]) ?? number(specification?["price"]),
      currency: string(object["priceCurrency"]) ?? string(specification?["priceCurrency"])
    )
  }

  /// `@type` as bare names: `"Product"`, `["Product", "Thing"]`, `"schema:Product"` and
  /// `"https://schema.org/Product"` all give `Product`.
  private static func typeNames(_ value: Any?) -> [String] {
    let names: [String]
    switch value {
    case let name as String: names = [name]
    case let list as [Any]: names = list.compactMap { $0 as? String }
    default: names = []
    }
    return names.map { name in
      guard let cut = name.lastIndex(where: { $0 == "/" || $0 == ":" || $0 == "#" }) else { return name }
      return String(name[name.index(after: cut)...])
    }
  }

  private static func string(_ value: Any?) -> String? {
    guard let text = value as? String else { return nil }
    let trimmed = text.trimming(.whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : String(trimmed)
  }

  /// A price as a number or as a string with optional currency signs, thousands separators or a range
  /// (`"99-199"` gives the lower end).
  private static func number(_ value: Any?) -> Double? {
    switch value {
    case let text as String:
      let digits = text.drop { !$0.isASCII || !($0.isNumber || $0 == ".") }
        .filter { $0 != "," }
        .prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      return Double(String(digits))
    case let number as NSNumber:
      return number.doubleValue
    default:
      return nil
    }
  }
}
