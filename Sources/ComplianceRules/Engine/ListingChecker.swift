import ListingParser

/// Everything one listing produced: its findings, its input issues, and the hash that says whether it changed.
public struct ListingResult: Sendable {
  public var listing: Listing
  public var findings: [Finding]
  public var issues: [InputIssue]
  /// Findings silenced by an `auditor-ignore` comment or a feed `audit_ignore` entry.
  public var suppressed: Int
  /// Hash of the feed record and the page bytes.
  public var contentHash: String
  /// True when an incremental run found the listing unchanged and did not check it; the run fills `findings`
  /// from the database.
  public var skipped = false

  /// The result for a listing an incremental run found unchanged, before its findings are carried forward.
  static func skipped(_ input: ListingInput) -> ListingResult {
    ListingResult(
      listing: input.listing, findings: [], issues: [], suppressed: 0, contentHash: input.contentHash, skipped: true)
  }
}

/// Checks one listing already in memory: parses its page, builds the context, runs every rule. Touches no file,
/// store or global state, so any number of threads share one.
public struct ListingChecker: Sendable {
  public let ruleSet: Ruleset
  /// Severity overrides from the configuration.
  public let severities: [String: Severity]

  public init(ruleSet: Ruleset, severities: [String: Severity] = [:]) {
    self.ruleSet = ruleSet
    self.severities = severities
  }

  /// The findings and input issues of `input`, after inline and feed suppressions.
  public func check(_ input: ListingInput) -> ListingResult {
    let listing = input.listing
    let reader = HTMLReader()
    var issues = input.pageIssue.map { [$0] } ?? []
    var page: PageDocument? = nil
    if let file = input.page {
      switch reader.document(from: file.bytes, displayPath: file.path, listingID: listing.id, contentHash: file.hash) {
      case .success(let document):
        page = document
        issues += document.issues
      case .failure(let issue):
        issues.append(issue)
      }
    }
    var description: PageDocument? = nil
    if listing.descriptionIsHTML, let html = listing.description {
      // Positions inside the description count from where its value starts in the feed record.
      let start = listing.feedLocation(ofField: "description", scope: .feedDescription)
      description = reader.parse(
        html: html, file: start.file, lineOffset: max(0, start.line - 1), firstLineColumnOffset: max(0, start.column - 1))
    }
    let context = ListingContext(listing: listing, page: page, description: description, index: ruleSet.index)
    var sink = FindingSink(listingID: listing.id, severities: severities)
    for rule in ruleSet.rules {
      let mark = sink.count
      MatchBudget.begin()
      rule.check(context, into: &sink)
      if let stop = MatchBudget.end() {
        sink.drop(from: mark)
        issues.append(Self.timeoutIssue(rule.description, stop, listing: listing))
      }
    }
    let suppression = Suppressions.apply(sink.findings, listing: listing, comments: context.comments)
    return ListingResult(
      listing: listing, findings: suppression.kept, issues: issues + suppression.issues,
      suppressed: suppression.suppressed, contentHash: input.contentHash)
  }

  /// The issue for a rule whose matching was stopped on `listing`: the rule is named, so its author can fix the
  /// pattern, and the listing, so the text that set it off can be found.
  static func timeoutIssue(_ rule: RuleDescription, _ stop: MatchBudget.Stop, listing: Listing) -> InputIssue {
    InputIssue(
      kind: .ruleTimeout, file: listing.source.file, line: listing.source.line, listingID: listing.id,
      message: "rule '\(rule.id)' (\(rule.source)) was stopped on this listing: \(stop.reason) (\(stop.icuError)); "
        + "its findings for this listing are dropped — rewrite the pattern so it cannot backtrack so much")
  }
}

extension ListingChecker {
  /// Checks a listing whose detail page is already in memory (`auditor serve`'s pre-check, where the page comes in
  /// the request): `pagePath` is the name findings and issues give the page; nil bytes is a listing without a page.
  /// `pageIssues` are those found before the page was parsed (a queue job's page that could not be read).
  public func check(
    _ listing: Listing, pageBytes: [UInt8]?, pagePath: String, pageIssues: [InputIssue] = []
  ) -> ListingResult {
    let page = pageBytes.map { ListingInput.Page(path: pagePath, bytes: $0) }
    var result = check(ListingInput(listing: listing, page: page))
    result.issues = pageIssues + result.issues
    return result
  }
}
