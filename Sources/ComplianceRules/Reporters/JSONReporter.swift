import Foundation

/// `--format json`: `{"findings": […], "input_issues": […], "run": {…}}`, keys sorted, for scripts and later tools.
/// The field names are a contract (README, "Reports"); add fields, never rename them. Written as the run goes, one
/// finding a line, so a large catalogue's report never sits in memory.
package struct JSONReporter: StreamingReporter {
  public init() {}

  enum Document {
    struct Run: Encodable {
      var id: Int64?
      var feeds: [String]
      var started_at: String
      var finished_at: String
      var listings_checked: Int
      var listings_skipped: Int
      var findings: Int
      var input_issues: Int
      var by_severity: [String: Int]
      var by_area: [String: Int]
      var suppressed: Int
      var baselined: Int
      var reviewed: Int
      var baseline_stale: [String]
      var tool_version: String
    }
    struct Issue: Encodable {
      var file: String
      var listing_id: String?
      var line: Int
      var kind: String
      var message: String

      enum CodingKeys: String, CodingKey { case file, listing_id, line, kind, message }

      /// `listing_id` is written as null, not left out, when the issue has no listing: scripts rely on the key.
      func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(listing_id, forKey: .listing_id)
        try container.encode(line, forKey: .line)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
      }
    }
  }

  private var wroteFinding = false

  public func head() -> String { "{\n  \"findings\" : [" }

  public mutating func listing(_ id: String, findings: [Finding]) -> String {
    var out = ""
    for finding in findings {
      out += (wroteFinding ? ",\n    " : "\n    ") + Self.line(for: finding)
      wroteFinding = true
    }
    return out
  }

  /// One finding as one line of JSON, keys sorted, byte for byte what `JSONEncoder` writes with `.sortedKeys` and
  /// `.withoutEscapingSlashes` (a test holds the two together). Written by hand because `JSONEncoder` took ~6 µs a
  /// finding, a twentieth of a run on a catalogue with many findings; the schema is fixed and flat.
  static func line(for finding: Finding) -> String {
    var writer = JSONLineWriter(capacity: 256 + finding.message.utf8.count + finding.evidence.utf8.count)
    writer.field("area", finding.area.rawValue)
    writer.field("citation", finding.citation)
    writer.field("evidence", finding.evidence)
    writer.field("fingerprint", finding.fingerprint)
    writer.field("listing_id", finding.listingID)
    writer.openObject("location")
    writer.field("column", finding.location.column)
    writer.field("file", finding.location.file)
    writer.field("line", finding.location.line)
    writer.field("scope", finding.location.scope.rawValue)
    writer.closeObject()
    writer.field("message", finding.message)
    writer.field("rule_id", finding.ruleID)
    writer.field("severity", finding.severity.rawValue)
    return writer.finish()
  }

  public func tail(_ summary: AuditSummary) -> String {
    let iso = ISO8601DateFormatter()
    let run = Document.Run(
      id: summary.runID, feeds: summary.feeds, started_at: iso.string(from: summary.startedAt),
      finished_at: iso.string(from: summary.finishedAt), listings_checked: summary.listingsChecked,
      listings_skipped: summary.listingsSkipped, findings: summary.counts.total, input_issues: summary.issues.count,
      by_severity: Dictionary(uniqueKeysWithValues: summary.counts.bySeverity.map { ($0.key.rawValue, $0.value) }),
      by_area: Dictionary(uniqueKeysWithValues: summary.counts.byArea.map { ($0.key.rawValue, $0.value) }),
      suppressed: summary.suppressed, baselined: summary.baselined, reviewed: summary.reviewed,
      baseline_stale: summary.staleBaselineEntries, tool_version: summary.toolVersion)
    let issues = summary.issues.map {
      Document.Issue(file: $0.file, listing_id: $0.listingID, line: $0.line, kind: $0.kind.rawValue, message: $0.message)
    }
    return (wroteFinding ? "\n  ]" : "]") + ",\n  \"input_issues\" : " + Self.indented(Self.encode(issues, pretty: true))
      + ",\n  \"run\" : " + Self.indented(Self.encode(run, pretty: true)) + "\n}\n"
  }

  private static func encode<Value: Encodable>(_ value: Value, pretty: Bool) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
  }

  /// Nests a pretty-printed value one level in.
  private static func indented(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "\n  ")
  }
}

/// Writes one JSON object on one line, fields in the order given (callers give them sorted), escaping strings as
/// `JSONEncoder` does: quote and backslash, the five named control characters, other controls as `\u00xx`, and
/// everything else (slash, DEL, all non-ASCII) as it is.
struct JSONLineWriter {
  private var out: [UInt8]
  /// Whether the next field follows another in the same object (and so needs a comma before it).
  private var afterField = false
  private static let hexDigits = Array("0123456789abcdef".utf8)

  init(capacity: Int) {
    out = [UInt8(ascii: "{")]
    out.reserveCapacity(capacity)
  }

  mutating func field(_ key: StaticString, _ value: String) {
    self.key(key)
    string(value)
  }

  mutating func field(_ key: StaticString, _ value: Int) {
    self.key(key)
    out.append(contentsOf: String(value).utf8)
  }

  mutating func openObject(_ key: StaticString) {
    self.key(key)
    out.append(UInt8(ascii: "{"))
    afterField = false
  }

  mutating func closeObject() {
    out.append(UInt8(ascii: "}"))
    afterField = true
  }

  mutating func finish() -> String {
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  private mutating func key(_ key: StaticString) {
    if afterField { out.append(UInt8(ascii: ",")) }
    afterField = true
    out.append(UInt8(ascii: "\""))
    out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
  }

  /// Copies runs of bytes that need no escape at once; escapes the rest.
  private mutating func string(_ value: String) {
    out.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      var runStart = 0
      for index in 0..<utf8.count {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        escape(byte)
        runStart = index + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
    out.append(UInt8(ascii: "\""))
  }

  private mutating func escape(_ byte: UInt8) {
    out.append(UInt8(ascii: "\\"))
    switch byte {
    case 0x08: out.append(UInt8(ascii: "b"))
    case 0x09: out.append(UInt8(ascii: "t"))
    case 0x0A: out.append(UInt8(ascii: "n"))
    case 0x0C: out.append(UInt8(ascii: "f"))
    case 0x0D: out.append(UInt8(ascii: "r"))
    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
    default:
      out += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
      out += [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]]
    }
  }
}
