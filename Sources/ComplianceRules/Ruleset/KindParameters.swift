import ListingParser
import Yams

/// Reads each kind's parameters from a rule's YAML into that kind's `Spec`.
enum KindParameters {
  typealias Maker = (inout TermIndex.Builder) throws -> any Rule

  static func parse(
    kind: String, description: RuleDescription, goods: [String: Goods.Spec], fields: inout YAMLFields
  ) -> Maker? {
    switch kind {
    case "terms": return terms(description, goods, &fields)
    case "disclosure": return disclosure(description, goods, &fields)
    case "identifier": return identifier(description, &fields)
    default: return nil
    }
  }

  static func terms(_ description: RuleDescription, _ goods: [String: Goods.Spec], _ fields: inout YAMLFields) -> Maker? {
    var spec = TermsKind.Spec()
    spec.terms = fields.strings("terms")
    spec.patterns = fields.strings("patterns")
    spec.triggers = fields.strings("triggers")
    spec.exceptions = fields.strings("exceptions")
    spec.exceptionPatterns = fields.strings("exception_patterns")
    spec.negations = fields.strings("negations")
    spec.names = fields.strings("names")
    spec.unless = fields.strings("unless")
    spec.unlessAnywhere = fields.bool("unless_anywhere") ?? false
    spec.categories = categories(&fields)
    if var when = fields.nested("when", allowed: ["categories", "feed", "terms", "title_terms"]) {
      spec.when.categories = when.strings("categories")
      spec.when.feed = when.strings("feed")
      spec.when.terms = when.strings("terms")
      spec.when.titleTerms = when.strings("title_terms")
      checkFeed(spec.when.feed, &when)
      fields.absorb(when)
    }
    spec.goods = goodsCondition(goods, &fields)
    spec.scopes = scopes(&fields)
    if spec.terms.isEmpty && spec.patterns.isEmpty {
      fields.errors.append(fields.error(at: nil, "rule '\(description.id)' of kind terms needs 'terms' or 'patterns'"))
    }
    checkPatterns(spec.patterns + spec.unless + spec.exceptionPatterns + spec.names, &fields)
    for name in spec.names where !name.contains("(?<code>") || Pattern.leadingWords(of: name) == nil {
      fields.errors.append(
        fields.error(
          at: nil, "a 'names' pattern opens with its words, e.g. (商标|书名), and has a (?<code>…) group: \(name)"))
    }
    requireTriggers(spec.patterns, spec.triggers, &fields)
    return { try TermsKind(description, spec: spec, index: &$0) }
  }

  static func disclosure(_ description: RuleDescription, _ goods: [String: Goods.Spec], _ fields: inout YAMLFields) -> Maker? {
    var spec = DisclosureKind.Spec()
    spec.categories = categories(&fields)
    if var when = fields.nested("when", allowed: ["feed", "terms", "title_terms", "patterns"]) {
      spec.whenFeed = when.strings("feed")
      spec.whenTerms = when.strings("terms")
      spec.whenTitleTerms = when.strings("title_terms")
      spec.whenPatterns = when.strings("patterns")
      checkFeed(spec.whenFeed, &when)
      fields.absorb(when)
    }
    spec.goods = goodsCondition(goods, &fields)
    if let require = fields.node("require") {
      for item in require.sequence ?? [] {
        var entry = YAMLFields(
          item, file: fields.file, context: "a 'require' entry",
          allowed: ["name", "terms", "patterns", "triggers", "feed", "seller_own"], vocabularies: fields.vocabularies)
        let evidence = Indicator.Spec(
          name: entry.string("name", required: true) ?? "", terms: entry.strings("terms"),
          patterns: entry.strings("patterns"), triggers: entry.strings("triggers"), feed: entry.strings("feed"),
          sellerOwn: entry.bool("seller_own") ?? false)
        if evidence.isEmpty { entry.errors.append(entry.error(at: nil, "a 'require' entry needs terms, patterns or feed")) }
        checkFeed(evidence.feed, &entry)
        fields.absorb(entry)
        spec.require.append(evidence)
      }
      if require.sequence == nil { fields.errors.append(fields.error(at: require, "'require' must be a list")) }
    }
    if spec.require.isEmpty {
      fields.errors.append(fields.error(at: nil, "rule '\(description.id)' of kind disclosure needs 'require'"))
    }
    spec.exempt = evidence(&fields, key: "exempt")
    spec.shown = evidence(&fields, key: "shown")
    spec.scopes = scopes(&fields)
    checkPatterns(
      spec.whenPatterns + spec.require.flatMap(\.patterns) + spec.exempt.patterns + spec.shown.patterns, &fields)
    return { try DisclosureKind(description, spec: spec, index: &$0) }
  }

