import Foundation

/// Turns one decoded feed record into a `Listing` and the problems found in it.
///
/// Used by all three readers (CSV rows arrive as objects of strings, see `CSVRecordObject`) and by the rule-example
/// runner. A record without a usable `id` or `title` yields no listing; any other field of the wrong type is
/// reported and dropped, and the listing is kept so the rest of it is still audited. Unknown fields are ignored and
/// `null` means absent.
package enum ListingRecordDecoder {
  /// `recordBytes` is an array, not any collection, so the hash reads the caller's bytes in place.
  public static func decode(
    object: [String: Any], source: SourceLocation, recordBytes: [UInt8]
  ) -> (Listing?, [InputIssue]) {
    var reader = RecordFieldReader(object: object, source: source)
    let listing = reader.listing(recordHash: ContentHash.hex(recordBytes))
    return (listing, reader.issues)
  }

  /// Decodes one JSON object written as text, e.g. a rule example `{"id":"example","title":"…"}`. The text's first
  /// character is taken to be at `source.line`, column `max(source.column, 1)`; field anchors are filled in.
  public static func decode(jsonText: String, source: SourceLocation) -> (Listing?, [InputIssue]) {
    let bytes = Array(jsonText.utf8)
    guard let object = JSONRecordParser.parse(bytes) else {
      return (nil, [malformed(source: source, message: "is not valid JSON; fix the syntax")])
    }
    guard let fields = object as? [String: Any] else {
      return (nil, [notAnObject(object, source: source)])
    }
    var (listing, issues) = decode(object: fields, source: source, recordBytes: bytes)
    listing?.fieldAnchors = JSONFieldLocator.locate(bytes, line: source.line, column: max(source.column, 1))
    return (listing, issues)
  }

  static func malformed(source: SourceLocation, message: String) -> InputIssue {
    InputIssue(
      kind: .malformedRecord, file: source.file, line: source.line, message: "record \(message) — record skipped")
  }

  static func notAnObject(_ value: Any, source: SourceLocation) -> InputIssue {
    malformed(
      source: source,
      message: "is \(FeedValue.describe(value)), not a JSON object; each listing must be {\"id\": …, \"title\": …}")
  }
}

/// Reads the schema fields of one record, collecting an issue for each field it has to drop.
struct RecordFieldReader {
  let object: [String: Any]
  let source: SourceLocation
  private(set) var issues: [InputIssue] = []
  private var listingID: String?

  init(object: [String: Any], source: SourceLocation) {
    self.object = object
    self.source = source
  }

  mutating func listing(recordHash: String) -> Listing? {
    guard let id = required(FeedField.id.name, as: "a string or an integer", FeedValue.idText) else { return nil }
    listingID = id
    guard let title = required(FeedField.title.name, as: "a string", FeedValue.string) else { return nil }
    let seller = field(FeedField.seller.name, expected: "an object {\"name\": …, \"license_no\": …}") {
      $0 as? [String: Any]
    }
    var listing = Listing(id: id, title: title, source: source, recordHash: recordHash)
    listing.category = field(FeedField.category.name, expected: "a string like \"食品/休闲零食\"", Self.category)
    listing.price = amount(FeedField.price.name, example: "19.9")
    listing.originalPrice = amount(FeedField.originalPrice.name, example: "29.9")
    listing.lowestPrice7d = amount(FeedField.lowestPrice7d.name, example: "19.9")
    listing.seller = Listing.Seller(
      name: seller.flatMap { nested($0, FeedField.seller.name, FeedField.sellerName) },
      licenseNo: seller.flatMap { nested($0, FeedField.seller.name, FeedField.sellerLicenseNo) }
    )
    listing.detailPage = field(FeedField.detailPage.name, expected: "a path such as \"pages/a.html\"", FeedValue.string)
    listing.description = field(FeedField.description.name, expected: "text or HTML", FeedValue.string)
    listing.groupTiers =
      field(FeedField.groupTiers.name, expected: "a list of {\"min_people\": 3, \"price\": 19.9}", Self.groupTiers)
      ?? []
    listing.scCode = field(FeedField.scCode.name, expected: "a string such as \"SC10632010500123\"", FeedValue.string)
    listing.healthFoodApproval = field(FeedField.healthFoodApproval.name, expected: "a string", FeedValue.string)
    listing.crossBorder = field(FeedField.crossBorder.name, expected: "true or false", FeedValue.bool)
    listing.returnPolicy = field(FeedField.returnPolicy.name, expected: "a string", FeedValue.string)
    listing.auditIgnore =
      field(FeedField.auditIgnore.name, expected: "a list of {\"rule\": …, \"reason\": …}", Self.suppressions) ?? []
    return listing
  }

