import ComplianceRules
import Foundation
import Hummingbird

/// The review pages: sign-in, the queue, a finding, bulk decisions, runs, a diff and the rules. Server-rendered,
/// so everything works without JavaScript; every form that changes something carries the session's CSRF token.
extension ReviewServer {
  /// The cookie that ties the sign-in form to the browser that loaded it (there is no session yet to hold a token).
  static let loginCSRFCookie = "auditor_login_csrf"

  /// Fixed notices the pages show after a redirect, by key, so no request text is echoed.
  static let notices = [
    "decided": "Decision recorded.", "bulk": "Decisions recorded for the whole filter.",
    "signed-out": "Signed out.",
  ]

  func addPageRoutes(to router: Router<ReviewContext>) {
    router.get("static/app.css") { _, _ in Self.asset("static/app.css", type: "text/css; charset=utf-8") }
    router.get("static/app.js") { _, _ in Self.asset("static/app.js", type: "text/javascript; charset=utf-8") }
    router.get("login") { request, _ in loginPage(next: request.uri.queryParameters["next"].map(String.init)) }
    router.post("login") { request, context in try await login(request, context) }
    router.post("logout") { request, context in
      var request = request
      let form = try await Self.form(&request, context)
      try Self.checkCSRF(form, context)
      if let session = context.session { await sessions.remove(id: session.id) }
      var response = Response(status: .seeOther, headers: [.location: "/login"])
      response.setCookie(Self.cookie(SessionStore.cookieName, "", maxAge: 0))
      return response
    }
    router.get("/") { request, context in try queuePage(request, context) }
    router.get("findings/{id}") { request, context in try findingPage(request, context) }
    router.post("findings/{id}/decide") { request, context in
      let user = try context.require(.reviewer)
      var request = request
      let form = try await Self.form(&request, context)
      try Self.checkCSRF(form, context)
      let item = try finding(context.parameters.require("id"))
      let input = try DecisionInput(
        status: form["status"], reason: form["reason"], until: form["until"], today: AuditRun.today())
      var seen = item
      seen.version = Int64(form["version"] ?? "") ?? -1
      _ = try decide(item, ifMatch: Self.eTag(seen), input, by: user)
      let location = "/findings/\(FindingJSON.id(item.finding.fingerprint))?notice=decided"
      return Response(status: .seeOther, headers: [.location: location])
    }
    router.get("bulk") { request, context in try bulkPage(request, context) }
    router.post("bulk") { request, context in
      let user = try context.require(.reviewer)
      var request = request
      let form = try await Self.form(&request, context)
      try Self.checkCSRF(form, context)
      // The filter's keys are prefixed: `status` is the decision's.
      let filter = try QueueQuery.filter { form["filter." + $0] }
      let input = try DecisionInput(
        status: form["status"], reason: form["reason"], until: form["until"], today: AuditRun.today())
      guard let expected = Int(form["expected_count"] ?? "") else { throw Problem.invalid("expected_count is missing") }
      _ = try decideAll(filter, expectedCount: expected, input, by: user)
      let query = QueueQuery.queryString(filter)
      return Response(status: .seeOther, headers: [.location: "/?\(query)\(query.isEmpty ? "" : "&")notice=bulk"])
    }
    router.get("runs") { _, context in
      let user = try context.requireUser()
      let runs = try store.runs()
      let rows: [[String: Any]] = runs.enumerated().reversed().map { index, run in
        var row = Self.dictionary(runJSON(run))
        if index > 0, let previous = runs[index - 1].id { row["previous"] = previous }
        return row
      }
      return pages.page("runs", title: "Runs", user: user, csrf: context.session?.csrfToken, values: ["runs": rows])
    }
    router.get("runs/{id}") { _, context in
      let user = try context.requireUser()
      let run = try run(context.parameters.require("id"))
      let issues = try store.inputIssues(runID: run.id).map { Self.dictionary(InputIssueJSON($0)) }
      return pages.page(
        "run", title: "Run \(run.id)", user: user, csrf: context.session?.csrfToken,
        values: ["run": Self.dictionary(run), "issues": issues])
    }
    router.get("diff") { request, context in try diffPage(request, context) }
    router.get("rules") { _, context in
      let user = try context.requireUser()
      let rows = try rules().map { rule -> [String: Any] in
        [
          "id": rule.id, "title": rule.title, "area": rule.area, "severity": rule.severity,
          "citation": rule.citation.text, "decided": rule.verdicts.decided,
          "falsePositive": rule.verdicts.false_positive,
          "rate": rule.verdicts.false_positive_rate.map { String(format: "%.0f %%", $0 * 100) } ?? "–",
        ]
      }
      return pages.page("rules", title: "Rules", user: user, csrf: context.session?.csrfToken, values: ["rules": rows])
    }
  }

