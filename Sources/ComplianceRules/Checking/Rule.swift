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

  /// How many distinct findings were recorded so far: a mark for `drop(from:)`.
  public var count: Int { entries.count }

  /// Drops the findings recorded after `mark`: a rule whose matching was stopped found only part of what it looks
  /// for, and a rule that reports what is missing would report what it could not finish looking for.
  public mutating func drop(from mark: Int) {
    guard mark < entries.count else { return }
    entries.removeSubrange(mark...)
    counts.removeSubrange(mark...)
    indexByKey = indexByKey.filter { $0.value < mark }
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

  /// The message template with `{evidence}` and `{detail}` filled in: a scan of the template's bytes for `{` (every
  /// finding goes through here; `replacing`, and then Substring's UTF-8 view, cost thousands of instructions each).
  static func fill(_ template: String, evidence: String, detail: String) -> String {
    var template = template
    return template.withUTF8 { bytes in
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count + evidence.utf8.count + detail.utf8.count)
      var copied = 0
      var index = 0
      while let brace = bytes[index...].firstIndex(of: UInt8(ascii: "{")) {
        let rest = UnsafeBufferPointer(rebasing: bytes[brace...])
        let placeholder: (length: Int, value: String)? =
          rest.starts(with: "{evidence}".utf8) ? ("{evidence}".utf8.count, evidence)
          : rest.starts(with: "{detail}".utf8) ? ("{detail}".utf8.count, detail) : nil
        index = brace + 1
        guard let placeholder else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<brace]))
        out += placeholder.value.utf8
        copied = brace + placeholder.length
        index = copied
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
      return String(decoding: out, as: UTF8.self)
    }
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
