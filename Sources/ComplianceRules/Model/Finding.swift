import ListingParser

/// One thing wrong with one listing: what, where, under which law, and how to fix it. Findings are data; rules
/// return them and never throw.
public struct Finding: Sendable, Codable, Hashable {
  public var listingID: String
  public var ruleID: String
  public var area: Area
  public var severity: Severity
  /// What is wrong and how to fix it.
  public var message: String
  /// The original text that triggered the finding, as the page or feed has it (not normalised).
  public var evidence: String
  public var location: SourceLocation
  /// `law article [grade]`.
  public var citation: String
  /// Stable across runs and page reformatting: rule id, listing id and normalised evidence (a repeat of the same
  /// text is the same finding), never a line number.
  public var fingerprint: String

  public init(
    listingID: String, ruleID: String, area: Area, severity: Severity, message: String, evidence: String,
    location: SourceLocation, citation: String, fingerprint: String = ""
  ) {
    self.listingID = listingID
    self.ruleID = ruleID
    self.area = area
    self.severity = severity
    self.message = message
    self.evidence = evidence
    self.location = location
    self.citation = citation
    self.fingerprint = fingerprint
  }

  enum CodingKeys: String, CodingKey {
    case listingID = "listing_id"
    case ruleID = "rule_id"
    case area, severity, message, evidence, location, citation, fingerprint
  }
}
