import ListingParser

/// A compliance check. Rules are values shared read-only by all worker threads.
public protocol Rule: Sendable {
  var description: RuleDescription { get }
  /// Appends this listing's findings to `sink`. Never throws: what a rule cannot decide, it does not report.
  func check(_ context: ListingContext, into sink: inout FindingSink)
}

/// Collects one listing's findings and gives each its fingerprint.
///
/// The same rule on the same text twice in one listing is one finding (the first place, with the count in its
/// message): a page that repeats 「TOP1」 in nine recommendation tiles needs one fix, not nine reviews.
public struct FindingSink: Sendable {
  private var entries: [Finding] = []
  private var counts: [Int] = []
  private var indexByKey: [String: Int] = [:]
  let listingID: String
  /// Severity overrides from the configuration, by rule id.
  let severities: [String: Severity]

  public init(listingID: String, severities: [String: Severity] = [:]) {
    self.listingID = listingID
    self.severities = severities
  }

  /// The findings in the order first reported.
  public var findings: [Finding] {
    zip(entries, counts).map { finding, count in
      guard count > 1 else { return finding }
      var repeated = finding
      repeated.message += "（此商品中同一表述共 \(count) 处）"
      return repeated
    }
  }

  /// Takes over the findings another sink collected (a rule that decides late whether to report them).
  public mutating func append(_ other: FindingSink) {
    for finding in other.findings {
      record(finding)
    }
  }

  /// Reports `evidence` at `location` for `rule`. `{evidence}` in the message is replaced by the evidence and
  /// `{detail}` by `detail`.
  public mutating func report(
    _ rule: RuleDescription, evidence: String, at location: SourceLocation, detail: String = ""
  ) {
    let message = Self.fill(rule.message, evidence: evidence, detail: detail)
    record(
      Finding(
        listingID: listingID, ruleID: rule.id, area: rule.area, severity: severities[rule.id] ?? rule.severity,
        message: message, evidence: evidence, location: location, citation: rule.citation.description))
  }

  /// The message template with `{evidence}` and `{detail}` filled in. A byte scan for `{`: every finding goes
  /// through here, and the generic `replacing` searched the template Character by Character.
  static func fill(_ template: String, evidence: String, detail: String) -> String {
    var out = ""
    out.reserveCapacity(template.utf8.count + evidence.utf8.count + detail.utf8.count)
    var rest = Substring(template)
    while let brace = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
      out += rest[..<brace]
      let tail = rest[brace...]
      let (placeholder, value) =
        tail.utf8.starts(with: "{evidence}".utf8) ? ("{evidence}", evidence)
        : tail.utf8.starts(with: "{detail}".utf8) ? ("{detail}", detail) : ("{", "{")
      out += value
      rest = tail[tail.utf8.index(brace, offsetBy: placeholder.utf8.count)...]
    }
    out += rest
    return out
  }

  private mutating func record(_ finding: Finding) {
    // The fingerprint ignores where the text is, so reformatting a page does not make a finding look new.
    let key = NormalizedText.normalize(finding.evidence)
    let identity = "\(finding.ruleID)\u{1F}\(key)"
    if let index = indexByKey[identity] {
      counts[index] += 1
      return
    }
    var finding = finding
    finding.severity = severities[finding.ruleID] ?? finding.severity
    finding.fingerprint = ContentHash.hex(parts: [finding.ruleID, listingID, key])
    indexByKey[identity] = entries.count
    entries.append(finding)
    counts.append(1)
  }
}
