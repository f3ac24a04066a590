import ComplianceRules
import Foundation
import Hummingbird
import ListingParser

/// The filter keys of the queue, read from a URL's query (`?run=&status=&area=&rule=&severity=&listing=&q=`) or a
/// form: the API's list, the queue page and the batch decisions share them. Empty values do not filter, so a form
/// with an empty select means "any".
enum QueueQuery {
  static let keys = ["run", "status", "area", "rule", "severity", "listing", "q"]

  static func filter(_ value: (String) -> String?) throws -> ReviewFilter {
    func text(_ key: String) -> String? {
      guard let value = value(key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
      return value
    }
    var filter = ReviewFilter(
      area: text("area"), rule: text("rule"), severity: text("severity"), listing: text("listing"), query: text("q"))
    if let run = text("run") {
      guard let id = Int64(run), id > 0 else { throw Problem.badRequest("run must be a run id (a positive integer)") }
      filter.runID = id
    }
    if let status = text("status") {
      guard let known = FindingStatus(rawValue: status) else {
        throw Problem.badRequest(
          "unknown status '\(status)' (\(FindingStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      filter.status = known
    }
    if let severity = filter.severity, Severity(rawValue: severity) == nil {
      throw Problem.badRequest("unknown severity '\(severity)' (info, warning, error)")
    }
    return filter
  }

  static func filter(_ parameters: Parameters) throws -> ReviewFilter {
    let values = Dictionary(parameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
    return try filter { values[$0] }
  }

  /// The filter's keys as a query string, for links that keep the filter (paging, facets, bulk).
  static func queryString(_ filter: ReviewFilter, replacing key: String? = nil, with value: String? = nil) -> String {
    var pairs: [(String, String)] = []
    let values: [String: String?] = [
      "run": filter.runID.map(String.init), "status": filter.status?.rawValue, "area": filter.area,
      "rule": filter.rule, "severity": filter.severity, "listing": filter.listing, "q": filter.query,
    ]
    for name in keys {
      let current = name == key ? value : values[name] ?? nil
      if let current, !current.isEmpty { pairs.append((name, current)) }
    }
    return pairs.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&")
  }

  static func escape(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }
}

/// An opaque page token (AIP-158): the run, where the last page ended, and a hash of the filter it was made for,
/// so a token cannot be replayed with other filter keys. Base64url, so it goes into a URL as it is.
struct PageToken: Equatable {
  var run: Int64
  var after: FindingsStore.PagePosition
  var filterHash: String

  init(run: Int64, after: FindingsStore.PagePosition, filter: ReviewFilter) {
    self.run = run
    self.after = after
    filterHash = Self.hash(filter, run: run)
  }

  /// Decodes `text` and checks it was made for `filter`; throws 400 otherwise.
  init(_ text: String, filter: ReviewFilter) throws {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    let parts = Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }?.split(separator: ":") ?? []
    guard parts.count == 4, parts[0] == "p1", let run = Int64(parts[1]), let after = Int64(parts[2]),
      filter.runID == nil || filter.runID == run, String(parts[3]) == Self.hash(filter, run: run)
    else { throw Problem.badRequest("page_token is not one this list gave for these filter keys") }
    self.run = run
    self.after = after
    filterHash = String(parts[3])
  }

  var text: String {
    Data("p1:\(run):\(after):\(filterHash)".utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  private static func hash(_ filter: ReviewFilter, run: Int64) -> String {
    var keyed = filter
    keyed.runID = run
    return String(ContentHash.hex(QueueQuery.queryString(keyed)).prefix(16))
  }
}