  static func identifier(_ description: RuleDescription, _ fields: inout YAMLFields) -> Maker? {
    var spec = IdentifierKind.Spec()
    spec.patterns = fields.strings("patterns")
    spec.triggers = fields.strings("triggers")
    spec.feed = fields.strings("feed")
    checkFeed(spec.feed, &fields)
    if let name = fields.string("fires_when") {
      if let firesWhen = IdentifierKind.FiresWhen(rawValue: name) {
        spec.firesWhen = firesWhen
      } else {
        fields.errors.append(
          fields.error(at: fields.node("fires_when"), "unknown fires_when '\(name)' (expected one of: \(IdentifierKind.FiresWhen.allCases.map(\.rawValue).joined(separator: ", ")))"))
      }
    }
    spec.categories = categories(&fields)
    spec.exempt = evidence(&fields, key: "exempt")
    if spec.patterns.isEmpty && spec.feed.isEmpty {
      fields.errors.append(fields.error(at: nil, "rule '\(description.id)' of kind identifier needs 'patterns' or 'feed'"))
    }
    checkPatterns(spec.patterns + spec.exempt.patterns, &fields)
    requireTriggers(spec.patterns, spec.triggers, &fields)
    return { try IdentifierKind(description, spec: spec, index: &$0) }
  }

  static func categories(_ fields: inout YAMLFields) -> CategoryFilter {
    guard var nested = fields.nested("categories", allowed: ["include", "exclude"]) else { return .any }
    let filter = CategoryFilter(include: nested.strings("include"), exclude: nested.strings("exclude"))
    fields.absorb(nested)
    return filter
  }

  /// A rule's `goods: food` (the listing must be food) or `not_goods: food` (it must not be), by a name some file
  /// of those loaded together defines under `goods:`.
  static func goodsCondition(
    _ goods: [String: Goods.Spec], _ fields: inout YAMLFields
  ) -> GoodsCondition.Spec? {
    if fields.has("goods"), fields.has("not_goods") {
      fields.errors.append(fields.error(at: fields.node("not_goods"), "\(fields.context) has both 'goods' and 'not_goods'"))
    }
    for (key, expected) in [("goods", true), ("not_goods", false)] {
      guard let name = fields.string(key) else { continue }
      guard let spec = goods[name] else {
        let known = goods.keys.sorted().joined(separator: ", ")
        fields.errors.append(
          fields.error(at: fields.node(key), "unknown goods '\(name)' (defined: \(known.isEmpty ? "none" : known))"))
        return nil
      }
      return GoodsCondition.Spec(name: name, goods: spec, expected: expected)
    }
    return nil
  }

  /// A goods definition's `is` or `not`: words in the title name the goods (`title_terms`); words, patterns and feed
  /// fields anywhere shown show them.
  static func goodsEvidence(_ fields: inout YAMLFields, key: String) -> (title: [String], shown: Indicator.Spec) {
    guard var nested = fields.nested(key, allowed: ["title_terms", "terms", "patterns", "triggers", "feed"]) else {
      return ([], Indicator.Spec())
    }
    let title = nested.strings("title_terms")
    let shown = Indicator.Spec(
      name: key, terms: nested.strings("terms"), patterns: nested.strings("patterns"),
      triggers: nested.strings("triggers"), feed: nested.strings("feed"))
    checkFeed(shown.feed, &nested)
    requireTriggers(shown.patterns, shown.triggers, &nested)
    fields.absorb(nested)
    return (title, shown)
  }

  static func evidence(_ fields: inout YAMLFields, key: String) -> Indicator.Spec {
    guard var nested = fields.nested(key, allowed: ["terms", "patterns", "triggers", "feed", "scopes"]) else {
      return Indicator.Spec()
    }
    let spec = Indicator.Spec(
      name: key, terms: nested.strings("terms"), patterns: nested.strings("patterns"), triggers: nested.strings("triggers"),
      feed: nested.strings("feed"), scopes: scopes(&nested))
    checkFeed(spec.feed, &nested)
    fields.absorb(nested)
    return spec
  }

  static func scopes(_ fields: inout YAMLFields) -> Set<Scope> {
    Set(fields.strings("scopes").map { Scope(rawValue: $0) })
  }

  static func checkFeed(_ names: [String], _ fields: inout YAMLFields) {
    for name in names where !Listing.fieldNames.contains(name) {
      fields.errors.append(
        fields.error(at: nil, "unknown feed field '\(name)' (expected one of: \(Listing.fieldNames.sorted().joined(separator: ", ")))"))
    }
  }

  /// Patterns run only on blocks where a trigger word was found: a regular expression over every block of every
  /// page would cost more than parsing the page.
  static func requireTriggers(_ patterns: [String], _ triggers: [String], _ fields: inout YAMLFields) {
    if !patterns.isEmpty, triggers.isEmpty {
      fields.errors.append(fields.error(at: fields.node("patterns"), "\(fields.context) has patterns but no 'triggers' (words that must occur for the patterns to be tried)"))
    }
  }

  /// Compiles each pattern now so a bad one is reported with its line before any input is read.
  static func checkPatterns(_ patterns: [String], _ fields: inout YAMLFields) {
    for source in patterns {
      do {
        _ = try Pattern(source)
      } catch {
        fields.errors.append(fields.error(at: nil, "bad pattern '\(source)' in \(fields.context): \(error)"))
      }
    }
  }
}