  /// `id` and `title`: without them there is no listing to audit, so the record is skipped.
  private mutating func required(_ name: String, as expected: String, _ read: (Any) -> String?) -> String? {
    guard let value = present(object[name]) else {
      let need = name == FeedField.id.name ? "a unique `id`" : "a `title`"
      report(.missingField, "has no `\(name)`; every listing needs \(need) — record skipped")
      return nil
    }
    guard let text = read(value) else {
      report(.wrongFieldType, "`\(name)` is \(FeedValue.describe(value)); expected \(expected) — record skipped")
      return nil
    }
    let trimmed = text.trimming(.whitespacesAndNewlines)
    guard !trimmed.isEmpty else {
      report(.missingField, "has an empty `\(name)`; every listing needs one — record skipped")
      return nil
    }
    return name == FeedField.id.name ? String(trimmed) : text
  }

  /// An optional field: nil when absent, nil plus an issue when present with the wrong type. `expected` is built only
  /// for the issue: interpolated for every field of every record, it cost more than reading the value.
  private mutating func field<T>(_ name: String, expected: @autoclosure () -> String, _ read: (Any) -> T?) -> T? {
    guard let value = present(object[name]) else { return nil }
    guard let decoded = read(value) else {
      report(.wrongFieldType, "`\(name)` is \(FeedValue.describe(value)); expected \(expected()) — field ignored")
      return nil
    }
    return decoded
  }

  /// A price: a number or numeric string, within the range a listing's price can have. Out of range is an
  /// `out_of_range` issue and the field is dropped; the rest of the record is still read.
  private mutating func amount(_ name: String, example: String) -> Double? {
    if let value = present(object[name]), let reason = FeedValue.amountOutOfRange(value) {
      report(.outOfRange, "`\(name)` is \(FeedValue.describe(value)): \(reason) — field ignored")
      return nil
    }
    return field(name, expected: "a number such as \(example) or \"¥\(example)\"", FeedValue.number)
  }

  private mutating func nested(_ parent: [String: Any], _ parentName: String, _ name: String) -> String? {
    guard let value = present(parent[name]) else { return nil }
    guard let text = FeedValue.string(value) else {
      report(
        .wrongFieldType, "`\(parentName).\(name)` is \(FeedValue.describe(value)); expected a string — field ignored")
      return nil
    }
    return text
  }

  /// `null` means absent. Compares the value's type rather than casting: `value is NSNull` on a string value first
  /// bridges it to an NSString, once for every field of every record.
  private func present(_ value: Any?) -> Any? {
    guard let value, ObjectIdentifier(type(of: value)) != ObjectIdentifier(NSNull.self) else { return nil }
    return value
  }

  private mutating func report(_ kind: InputIssue.Kind, _ message: String) {
    issues.append(
      InputIssue(kind: kind, file: source.file, line: source.line, listingID: listingID, message: "record \(message)"))
  }

  /// A string, or a list of levels (outermost first) joined by `/`.
  static func category(_ value: Any) -> String? {
    if let text = FeedValue.string(value) { return text }
    guard let levels = value as? [Any] else { return nil }
    let names = levels.compactMap { $0 as? String }
    return names.count == levels.count ? names.joined(separator: "/") : nil
  }

  /// All tiers or none: a list with one bad tier (a price out of range included) is dropped whole rather than
  /// audited half-read.
  static func groupTiers(_ value: Any) -> [Listing.GroupTier]? {
    guard let items = value as? [Any] else { return nil }
    var tiers: [Listing.GroupTier] = []
    for item in items {
      guard let tier = item as? [String: Any], let people = tier["min_people"].flatMap(FeedValue.integer),
        people >= 1, let price = tier["price"].flatMap(FeedValue.number), FeedValue.amountOutOfRange(price) == nil
      else { return nil }
      tiers.append(Listing.GroupTier(minPeople: people, price: price))
    }
    return tiers
  }

  /// `[{"rule": …, "reason": …}]`; a bare string is a rule with no reason.
  static func suppressions(_ value: Any) -> [Listing.Suppression]? {
    guard let items = value as? [Any] else { return nil }
    var result: [Listing.Suppression] = []
    for item in items {
      if let rule = item as? String, !rule.isEmpty {
        result.append(Listing.Suppression(rule: rule, reason: nil))
      } else if let entry = item as? [String: Any], let rule = entry["rule"] as? String, !rule.isEmpty {
        result.append(Listing.Suppression(rule: rule, reason: entry["reason"] as? String))
      } else {
        return nil
      }
    }
    return result
  }
}

extension FeedValue {
  /// An id: a string, or an integer written as its exact digits. A fractional number is not an id.
  static func idText(_ value: Any) -> String? {
    if let string = value as? String { return string }
    guard let number = numeric(value) else { return nil }
    return integerText(number)
  }
}