  // MARK: - Sign-in

  func loginPage(next: String?, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
    let csrf = APIToken.generate()
    var values: [String: Any] = ["loginCSRF": csrf, "next": Self.safeNext(next)]
    if let error { values["error"] = error }
    var response = pages.page("login", title: "Sign in", user: nil, values: values, status: status)
    response.setCookie(Self.cookie(Self.loginCSRFCookie, csrf, maxAge: 3600))
    return response
  }

  func login(_ request: Request, _ context: ReviewContext) async throws -> Response {
    if let wait = await throttle.retryAfter(context.clientAddress) { throw Problem.tooManyLogins(retryAfter: wait) }
    var request = request
    let form = try await Self.form(&request, context)
    guard let csrf = form["csrf"], !csrf.isEmpty, request.cookies[Self.loginCSRFCookie]?.value == csrf else {
      throw Problem.csrf
    }
    let tokenHash = APIToken.hash((form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    guard try store.reviewUser(tokenHash: tokenHash) != nil else {
      await throttle.recordFailure(context.clientAddress)
      return loginPage(next: form["next"], error: "That token is not valid (or was revoked).", status: .unauthorized)
    }
    let session = await sessions.create(tokenHash: tokenHash)
    var response = Response(status: .seeOther, headers: [.location: Self.safeNext(form["next"])])
    response.setCookie(Self.cookie(SessionStore.cookieName, session.id, maxAge: Int(SessionStore.lifetime)))
    response.setCookie(Self.cookie(Self.loginCSRFCookie, "", maxAge: 0))
    return response
  }

  /// Where to go after signing in: a path on this server only, never another site.
  static func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
    return next
  }

  static func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
    Cookie(name: name, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
  }

  // MARK: - Queue

  func queuePage(_ request: Request, _ context: ReviewContext) throws -> Response {
    let user = try context.requireUser()
    let parameters = request.uri.queryParameters
    let filter = try QueueQuery.filter(parameters)
    var values: [String: Any] = ["filter": Self.filterValues(filter), "filterQuery": QueueQuery.queryString(filter)]
    if let notice = parameters["notice"].flatMap({ Self.notices[String($0)] }) { values["notice"] = notice }
    values["statuses"] = FindingStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == filter.status] }
    values["severities"] = Severity.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == filter.severity] }
    if let run = try store.run(for: filter) {
      let list = try listFindings(parameters)
      values["run"] = run
      values["total"] = list.total
      values["canBulk"] = user.role >= .reviewer && list.total > 0
      values["findings"] = list.findings.map { finding -> [String: Any] in
        var row = Self.dictionary(finding)
        row["listingQuery"] = QueueQuery.escape(finding.listing_id)
        return row
      }
      if let next = list.next_page_token { values["next"] = next }
      if parameters["page_token"] != nil { values["first"] = true }
      let facets = try store.reviewFacets(filter, run: run)
      values["facets"] = ["status", "severity", "area", "rule"].map { key -> [String: Any] in
        let param = key
        return [
          "name": key,
          "values": (facets[key] ?? []).prefix(30).map { facet -> [String: Any] in
            [
              "value": facet.value, "count": facet.count,
              "query": QueueQuery.queryString(filter, replacing: param, with: facet.value),
              "active": Self.filterValues(filter)[param] == facet.value,
            ]
          },
        ]
      }
    } else {
      values["run"] = "–"
      values["total"] = 0
      values["notice"] = "No complete run in the database yet: run `auditor check FEED --db …` first."
    }
    return pages.page("queue", title: "Queue", user: user, csrf: context.session?.csrfToken, values: values)
  }

  static func filterValues(_ filter: ReviewFilter) -> [String: String] {
    var values: [String: String] = [:]
    values["run"] = filter.runID.map(String.init)
    values["status"] = filter.status?.rawValue
    values["area"] = filter.area
    values["rule"] = filter.rule
    values["severity"] = filter.severity
    values["listing"] = filter.listing
    values["q"] = filter.query
    return values
  }

  // MARK: - Finding

  func findingPage(_ request: Request, _ context: ReviewContext) throws -> Response {
    let user = try context.requireUser()
    let item = try finding(context.parameters.require("id"))
    let finding = FindingJSON(item)
    var values: [String: Any] = [:]
    var row = Self.dictionary(finding)
    row["file"] = finding.location.file
    row["line"] = finding.location.line
    row["column"] = finding.location.column
    row["scope"] = finding.location.scope
    row["listingQuery"] = QueueQuery.escape(finding.listing_id)
    row["messageParts"] = PageRenderer.marked(finding.message, finding.evidence)
    let excerpt = SourceExcerpt.line(
      file: finding.location.file, line: finding.location.line, column: finding.location.column)
    row["contextParts"] = PageRenderer.marked(excerpt ?? "… \(finding.evidence) …", finding.evidence)
    values["finding"] = row
    values["version"] = item.version
    values["history"] = try history(item).map { Self.dictionary($0) }
    if let notice = request.uri.queryParameters["notice"].flatMap({ Self.notices[String($0)] }) {
      values["notice"] = notice
    }
    if let rule = ruleSet.rule(id: finding.rule_id)?.description {
      values["rule"] = [
        "title": rule.title, "message": rule.message,
        "failing": rule.failingExamples.prefix(3).map(\.html), "passing": rule.passingExamples.prefix(3).map(\.html),
        "hasFailing": !rule.failingExamples.isEmpty, "hasPassing": !rule.passingExamples.isEmpty,
      ] as [String: Any]
    }
    let others = try store.reviewPage(
      ReviewFilter(listing: finding.listing_id), run: item.runID, after: nil, limit: 50
    ).items.filter { $0.finding.fingerprint != item.finding.fingerprint }
    values["others"] = others.map { Self.dictionary(FindingJSON($0)) }
    values["canDecide"] = user.role >= .reviewer
    values["settable"] = DecisionInput.settable.map(\.rawValue)
    return pages.page(
      "finding", title: "Finding \(finding.id)", user: user, csrf: context.session?.csrfToken, values: values)
  }

  // MARK: - Bulk, diff

  func bulkPage(_ request: Request, _ context: ReviewContext) throws -> Response {
    let user = try context.require(.reviewer)
    let filter = try QueueQuery.filter(request.uri.queryParameters)
    guard let run = try store.run(for: filter) else { throw Problem.notFound("no complete run to decide on") }
    let count = try store.reviewCount(filter, run: run)
    let fields = Self.filterValues(filter).sorted { $0.key < $1.key }.map {
      ["name": "filter." + $0.key, "value": $0.value]
    }
    let query = QueueQuery.queryString(filter)
    return pages.page(
      "bulk", title: "Decide \(count) findings", user: user, csrf: context.session?.csrfToken,
      values: [
        "count": count, "run": run, "filterFields": fields, "filterQuery": query,
        "filterText": query.isEmpty ? "(everything)" : query.removingPercentEncoding ?? query,
        "settable": DecisionInput.settable.map(\.rawValue),
      ])
  }

  func diffPage(_ request: Request, _ context: ReviewContext) throws -> Response {
    let user = try context.requireUser()
    let parameters = request.uri.queryParameters
    guard let from = parameters["from"].flatMap({ Int64(String($0)) }),
      let to = parameters["to"].flatMap({ Int64(String($0)) })
    else { throw Problem.badRequest("give two runs: /diff?from=RUN&to=RUN") }
    let before = try store.findings(runID: from)
    let after = try store.findings(runID: to)
    let beforePrints = Set(before.map(\.fingerprint))
    let afterPrints = Set(after.map(\.fingerprint))
    let new = after.filter { !beforePrints.contains($0.fingerprint) }
    let fixed = before.filter { !afterPrints.contains($0.fingerprint) }
    func rows(_ findings: [Finding], _ run: Int64) -> [[String: Any]] {
      findings.prefix(500).map { Self.dictionary(FindingJSON($0, runID: run, status: "")) }
    }
    return pages.page(
      "diff", title: "Diff \(from) → \(to)", user: user, csrf: context.session?.csrfToken,
      values: [
        "from": from, "to": to, "newCount": new.count, "fixedCount": fixed.count,
        "unchangedCount": after.count - new.count, "new": rows(new, to), "fixed": rows(fixed, from),
      ])
  }

  // MARK: - Helpers

  static func asset(_ path: String, type: String) -> Response {
    Response(
      status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"],
      body: .init(byteBuffer: ByteBuffer(string: WebAssets.text(path))))
  }

  /// An `application/x-www-form-urlencoded` body as fields (the last value of a repeated name wins).
  static func form(_ request: inout Request, _ context: ReviewContext) async throws -> [String: String] {
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    var fields: [String: String] = [:]
    for pair in String(buffer: buffer).split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
      }
      fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
  }

  /// A form sent with the session cookie must carry the session's CSRF token; one sent with a Bearer token needs
  /// none (a browser never attaches a Bearer token by itself).
  static func checkCSRF(_ form: [String: String], _ context: ReviewContext) throws {
    _ = try context.requireUser()
    guard let session = context.session else { return }
    guard form["csrf"] == session.csrfToken else { throw Problem.csrf }
  }

  /// An encodable value as the dictionary templates read.
  static func dictionary<T: Encodable>(_ value: T) -> [String: Any] {
    guard let data = try? encoder.encode(value),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }
}
