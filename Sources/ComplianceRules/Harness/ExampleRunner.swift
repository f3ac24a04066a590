import Dispatch
import ListingParser

/// Runs rule examples through the real parser and engine: failing examples must fire, passing ones must not.
///
/// Used when rulesets load (a misbehaving example is a ruleset error), by `auditor test-rules`, and by the tests,
/// which add mutated variants (prefixes, full-width, comments).
package struct ExampleRunner: Sendable {
  public let ruleSet: Ruleset
  public init(ruleSet: Ruleset) { self.ruleSet = ruleSet }

  public static let defaultListing = #"{"id":"example","title":"示例商品"}"#

  /// The findings of `rule` on `example` (page HTML plus feed fields).
  public func findings(of rule: any Rule, on example: Example) -> [Finding] {
    findings(of: rule, html: example.html, feed: example.feed)
  }

  public func findings(of rule: any Rule, html: String, feed: String?) -> [Finding] {
    let json = RulesetLoader.merge(Self.defaultListing, feed) ?? Self.defaultListing
    let source = SourceLocation(file: "example.ndjson", line: 1, column: 1, scope: .feedRecord)
    guard let listing = ListingRecordDecoder.decode(jsonText: json, source: source).0 else { return [] }
    let page = HTMLReader().parse(html: Self.page(html), file: "example.html")
    let context = ListingContext(listing: listing, page: page, description: nil, index: ruleSet.index)
    var sink = FindingSink(listingID: listing.id)
    rule.check(context, into: &sink)
    return sink.findings
  }

  /// The example inside a minimal page; its first line is line 2 of the page.
  public static func page(_ html: String) -> String {
    "<html><body>\n\(html)\n</body></html>"
  }

  /// Examples of `rules` (by default every rule of the set) that do not behave, as errors at the example's source
  /// line, in rule order. Rules are checked on all cores: this runs before a `check` with rule files of its own
  /// reads its input, and the bundled rules carry some 850 examples.
  public func misbehavingExamples(of rules: [any Rule]? = nil) -> [RulesetError] {
    let rules = rules ?? ruleSet.rules
    guard !rules.isEmpty else { return [] }
    let perRule = Locked([[RulesetError]](repeating: [], count: rules.count))
    DispatchQueue.concurrentPerform(iterations: rules.count) { index in
      let errors = misbehavingExamples(of: rules[index])
      perRule.withLock { $0[index] = errors }
    }
    return perRule.withLock { $0.flatMap { $0 } }
  }

  private func misbehavingExamples(of rule: any Rule) -> [RulesetError] {
    var errors: [RulesetError] = []
    let description = rule.description
    for example in description.failingExamples where findings(of: rule, on: example).isEmpty {
      errors.append(error(example, "failing example of '\(description.id)' does not fire: \(example.html)"))
    }
    for example in description.passingExamples {
      if let finding = findings(of: rule, on: example).first {
        errors.append(error(example, "passing example of '\(description.id)' fires on '\(finding.evidence)': \(example.html)"))
      }
    }
    return errors
  }

  private func error(_ example: Example, _ message: String) -> RulesetError {
    let parts = example.source.split(separator: ":")
    let line = parts.last.flatMap { Int($0) } ?? 0
    let file = parts.count > 1 ? parts.dropLast().joined(separator: ":") : example.source
    return RulesetError(file: file, line: line, message: message)
  }
}
