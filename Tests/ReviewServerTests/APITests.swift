import ComplianceRules
import Foundation
import Hummingbird
import HummingbirdTesting
import ListingParser
import ReviewServer
import XCTest

final class APITests: XCTestCase {
  func testHealthNeedsNoUserAndEveryOtherRouteDoes() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      let health = try await client.execute(uri: "/api/v1/health", method: .get)
      XCTAssertEqual(health.status, .ok)
      XCTAssertEqual(String(buffer: health.body), "{\"status\":\"ok\"}\n")
      for uri in ["/api/v1/findings", "/api/v1/rules", "/api/v1/runs", "/api/v1/openapi.json", "/api/v1/findings/x"] {
        let response = try await client.execute(uri: uri, method: .get)
        XCTAssertEqual(response.status, .unauthorized, uri)
        XCTAssertEqual(response.headers[.contentType], "application/problem+json", uri)
        XCTAssertEqual(try ReviewFixture.object(response)["type"] as? String, "urn:auditor:problem:unauthorized")
      }
      let wrong = try await client.execute(
        uri: "/api/v1/findings", method: .get, headers: ReviewFixture.bearer("not-a-token"))
      XCTAssertEqual(wrong.status, .unauthorized)
      let page = try await client.execute(uri: "/?area=pricing", method: .get)
      XCTAssertEqual(page.status, .seeOther)
      XCTAssertEqual(page.headers[.location], "/login?next=%2F%3Farea%3Dpricing")
    }
  }

  func testFindingsListCarriesReportFieldsIdAndStatus() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      let response = try await client.execute(
        uri: "/api/v1/findings?area=advertising&page_size=2", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(response.status, .ok)
      let list = try ReviewFixture.object(response)
      XCTAssertEqual(list["total"] as? Int, 5)
      let findings = try XCTUnwrap(list["findings"] as? [[String: Any]])
      XCTAssertEqual(findings.count, 2)
      XCTAssertEqual(findings[0]["id"] as? String, fixture.id(0))
      XCTAssertEqual(findings[0]["status"] as? String, "open")
      XCTAssertEqual(findings[0]["rule_id"] as? String, "ad_absolute_terms")
      XCTAssertEqual((findings[0]["location"] as? [String: Any])?["line"] as? Int, 1)
      XCTAssertNotNil(list["next_page_token"] as? String)
      let bad = try await client.execute(
        uri: "/api/v1/findings?status=nope", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(bad.status, .badRequest)
    }
  }

  func testPagingVisitsEveryFindingExactlyOnce() async throws {
    let fixture = try ReviewFixture(findings: 137)
    try await fixture.app.test(.router) { client in
      var seen: [String] = []
      var token: String? = nil
      var pages = 0
      repeat {
        let uri = "/api/v1/findings?page_size=10" + (token.map { "&page_token=\($0)" } ?? "")
        let list = try ReviewFixture.object(
          try await client.execute(uri: uri, method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
        XCTAssertEqual(list["total"] as? Int, 137)
        seen += (list["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        token = list["next_page_token"] as? String
        pages += 1
      } while token != nil && pages < 50
      XCTAssertEqual(pages, 14)
      XCTAssertEqual(seen.count, 137)
      XCTAssertEqual(Set(seen), Set((0..<137).map(fixture.id)))
      // A token is only good for the filter it was made for.
      let first = try ReviewFixture.object(
        try await client.execute(
          uri: "/api/v1/findings?page_size=10", method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
      let next = try XCTUnwrap(first["next_page_token"] as? String)
      let replayed = try await client.execute(
        uri: "/api/v1/findings?area=pricing&page_token=\(next)", method: .get,
        headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(replayed.status, .badRequest)
    }
  }

  func testOneFindingHasItsHistoryAndAnETag() async throws {
    let fixture = try ReviewFixture()
    _ = try fixture.store.decide(
      fingerprint: ContentHash.hex("finding 1"), expectedVersion: 0, to: .falsePositive, reason: "a brand name",
      until: nil, by: "rita")
    try await fixture.app.test(.router) { client in
      let response = try await client.execute(
        uri: "/api/v1/findings/\(fixture.id(1))", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(response.status, .ok)
      XCTAssertNotNil(response.headers[.eTag])
      XCTAssertNotEqual(response.headers[.eTag], "\"\(fixture.id(1))-0\"")
      let detail = try ReviewFixture.object(response)
      XCTAssertEqual((detail["finding"] as? [String: Any])?["status"] as? String, "false_positive")
      let history = try XCTUnwrap(detail["history"] as? [[String: Any]])
      XCTAssertEqual(history.first?["reason"] as? String, "a brand name")
      XCTAssertEqual(history.first?["decided_by"] as? String, "rita")
      let missing = try await client.execute(
        uri: "/api/v1/findings/0000000000000", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(missing.status, .notFound)
      XCTAssertEqual(try ReviewFixture.object(missing)["type"] as? String, "urn:auditor:problem:not-found")
    }
  }

  func testDecisionStatuses403_428_422_412_201() async throws {
    let fixture = try ReviewFixture()
    let uri = "/api/v1/findings/\(fixture.id(2))/decisions"
    let fresh: HTTPFields = [.ifMatch: "\"\(fixture.id(2))-0\""]
    let body = ReviewFixture.json(["status": "false_positive", "reason": "the word is a brand"])
    try await fixture.app.test(.router) { client in
      let viewer = try await client.execute(
        uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.viewer, fresh), body: body)
      XCTAssertEqual(viewer.status, .forbidden)
      let noIfMatch = try await client.execute(
        uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.reviewer), body: body)
      XCTAssertEqual(noIfMatch.status, .preconditionRequired)
      for invalid: [String: Any] in [
        ["status": "false_positive"], ["status": "false_positive", "reason": "  "],
        ["status": "waived", "reason": "r", "until": "2026-02-31"], ["status": "waived", "reason": "r"],
        ["status": "waived", "reason": "r", "until": "2001-01-01"], ["status": "fixed", "reason": "r"],
      ] {
        let response = try await client.execute(
          uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.reviewer, fresh),
          body: ReviewFixture.json(invalid))
        XCTAssertEqual(response.status, .unprocessableContent, "\(invalid)")
      }
      let unknown = try await client.execute(
        uri: "/api/v1/findings/abcdefabcdef/decisions", method: .post,
        headers: ReviewFixture.bearer(fixture.reviewer, fresh), body: body)
      XCTAssertEqual(unknown.status, .notFound)
      let created = try await client.execute(
        uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.reviewer, fresh), body: body)
      XCTAssertEqual(created.status, .created)
      let newTag = try XCTUnwrap(created.headers[.eTag])
      XCTAssertEqual(try ReviewFixture.object(created)["status"] as? String, "false_positive")
      let stale = try await client.execute(
        uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.reviewer, fresh), body: body)
      XCTAssertEqual(stale.status, .preconditionFailed)
      XCTAssertEqual(stale.headers[.eTag], newTag)
      let again = try await client.execute(
        uri: uri, method: .post, headers: ReviewFixture.bearer(fixture.reviewer, [.ifMatch: newTag]),
        body: ReviewFixture.json(["status": "open", "reason": "second look"]))
      XCTAssertEqual(again.status, .created)
    }
    let history = try fixture.store.decisions(fingerprint: ContentHash.hex("finding 2"))
    XCTAssertEqual(history.map(\.toStatus), [.open, .falsePositive])
    XCTAssertEqual(history.map(\.decidedBy), ["rita", "rita"])
  }

  func testConcurrentDecisionsOnOneFindingOneWinsOneGets412() async throws {
    let fixture = try ReviewFixture()
    let uri = "/api/v1/findings/\(fixture.id(4))/decisions"
    let headers = ReviewFixture.bearer(fixture.reviewer, [.ifMatch: "\"\(fixture.id(4))-0\""])
    try await fixture.app.test(.ahc(.http)) { client in
      async let first = client.execute(
        uri: uri, method: .post, headers: headers,
        body: ReviewFixture.json(["status": "accepted", "reason": "real claim"]))
      async let second = client.execute(
        uri: uri, method: .post, headers: headers,
        body: ReviewFixture.json(["status": "false_positive", "reason": "not a claim"]))
      let statuses = try await [first.status, second.status]
      XCTAssertEqual(statuses.filter { $0 == .created }.count, 1, "\(statuses)")
      XCTAssertEqual(statuses.filter { $0 == .preconditionFailed }.count, 1, "\(statuses)")
    }
    XCTAssertEqual(try fixture.store.decisions(fingerprint: ContentHash.hex("finding 4")).count, 1)
  }

  func testBatchDecidesTheWholeFilterOr409WhenTheCountMoved() async throws {
    let fixture = try ReviewFixture(findings: 30)
    try await fixture.app.test(.router) { client in
      let stale = try await client.execute(
        uri: "/api/v1/decisions:batch", method: .post, headers: ReviewFixture.bearer(fixture.reviewer),
        body: ReviewFixture.json([
          "filter": ["area": "health_food"], "status": "waived", "reason": "campaign ends", "until": "2999-01-01",
          "expected_count": 14,
        ]))
      XCTAssertEqual(stale.status, .conflict)
      XCTAssertEqual(try ReviewFixture.object(stale)["current_count"] as? Int, 15)
      let viewer = try await client.execute(
        uri: "/api/v1/decisions:batch", method: .post, headers: ReviewFixture.bearer(fixture.viewer),
        body: ReviewFixture.json(["filter": [:], "status": "open", "reason": "r", "expected_count": 30]))
      XCTAssertEqual(viewer.status, .forbidden)
      let done = try await client.execute(
        uri: "/api/v1/decisions:batch", method: .post, headers: ReviewFixture.bearer(fixture.reviewer),
        body: ReviewFixture.json([
          "filter": ["area": "health_food"], "status": "waived", "reason": "campaign ends", "until": "2999-01-01",
          "expected_count": 15,
        ]))
      XCTAssertEqual(done.status, .ok)
      XCTAssertEqual(try ReviewFixture.object(done)["decided"] as? Int, 15)
      let waived = try ReviewFixture.object(
        try await client.execute(
          uri: "/api/v1/findings?status=waived&page_size=100", method: .get,
          headers: ReviewFixture.bearer(fixture.viewer)))
      XCTAssertEqual(waived["total"] as? Int, 15)
      let areas = Set((waived["findings"] as? [[String: Any]] ?? []).compactMap { $0["area"] as? String })
      XCTAssertEqual(areas, ["health_food"])
    }
  }

  func testPreCheckFindsWithoutStoringAndRefusesTooLargeBodies() async throws {
    let fixture = try ReviewFixture()
    let before = try fixture.store.reviewCount(ReviewFilter(), run: 1)
    try await fixture.app.test(.router) { client in
      let response = try await client.execute(
        uri: "/api/v1/check", method: .post, headers: ReviewFixture.bearer(fixture.viewer),
        body: ReviewFixture.json([
          "listing": ["id": "m-1", "title": "全网最好的奶粉", "detail_page": "/etc/passwd"],
          "page_html": "<html><body><p>本品可以治疗糖尿病</p><script>alert(1)</script></body></html>",
        ]))
      XCTAssertEqual(response.status, .ok)
      let result = try ReviewFixture.object(response)
      let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
      XCTAssertTrue(findings.contains { $0["rule_id"] as? String == "ad_absolute_terms" }, "\(findings)")
      XCTAssertTrue(findings.allSatisfy { ($0["location"] as? [String: Any])?["file"] as? String != "/etc/passwd" })
      XCTAssertNotNil(result["input_issues"] as? [Any])
      let notARecord = try await client.execute(
        uri: "/api/v1/check", method: .post, headers: ReviewFixture.bearer(fixture.viewer),
        body: ReviewFixture.json(["listing": ["title": "no id"]]))
      XCTAssertEqual(notARecord.status, .unprocessableContent)
      let huge = String(repeating: "a", count: ReviewServer.maxCheckBodyBytes + 1)
      let tooLarge = try await client.execute(
        uri: "/api/v1/check", method: .post, headers: ReviewFixture.bearer(fixture.viewer),
        body: ReviewFixture.json(["listing": ["id": "m-2", "title": "t"], "page_html": huge]))
      XCTAssertEqual(tooLarge.status, .contentTooLarge)
      XCTAssertEqual(tooLarge.headers[.contentType], "application/problem+json")
    }
    XCTAssertEqual(try fixture.store.reviewCount(ReviewFilter(), run: 1), before)
    XCTAssertEqual(try fixture.store.runs().count, 1)
  }

  func testRulesCarryReviewersFalsePositiveRate() async throws {
    let fixture = try ReviewFixture()
    for (index, status) in [(0, FindingStatus.falsePositive), (2, .accepted), (4, .falsePositive), (6, .open)] {
      _ = try fixture.store.decide(
        fingerprint: ContentHash.hex("finding \(index)"), expectedVersion: 0, to: status, reason: "r", until: nil,
        by: "rita")
    }
    try await fixture.app.test(.router) { client in
      let response = try await client.execute(
        uri: "/api/v1/rules", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      let rules = try XCTUnwrap(try ReviewFixture.object(response)["rules"] as? [[String: Any]])
      let rule = try XCTUnwrap(rules.first { $0["id"] as? String == "ad_absolute_terms" })
      let verdicts = try XCTUnwrap(rule["verdicts"] as? [String: Any])
      XCTAssertEqual(verdicts["decided"] as? Int, 3)
      XCTAssertEqual(verdicts["false_positive"] as? Int, 2)
      XCTAssertEqual(try XCTUnwrap(verdicts["false_positive_rate"] as? Double), 2.0 / 3.0, accuracy: 1e-9)
      XCTAssertNotNil((rule["citation"] as? [String: Any])?["law"] as? String)
      XCTAssertEqual(rules.count, ReviewFixture.ruleSet.rules.count)
    }
  }

  func testRunsAndOpenAPIDocument() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      let runs = try ReviewFixture.object(
        try await client.execute(uri: "/api/v1/runs", method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
      XCTAssertEqual((runs["runs"] as? [[String: Any]])?.first?["state"] as? String, "complete")
      let run = try await client.execute(uri: "/api/v1/runs/1", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(try ReviewFixture.object(run)["findings"] as? Int, 9)
      let missing = try await client.execute(
        uri: "/api/v1/runs/99", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(missing.status, .notFound)
      let document = try ReviewFixture.object(
        try await client.execute(
          uri: "/api/v1/openapi.json", method: .get, headers: ReviewFixture.bearer(fixture.viewer)))
      XCTAssertEqual(document["openapi"] as? String, "3.1.0")
      XCTAssertNotNil((document["paths"] as? [String: Any])?["/api/v1/decisions:batch"])
    }
  }

  func testFailedSignInsFromOneAddressGet429() async throws {
    let fixture = try ReviewFixture(loginLimit: 3)
    try await fixture.app.test(.router) { client in
      for _ in 0..<3 {
        let response = try await client.execute(
          uri: "/api/v1/findings", method: .get, headers: ReviewFixture.bearer("guess"))
        XCTAssertEqual(response.status, .unauthorized)
      }
      let limited = try await client.execute(
        uri: "/api/v1/findings", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(limited.status, .tooManyRequests)
      XCTAssertNotNil(limited.headers[.retryAfter])
      let login = try await client.execute(
        uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: "token=guess&csrf=x"))
      XCTAssertEqual(login.status, .tooManyRequests)
    }
  }

  func testOneLogLinePerRequestWithStatusAndUser() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      _ = try await client.execute(uri: "/api/v1/health", method: .get)
      _ = try await client.execute(uri: "/api/v1/findings", method: .get, headers: ReviewFixture.bearer(fixture.reviewer))
      _ = try await client.execute(uri: "/api/v1/nothing", method: .get, headers: ReviewFixture.bearer(fixture.reviewer))
    }
    let lines = fixture.logLines.all
    XCTAssertEqual(lines.count, 3, "\(lines)")
    XCTAssertTrue(lines[0].hasPrefix("GET /api/v1/health 200 "), lines[0])
    XCTAssertTrue(lines[0].hasSuffix("ms -"), lines[0])
    XCTAssertTrue(lines[1].hasPrefix("GET /api/v1/findings 200 ") && lines[1].hasSuffix(" rita"), lines[1])
    XCTAssertTrue(lines[2].hasPrefix("GET /api/v1/nothing 404 "), lines[2])
  }
}
