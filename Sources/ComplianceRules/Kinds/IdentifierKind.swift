import ListingParser

/// Kind `identifier`: registration numbers found by a pattern (or given in a feed field) and checked.
///
/// The pattern carries its own label context (`统一社会信用代码：(?<code>…)`) so that an 18-character ID-card number
/// elsewhere on a page is not mistaken for a licence. Each distinct code is judged once per listing.
package struct IdentifierKind: Rule {
  /// When a found code is a finding.
  public enum FiresWhen: String, Sendable, CaseIterable {
    /// Any match: the pattern itself describes the problem (a QS number, an SC with 13 digits).
    case match
    /// A USCC-shaped code whose GB 32100 check character is wrong.
    case invalidUSCC = "invalid_uscc"
    /// Neither a well-formed USCC nor a 15-digit 注册号 passing ISO 7064 MOD 11,10.
    case notUSCCOrRegistrationNumber = "not_uscc_or_registration_number"
    /// A 15-digit 注册号 that passes its check: lawful but outdated.
    case validRegistrationNumber = "valid_registration_number"
    /// Digits failing ISO 7064 MOD 11,10.
    case failedMod11_10 = "failed_mod11_10"
  }

  public struct Spec: Sendable {
    public var patterns: [String] = []
    public var triggers: [String] = []
    public var feed: [String] = []
    public var firesWhen = FiresWhen.match
    public var categories = CategoryFilter.any
    /// The rule does not apply when any of these are shown (e.g. an SC number makes a QS number harmless).
    public var exempt = Indicator.Spec()
    public init() {}
  }

  public let description: RuleDescription
  let patterns: TriggeredPatterns
  let feed: [String]
  let firesWhen: FiresWhen
  let categories: CategoryCondition
  let exempt: Indicator

  public init(_ description: RuleDescription, spec: Spec, index: inout TermIndex.Builder) throws {
    self.description = description
    patterns = try TriggeredPatterns(spec.patterns, triggers: spec.triggers, index: &index)
    feed = spec.feed
    firesWhen = spec.firesWhen
    categories = CategoryCondition(spec.categories, index: &index)
    exempt = try Indicator(spec.exempt, index: &index)
  }

  public func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard categories.matches(context) else { return }
    var found = FindingSink(listingID: context.listing.id)
    var judged: Set<String> = []
    for field in feed {
      guard let value = context.listing.field(field) else { continue }
      let code = Self.canonical(value)
      // With `fires_when: match` the patterns describe the problem, so a feed value is one only if they match it.
      if firesWhen == .match {
        let text = NormalizedText(value)
        guard patterns.patterns.contains(where: { $0.occurs(in: text) }) else { continue }
      }
      guard judged.insert(code).inserted, fires(on: code) else { continue }
      let location = context.listing.feedLocation(ofField: field, scope: field.hasPrefix("seller.") ? .feedSeller : .feedRecord)
      found.report(description, evidence: value, at: location)
    }
    // A code in text the page does not display (JSON-LD, hidden text) is not shown, so not judged either. A closure,
    // not the method `context.isDisplayed`, which would copy the whole context to the heap for every rule and listing.
    patterns.forEachMatch(in: context, where: { context.isDisplayed($0) }) { block, match in
      // The code as matched is already normalised; only the case and separators are left to settle.
      let code = Self.settled(context.normalized[block].string(match.groupStart..<match.groupEnd))
      guard judged.insert(code).inserted, fires(on: code) else { return true }
      let original = context.original(block: block, start: match.start, end: match.end)
      found.report(description, evidence: original.text, at: original.location)
      return true
    }
    // The exemption is looked for only when there is something to exempt: it may scan the whole page.
    guard !found.findings.isEmpty else { return }
    if !exempt.isEmpty, exempt.firstSighting(in: context, scopes: []) != nil { return }
    sink.append(found)
  }

  func fires(on code: String) -> Bool {
    switch firesWhen {
    case .match:
      return true
    case .invalidUSCC:
      return CheckDigits.looksLikeUSCC(code) && !CheckDigits.isValidUSCC(code)
    case .notUSCCOrRegistrationNumber:
      return !CheckDigits.looksLikeUSCC(code) && !(code.count == 15 && CheckDigits.isValidMod11_10(code))
    case .validRegistrationNumber:
      return code.count == 15 && CheckDigits.isValidMod11_10(code)
    case .failedMod11_10:
      // Only well-formed 14-digit SC/JY numbers; a wrong length is the malformed rule's finding.
      let digits = code.filter(\.isNumber)
      return digits.count == 14 && !CheckDigits.isValidMod11_10(digits)
    }
  }

  /// NFKC, upper case, inner spaces and hyphens removed: how registries write codes.
  static func canonical(_ text: String) -> String {
    settled(NormalizedText.normalize(text))
  }

  /// `canonical` of text that is already normalised.
  static func settled(_ normalized: String) -> String {
    var normalized = normalized
    // Codes are ASCII: settled byte by byte, without Unicode case mapping and Character iteration.
    let ascii: String? = normalized.withUTF8 { bytes in
      guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      for byte in bytes where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
        out.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte)
      }
      return String(decoding: out, as: UTF8.self)
    }
    return ascii ?? normalized.uppercased().filter { $0 != " " && $0 != "-" }
  }
}
