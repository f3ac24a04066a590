import Foundation

/// The labels of a blind set (`labels.ndjson`): for each listing, which areas break the law and which look as if they
/// do but do not, as argued from the law by someone who never read the rules.
///
/// One JSON object a line: `{"id": "ba-001", "area": "returns", "violation": true, "evidence": "…", "why": "…"}`;
/// `"todo": true` marks a known gap (scored, not a failure). Labels are by area because their authors do not know the
/// rule ids, and a reviewer judges a listing by area too. Several lines for one listing and area are one case.
struct AreaLabels {
  struct Label {
    var violation: Bool
    var todo: Bool
    var evidence: String
    var line: Int
  }

  let file: String
  /// Listing id → area → its label.
  var byListing: [String: [String: Label]] = [:]

  /// The folder's labels, or nil when it has no `labels.ndjson`. A malformed line is an error: a blind set that
  /// silently lost a label would score better than it is.
  static func load(folder: String) throws -> AreaLabels? {
    let file = "\(folder)/labels.ndjson"
    guard let data = FileManager.default.contents(atPath: file) else { return nil }
    var labels = AreaLabels(file: file)
    for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated() where !raw.trimmingCharacters(in: .whitespaces).isEmpty
    {
      guard let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any],
        let id = object["id"] as? String, let area = object["area"] as? String, Area(rawValue: area) != nil,
        let violation = object["violation"] as? Bool
      else {
        throw RulesetErrors([
          RulesetError(file: file, line: index + 1, message: "a label needs a string id, a known area and a bool violation")
        ])
      }
      let label = Label(
        violation: violation, todo: object["todo"] as? Bool ?? false, evidence: object["evidence"] as? String ?? "",
        line: index + 1)
      // Several lines for one listing and area (a lawful exclusion and a refusal on one page) make one case: a
      // violation if any line says so, judged at that line.
      if let first = labels.byListing[id]?[area], first.violation || !violation { continue }
      labels.byListing[id, default: [:]][area] = label
    }
    return labels
  }
}
