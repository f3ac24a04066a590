/// Turns a CSV row into the object `ListingRecordDecoder` reads, undoing the CSV spellings of nested fields:
/// `seller.name`/`seller.license_no` columns become `seller {name, license_no}`, `group_tiers` `3:19.9;10:16.9`
/// becomes a list of tiers, and `audit_ignore` `rule:reason;rule2:reason2` a list of suppressions. Empty cells are
/// absent. Other values stay strings; the decoder reads numbers and booleans (true/false/1/0/是/否) from strings.
enum CSVRecordObject {
  static func make(
    columns: [String], cells: [String], file: String, line: Int, listingID: String?
  ) -> ([String: Any], [InputIssue]) {
    var object: [String: Any] = [:]
    var seller: [String: Any] = [:]
    var issues: [InputIssue] = []
    for (column, cell) in zip(columns, cells) where !cell.trimmingCharacters(in: .whitespaces).isEmpty {
      switch column {
      case FeedField.sellerNameColumn: seller[FeedField.sellerName] = cell
      case FeedField.sellerLicenseNoColumn: seller[FeedField.sellerLicenseNo] = cell
      case FeedField.groupTiers.name:
        if let tiers = groupTiers(cell) {
          object[column] = tiers
        } else {
          issues.append(wrongType(column, cell, expected: "tiers like \"3:19.9;10:16.9\" (people:price, ; between)"))
        }
      case FeedField.auditIgnore.name:
        object[column] = suppressions(cell)
      default:
        object[column] = cell
      }
    }
    if !seller.isEmpty { object[FeedField.seller.name] = seller }
    return (object, issues)

    func wrongType(_ column: String, _ cell: String, expected: String) -> InputIssue {
      InputIssue(
        kind: .wrongFieldType, file: file, line: line, listingID: listingID,
        message: "record `\(column)` is \(FeedValue.describe(cell)); expected \(expected) — field ignored")
    }
  }

  /// `3:19.9;10:16.9` → `[{min_people: 3, price: 19.9}, …]`; nil when any tier is not `people:price`.
  static func groupTiers(_ cell: String) -> [[String: Any]]? {
    var tiers: [[String: Any]] = []
    for part in cell.split(separator: ";") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
      let pieces = part.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
      guard pieces.count == 2, let people = FeedValue.integer(pieces[0]), let price = FeedValue.number(pieces[1])
      else { return nil }
      tiers.append(["min_people": people, "price": price])
    }
    return tiers.isEmpty ? nil : tiers
  }

  /// `rule:reason;rule2` → `[{rule, reason}, {rule: rule2}]`. A reason runs to the next `;` and may contain `:`.
  static func suppressions(_ cell: String) -> [[String: Any]] {
    cell.split(separator: ";").compactMap { part in
      let pieces = part.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
      guard let rule = pieces.first, !rule.isEmpty else { return nil }
      var entry: [String: Any] = ["rule": rule]
      if pieces.count == 2, !pieces[1].isEmpty { entry["reason"] = pieces[1] }
      return entry
    }
  }
}
