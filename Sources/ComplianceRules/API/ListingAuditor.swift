import ListingParser

/// The library's front door: checks one listing held in memory — a feed record and its detail page as bytes, from an
/// HTTP request or a queue row — with no feed file, page file or database.
///
/// ```swift
/// let auditor = try ListingAuditor(rules: .builtIn)
/// let result = auditor.check(record: Array(#"{"id":"A1","title":"全网最低价"}"#.utf8), pageHTML: pageBytes)
/// for finding in result.findings { print(finding.ruleID, finding.evidence) }
/// ```
///
/// Loading the rules is the costly part (every rule's examples run); build one and share it: `check` may be called
/// from any number of threads at once.
public struct ListingAuditor: Sendable {
  /// Which rules to check with.
  public enum Rules: Sendable {
    /// The rulesets compiled into the library.
    case builtIn
    /// Ruleset files or folders, as `--rules` takes them (`builtin` among them for the compiled-in set).
    case paths([String])
  }

  /// What one listing produced.
  public struct Result: Sendable {
    /// What the rules found, after the record's and the page's suppressions.
    public var findings: [Finding]
    /// What could not be read: a record that is not a listing, a field of the wrong type, an undecodable page…
    public var issues: [InputIssue]
  }

  public let checker: ListingChecker

  /// Loads and validates the rules; throws `RulesetErrors` (every problem with file:line) when they do not load.
  /// `severities` overrides rule severities by rule id, as a configuration file's `severity:` does.
  public init(rules: Rules = .builtIn, severities: [String: Severity] = [:]) throws {
    HTMLReader.initializeLibrary()
    let paths: [String] =
      switch rules {
      case .builtIn: [BuiltinRulesets.name]
      case .paths(let paths): paths
      }
    checker = ListingChecker(ruleSet: try Ruleset.load(paths: paths), severities: severities)
  }

  /// Checks one feed record (a JSON object, as one NDJSON line) and its detail page. `recordName` and `pageName`
  /// are the file names findings and issues point at.
  public func check(
    record: [UInt8], pageHTML: [UInt8]? = nil, recordName: String = "record.json", pageName: String = "page.html"
  ) -> Result {
    let source = SourceLocation(file: recordName, line: 1, column: 1, scope: .feedRecord)
    let text = String(decoding: record, as: UTF8.self)
    let (listing, recordIssues) = ListingRecordDecoder.decode(jsonText: text, source: source)
    guard let listing else { return Result(findings: [], issues: recordIssues) }
    let page = pageHTML.map { ListingInput.Page(path: pageName, bytes: $0) }
    let result = checker.check(ListingInput(listing: listing, page: page))
    return Result(findings: result.findings, issues: recordIssues + result.issues)
  }
}
