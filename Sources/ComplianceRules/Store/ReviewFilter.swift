import GRDB

/// Which findings of a run the review queue shows: the filter keys of `GET /api/v1/findings`, of the queue page's
/// query and of a batch decision. A nil key does not filter.
public struct ReviewFilter: Sendable, Hashable, Codable {
  /// Nil: the newest complete run.
  public var runID: Int64?
  public var status: FindingStatus?
  public var area: String?
  public var rule: String?
  public var severity: String?
  public var listing: String?
  /// Text that the evidence, the message or the listing id contains.
  public var query: String?

  public init(
    runID: Int64? = nil, status: FindingStatus? = nil, area: String? = nil, rule: String? = nil,
    severity: String? = nil, listing: String? = nil, query: String? = nil
  ) {
    self.runID = runID
    self.status = status
    self.area = area
    self.rule = rule
    self.severity = severity
    self.listing = listing
    self.query = query
  }

  /// The SQL condition over `finding` and its `finding_status` row (aliased `fs`) for findings of `run`.
  func condition(run: Int64) -> (sql: String, arguments: StatementArguments) {
    var terms = ["finding.run_id = ?"]
    var arguments: StatementArguments = [run]
    func add(_ sql: String, _ values: [(any DatabaseValueConvertible)?]) {
      terms.append(sql)
      arguments += StatementArguments(values)
    }
    if let status { add("IFNULL(fs.status, 'open') = ?", [status.rawValue]) }
    if let area { add("finding.area = ?", [area]) }
    if let rule { add("finding.rule_id = ?", [rule]) }
    if let severity { add("finding.severity = ?", [severity]) }
    if let listing { add("finding.listing_id = ?", [listing]) }
    if let query, !query.isEmpty {
      add(
        "(instr(finding.evidence, ?) > 0 OR instr(finding.message, ?) > 0 OR instr(finding.listing_id, ?) > 0)",
        [query, query, query])
    }
    return (terms.joined(separator: " AND "), arguments)
  }
}
