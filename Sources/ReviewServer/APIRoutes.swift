import ComplianceRules
import Foundation
import Hummingbird
import ListingParser

/// `/api/v1`: JSON in, JSON out, errors as problem+json. The document `Web/openapi.json` describes every route.
extension ReviewServer {
  func addAPIRoutes(to router: Router<ReviewContext>) {
    let api = router.group("api/v1")
    api.get("health") { _, _ in try Self.json(["status": "ok"]) }
    api.get("openapi.json") { _, context in
      _ = try context.requireUser()
      return Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: WebAssets.text("openapi.json"))))
    }
    api.get("findings") { request, context in
      _ = try context.requireUser()
      return try Self.json(try listFindings(request.uri.queryParameters))
    }
    api.get("findings/{id}") { _, context in
      _ = try context.requireUser()
      let item = try finding(context.parameters.require("id"))
      var body = try Self.encoder.encode(FindingDetailJSON(finding: .init(item), history: try history(item)))
      body.append(0x0A)
      return Response(
        status: .ok, headers: [.contentType: "application/json", .eTag: Self.eTag(item)],
        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
    api.post("findings/{id}/decisions") { request, context in
      let user = try context.require(.reviewer)
      let item = try finding(context.parameters.require("id"))
      guard let ifMatch = request.headers[.ifMatch] else { throw Problem.ifMatchRequired }
      var request = request
      let input = try DecisionInput(json: try await Self.jsonObject(&request, context), today: AuditRun.today())
      let version = try decide(item, ifMatch: ifMatch, input, by: user)
      var decided = item
      decided.version = version
      decided.status = input.status
      decided.reason = input.reason
      decided.until = input.until
      decided.changedBy = user.name
      return try Self.json(FindingJSON(decided), status: .created, headers: [.eTag: Self.eTag(decided)])
    }
    api.post("decisions:batch") { request, context in
      let user = try context.require(.reviewer)
      var request = request
      let object = try await Self.jsonObject(&request, context)
      let keys = object["filter"] as? [String: Any] ?? [:]
      if object["filter"] != nil, object["filter"] as? [String: Any] == nil {
        throw Problem.invalid("filter must be an object with the list's keys")
      }
      let filter = try QueueQuery.filter { key in
        switch keys[key] {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
      }
      let input = try DecisionInput(json: object, today: AuditRun.today())
      guard let expected = object["expected_count"] as? Int, expected >= 0 else {
        throw Problem.invalid("expected_count must be the number of findings the filter matched when you looked")
      }
      let decided = try decideAll(filter, expectedCount: expected, input, by: user)
      return try Self.json(["matched": expected, "decided": decided])
    }
    api.post("check") { request, context in
      _ = try context.requireUser()
      var request = request
      return try Self.json(try preCheck(try await Self.jsonObject(&request, context)))
    }
    api.get("rules") { _, context in
      _ = try context.requireUser()
      return try Self.json(["rules": try rules()])
    }
    api.get("runs") { _, context in
      _ = try context.requireUser()
      return try Self.json(["runs": try store.runs().reversed().map { runJSON($0) }])
    }
    api.post("runs") { request, context in
      _ = try context.require(.reviewer)
      let zip = try await request.body.collect(upTo: Self.maxRunUploadBytes)
      let runID = try await uploads.start(zip: Data(zip.readableBytesView))
      return try Self.json(["run_id": runID], status: .accepted, headers: [.location: "/api/v1/runs/\(runID)"])
    }
    api.get("runs/{id}") { _, context in
      _ = try context.requireUser()
      return try Self.json(try run(context.parameters.require("id")))
    }
  }

  struct FindingListJSON: Encodable {
    var findings: [FindingJSON]
    var total: Int
    /// Encoded as null on the last page, as AIP-158 clients expect the key.
    var next_page_token: String?

    enum CodingKeys: String, CodingKey { case findings, total, next_page_token }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(findings, forKey: .findings)
      try container.encode(total, forKey: .total)
      try container.encode(next_page_token, forKey: .next_page_token)
    }
  }

  struct FindingDetailJSON: Encodable {
    var finding: FindingJSON
    var history: [DecisionJSON]
  }

  struct CheckJSON: Encodable {
    var findings: [CheckedFindingJSON]
    var input_issues: [InputIssueJSON]
  }

  func listFindings(_ parameters: Parameters) throws -> FindingListJSON {
    let filter = try QueueQuery.filter(parameters)
    var pageSize = Self.defaultPageSize
    if let text = parameters["page_size"], !text.isEmpty {
      guard let size = Int(text), size >= 0 else { throw Problem.badRequest("page_size must be 0 or more") }
      pageSize = size == 0 ? Self.defaultPageSize : min(size, Self.maxPageSize)
    }
    let token = try parameters["page_token"].flatMap { $0.isEmpty ? nil : try PageToken(String($0), filter: filter) }
    guard let run = try token?.run ?? store.run(for: filter) else {
      return FindingListJSON(findings: [], total: 0, next_page_token: nil)
    }
    let page = try store.reviewPage(filter, run: run, after: token?.after, limit: pageSize)
    return FindingListJSON(
      findings: page.items.map(FindingJSON.init), total: try store.reviewCount(filter, run: run),
      next_page_token: page.next.map { PageToken(run: run, after: $0, filter: filter).text })
  }

  /// The finding with this id (a fingerprint prefix of 8+ characters), or 404.
  func finding(_ id: String) throws -> FindingsStore.ReviewItem {
    guard let item = try store.reviewItem(idPrefix: id) else {
      throw Problem.notFound("no single finding has an id starting with '\(id)'")
    }
    return item
  }

  func history(_ item: FindingsStore.ReviewItem) throws -> [DecisionJSON] {
    try store.decisions(fingerprint: item.finding.fingerprint).map(DecisionJSON.init)
  }

  /// A strong ETag per finding version.
  static func eTag(_ item: FindingsStore.ReviewItem) -> String {
    "\"\(FindingJSON.id(item.finding.fingerprint))-\(item.version)\""
  }

  /// Records `input` if `ifMatch` names the finding's current version; 412 otherwise (also when someone else's
  /// decision lands between the read and the write: the store compares again under its write lock).
  func decide(
    _ item: FindingsStore.ReviewItem, ifMatch: String, _ input: DecisionInput, by user: ReviewUser
  ) throws -> Int64 {
    let tags = ifMatch.split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
    }
    guard tags.contains(Self.eTag(item)) else { throw Problem.stale(current: Self.eTag(item)) }
    do {
      return try store.decide(
        fingerprint: item.finding.fingerprint, expectedVersion: item.version, to: input.status, reason: input.reason,
        until: input.until, by: user.name)
    } catch ReviewError.stale(let current) {
      var now = item
      now.version = current
      throw Problem.stale(current: Self.eTag(now))
    }
  }

  func decideAll(
    _ filter: ReviewFilter, expectedCount: Int, _ input: DecisionInput, by user: ReviewUser
  ) throws -> Int {
    guard let run = try store.run(for: filter) else {
      throw Problem.countChanged(expected: expectedCount, actual: 0)
    }
    do {
      return try store.decideAll(
        filter, run: run, expectedCount: expectedCount, to: input.status, reason: input.reason, until: input.until,
        by: user.name)
    } catch ReviewError.countChanged(let actual) {
      throw Problem.countChanged(expected: expectedCount, actual: actual)
    }
  }

  /// The merchant pre-check: one feed record and its page, checked by the same rules as a run, nothing stored.
  /// The record's `detail_page` is ignored: the page is the one in the request, never a file.
  func preCheck(_ object: [String: Any]) throws -> CheckJSON {
    guard let record = object["listing"] as? [String: Any] else {
      throw Problem.invalid("listing must be a feed record: a JSON object with at least id and title")
    }
    var pageBytes: [UInt8]? = nil
    if let page = object["page_html"], !(page is NSNull) {
      guard let html = page as? String else { throw Problem.invalid("page_html must be a string of HTML") }
      pageBytes = Array(html.utf8)
    }
    let recordText = String(
      decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
    let source = SourceLocation(file: "listing", line: 1, column: 1, scope: .feedRecord)
    let (listing, recordIssues) = ListingRecordDecoder.decode(jsonText: recordText, source: source)
    guard var listing else {
      throw Problem.invalid(
        "listing is not a usable feed record: " + recordIssues.map(\.message).joined(separator: "; "))
    }
    listing.detailPage = pageBytes == nil ? nil : "page_html"
    let result = checker.check(listing, pageBytes: pageBytes, pagePath: "page_html", pageIssues: recordIssues)
    return CheckJSON(
      findings: result.findings.map(CheckedFindingJSON.init), input_issues: result.issues.map(InputIssueJSON.init))
  }

  func rules() throws -> [RuleJSON] {
    let verdicts = try store.ruleVerdicts()
    return ruleSet.rules.map { RuleJSON($0.description, verdicts: verdicts[$0.description.id]) }
  }

  func run(_ id: String) throws -> RunJSON {
    guard let runID = Int64(id), let run = try store.runs().first(where: { $0.id == runID }) else {
      throw Problem.notFound("no run \(id)")
    }
    return runJSON(run)
  }

  /// A run, with its progress while this server checks it.
  func runJSON(_ run: RunRecord) -> RunJSON {
    var json = RunJSON(run)
    if let progress = uploads.progress(of: json.id) {
      json.listings_done = progress.done
      json.listings_total = progress.total
    }
    return json
  }

  // MARK: - JSON

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func json<T: Encodable>(
    _ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
  ) throws -> Response {
    var body = try encoder.encode(value)
    body.append(0x0A)
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }

  /// The request's body as a JSON object: 413 over the limit, 400 when it is not JSON, 422 when not an object.
  static func jsonObject(_ request: inout Request, _ context: ReviewContext) async throws -> [String: Any] {
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
    } catch {
      throw Problem.badRequest("the body is not JSON")
    }
    guard let object = parsed as? [String: Any] else { throw Problem.invalid("the body must be a JSON object") }
    return object
  }
}
