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
}

/// Checks one listing: reads its detail page, builds the context, runs every rule. Shared by all workers.
public struct ListingChecker: Sendable {
  public let ruleSet: RuleSet
  /// Severity overrides from the configuration.
  public let severities: [String: Severity]
  /// Pages above this many bytes are a `too_large` input issue and are not read (`--max-page-bytes`).
  public let maxPageBytes: Int

  public init(
    ruleSet: RuleSet, severities: [String: Severity] = [:], maxPageBytes: Int = HTMLReader.defaultMaxPageBytes
  ) {
    self.ruleSet = ruleSet
    self.severities = severities
    self.maxPageBytes = maxPageBytes
  }

  /// Checks a listing, or, when its feed record and page hash to `unchangedHash` (the hash of the run that last
  /// checked it), returns it as skipped without parsing the page.
  public func check(_ listing: Listing, unchangedHash: String? = nil) -> ListingResult {
    switch loadPage(of: listing) {
    case .success(let page)?:
      check(listing, pageBytes: page.bytes, pagePath: page.path, unchangedHash: unchangedHash)
    case .failure(let issue)?:
      check(listing, pageBytes: nil, pagePath: "", pageIssues: [issue], unchangedHash: unchangedHash)
    case nil:
      check(listing, pageBytes: nil, pagePath: "", unchangedHash: unchangedHash)
    }
  }

  /// A detail page read from disk: the path findings name and its bytes.
  public struct LoadedPage: Sendable {
    public var path: String
    public var bytes: [UInt8]
  }

  /// Reads the listing's detail page (confined to the feed's folder, at most `maxPageBytes`), or says why it cannot
  /// be read; nil when the listing has none. `auditor queue add` stores what this returns, so a worker on another
  /// machine checks the same bytes.
  public func loadPage(of listing: Listing) -> Result<LoadedPage, InputIssue>? {
    Self.loadPage(of: listing, maxPageBytes: maxPageBytes)
  }

  public static func loadPage(of listing: Listing, maxPageBytes: Int) -> Result<LoadedPage, InputIssue>? {
    guard let detailPage = listing.detailPage else { return nil }
    let feedPath = listing.source.file
    let reader = HTMLReader()
    return PageLocator.resolve(detailPage, feedPath: feedPath, listingID: listing.id, line: listing.source.line)
      .flatMap { path in
        reader.load(
          path: path, displayPath: path, listingID: listing.id, confinedTo: PageLocator.folder(of: feedPath),
          maxBytes: maxPageBytes
        ).map { LoadedPage(path: path, bytes: $0) }
      }
  }

  /// Checks a listing whose page is already in memory (`pageBytes`, read from `pagePath`; nil when it has none or
  /// it could not be read, with why in `pageIssues`): the same parsing and rules as a check from files, so a queue
  /// worker holding the bytes from the database finds exactly what `auditor check` finds.
  public func check(
    _ listing: Listing, pageBytes: [UInt8]?, pagePath: String, pageIssues: [InputIssue] = [],
    unchangedHash: String? = nil
  ) -> ListingResult {
    var issues = pageIssues
    let reader = HTMLReader()
    let pageHash = pageBytes.map { ContentHash.hex($0) }
    let contentHash = ContentHash.hex(parts: [listing.recordHash, pageHash ?? ""])
    // A listing whose page cannot be read is always re-checked, so its input issue is reported on every run.
    if let unchangedHash, issues.isEmpty, unchangedHash == contentHash {
      return ListingResult(listing: listing, findings: [], issues: [], suppressed: 0, contentHash: contentHash, skipped: true)
    }
    var page: PageDocument? = nil
    if let bytes = pageBytes {
      switch reader.document(from: bytes, displayPath: pagePath, listingID: listing.id, contentHash: pageHash) {
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
      suppressed: suppression.suppressed, contentHash: contentHash)
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
