import ListingParser

/// Everything a rule is besides its logic: identity, law, message and the examples that test and document it.
public struct RuleDescription: Sendable {
  /// Stable snake_case identifier; findings, baselines and suppressions refer to it.
  public var id: String
  public var area: Area
  /// The default severity; a configuration may override it.
  public var severity: Severity
  /// Title Case name for listings of rules.
  public var title: String
  /// What is wrong and how to fix it. `{evidence}` is replaced by the text that triggered the finding.
  public var message: String
  public var citation: Citation
  /// Inputs that must produce at least one finding of this rule.
  public var failingExamples: [Example]
  /// Inputs that must produce none.
  public var passingExamples: [Example]
  /// Where the rule is declared (ruleset file or Swift source), for errors and `auditor rules`.
  public var source: String

  public init(
    id: String, area: Area, severity: Severity, title: String, message: String, citation: Citation,
    failingExamples: [Example], passingExamples: [Example], source: String
  ) {
    self.id = id
    self.area = area
    self.severity = severity
    self.title = title
    self.message = message
    self.citation = citation
    self.failingExamples = failingExamples
    self.passingExamples = passingExamples
    self.source = source
  }
}
