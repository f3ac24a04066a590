import Foundation

/// Findings accepted as they are, so that a gate fails only on new ones.
///
/// Entries are keyed by fingerprint — rule id, listing id and normalised evidence, never a line number — so
/// reformatting a page does not make old findings look new. Written with sorted keys so it diffs well in review.
public struct Baseline: Codable, Sendable, Equatable {
  public struct Entry: Codable, Sendable, Equatable {
    public var fingerprint: String
    public var ruleID: String
    public var listingID: String
    public var evidence: String

    enum CodingKeys: String, CodingKey {
      case fingerprint
      case ruleID = "rule_id"
      case listingID = "listing_id"
      case evidence
    }
  }

  public var version = 1
  public var entries: [Entry]

  public init(findings: [Finding]) {
    entries = findings.map {
      Entry(fingerprint: $0.fingerprint, ruleID: $0.ruleID, listingID: $0.listingID, evidence: $0.evidence)
    }.sorted { ($0.listingID, $0.ruleID, $0.fingerprint) < ($1.listingID, $1.ruleID, $1.fingerprint) }
  }

  public static func load(path: String) throws -> Baseline {
    do {
      return try JSONDecoder().decode(Baseline.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw RulesetErrors([RulesetError(file: path, line: 0, message: "not a baseline file written by `auditor baseline write`: \(error)")])
    }
  }

  public func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
  }

  /// The fingerprints the baseline records; a run takes the set once and hides the findings in it.
  public var fingerprints: Set<String> { Set(entries.map(\.fingerprint)) }

  /// Entries no finding of the run matched (fixed listings: the baseline can shrink). `seen` holds the fingerprints
  /// of every finding the run reported.
  public func staleEntries(seen: Set<String>) -> [Entry] {
    entries.filter { !seen.contains($0.fingerprint) }
  }
}
