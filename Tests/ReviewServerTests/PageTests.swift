import ComplianceRules
import Foundation
import Hummingbird
import HummingbirdTesting
import ListingParser
@testable import ReviewServer
import XCTest

final class PageTests: XCTestCase {
  static let hostile = "<img src=x onerror=alert(1)>"

  func testMerchantTextIsEscapedInEveryPageAndNoInlineScriptIsAllowed() async throws {
    let fixture = try ReviewFixture(findings: 3, evidence: { _ in Self.hostile })
    try await fixture.app.test(.router) { client in
      for uri in ["/", "/findings/\(fixture.id(0))", "/?q=%3Cimg", "/bulk", "/diff?from=1&to=1"] {
        let response = try await client.execute(uri: uri, method: .get, headers: ReviewFixture.bearer(fixture.reviewer))
        XCTAssertEqual(response.status, .ok, uri)
        let html = String(buffer: response.body)
        XCTAssertFalse(html.contains("<img"), "\(uri) renders merchant text as HTML")
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;") || uri == "/bulk" || uri.hasPrefix("/diff"), uri)
        let policy = try XCTUnwrap(response.headers[.contentSecurityPolicy])
        XCTAssertTrue(policy.contains("script-src 'self'"), policy)
        XCTAssertFalse(policy.contains("unsafe-inline"), policy)
        XCTAssertFalse(html.contains("<script>"), "\(uri) has an inline script")
      }
      let json = try await client.execute(
        uri: "/api/v1/findings", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(
        (try ReviewFixture.object(json)["findings"] as? [[String: Any]])?.first?["evidence"] as? String, Self.hostile)
    }
  }

  func testQueueFiltersByQueryKeysAndShowsFacets() async throws {
    let fixture = try ReviewFixture(findings: 12)
    try await fixture.app.test(.router) { client in
      let response = try await client.execute(
        uri: "/?listing=lx-1&area=health_food", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      let html = String(buffer: response.body)
      XCTAssertTrue(html.contains("<strong id=\"total\">2</strong>"), html)
      XCTAssertTrue(html.contains("href=\"/findings/\(fixture.id(3))\""))
      XCTAssertTrue(html.contains("href=\"/findings/\(fixture.id(5))\""))
      XCTAssertFalse(html.contains("href=\"/findings/\(fixture.id(4))\""))
      XCTAssertTrue(html.contains("<h2>area</h2>"))
      XCTAssertFalse(html.contains("id=\"bulk-link\""), "a viewer is offered bulk decisions")
    }
  }

  func testSignInSetsAStrictHttpOnlySessionAndFormsNeedItsCSRFToken() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      let form = try await client.execute(uri: "/login?next=/rules", method: .get)
      XCTAssertEqual(form.status, .ok)
      let loginCookie = try XCTUnwrap(Self.cookie("auditor_login_csrf", form))
      let loginCSRF = try XCTUnwrap(Self.hidden("csrf", String(buffer: form.body)))
      let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
      var headers = formType
      headers[.cookie] = "auditor_login_csrf=\(loginCookie)"
      let wrongToken = try await client.execute(
        uri: "/login", method: .post, headers: headers,
        body: ByteBuffer(string: "csrf=\(loginCSRF)&token=wrong&next=%2Frules"))
      XCTAssertEqual(wrongToken.status, .unauthorized)
      let noCSRF = try await client.execute(
        uri: "/login", method: .post, headers: formType, body: ByteBuffer(string: "token=\(fixture.reviewer)"))
      XCTAssertEqual(noCSRF.status, .forbidden)
      let signedIn = try await client.execute(
        uri: "/login", method: .post, headers: headers,
        body: ByteBuffer(string: "csrf=\(loginCSRF)&token=\(fixture.reviewer)&next=%2Frules"))
      XCTAssertEqual(signedIn.status, .seeOther)
      XCTAssertEqual(signedIn.headers[.location], "/rules")
      let setCookie = try XCTUnwrap(
        signedIn.headers[values: .setCookie].first { $0.hasPrefix("auditor_session=") })
      XCTAssertTrue(setCookie.contains("HttpOnly"), setCookie)
      XCTAssertTrue(setCookie.contains("SameSite=Strict"), setCookie)
      let session = try XCTUnwrap(Self.cookie("auditor_session", signedIn))
      let cookie: HTTPFields = [.cookie: "auditor_session=\(session)"]

      let page = try await client.execute(uri: "/findings/\(fixture.id(1))", method: .get, headers: cookie)
      XCTAssertEqual(page.status, .ok)
      let html = String(buffer: page.body)
      let csrf = try XCTUnwrap(Self.hidden("csrf", html))
      let version = try XCTUnwrap(Self.hidden("version", html))
      var post = cookie
      post[.contentType] = "application/x-www-form-urlencoded"
      let forged = try await client.execute(
        uri: "/findings/\(fixture.id(1))/decide", method: .post, headers: post,
        body: ByteBuffer(string: "csrf=forged&version=\(version)&status=false_positive&reason=brand"))
      XCTAssertEqual(forged.status, .forbidden)
      let decided = try await client.execute(
        uri: "/findings/\(fixture.id(1))/decide", method: .post, headers: post,
        body: ByteBuffer(string: "csrf=\(csrf)&version=\(version)&status=false_positive&reason=a+brand+name"))
      XCTAssertEqual(decided.status, .seeOther)
      let stale = try await client.execute(
        uri: "/findings/\(fixture.id(1))/decide", method: .post, headers: post,
        body: ByteBuffer(string: "csrf=\(csrf)&version=\(version)&status=accepted&reason=late"))
      XCTAssertEqual(stale.status, .preconditionFailed)
      let history = try fixture.store.decisions(fingerprint: ContentHash.hex("finding 1"))
      XCTAssertEqual(history.map(\.reason), ["a brand name"])

      let signOut = try await client.execute(
        uri: "/logout", method: .post, headers: post, body: ByteBuffer(string: "csrf=\(csrf)"))
      XCTAssertEqual(signOut.status, .seeOther)
      let after = try await client.execute(uri: "/", method: .get, headers: cookie)
      XCTAssertEqual(after.status, .seeOther, "the session outlived sign-out")
    }
  }

  func testBulkPreviewShowsTheCountAndConfirmDecidesTheFilter() async throws {
    let fixture = try ReviewFixture(findings: 12)
    try await fixture.app.test(.router) { client in
      let preview = try await client.execute(
        uri: "/bulk?area=advertising", method: .get, headers: ReviewFixture.bearer(fixture.reviewer))
      let html = String(buffer: preview.body)
      XCTAssertTrue(html.contains("<strong id=\"bulk-count\">6</strong>"), html)
      XCTAssertEqual(Self.hidden("expected_count", html), "6")
      let viewer = try await client.execute(uri: "/bulk", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(viewer.status, .forbidden)
      let confirm = try await client.execute(
        uri: "/bulk", method: .post,
        headers: ReviewFixture.bearer(fixture.reviewer, [.contentType: "application/x-www-form-urlencoded"]),
        body: ByteBuffer(string: "filter.area=advertising&expected_count=6&status=waived&reason=ends&until=2999-12-31"))
      XCTAssertEqual(confirm.status, .seeOther)
      XCTAssertEqual(try fixture.store.reviewCount(ReviewFilter(status: .waived), run: 1), 6)
      let moved = try await client.execute(
        uri: "/bulk", method: .post,
        headers: ReviewFixture.bearer(fixture.reviewer, [.contentType: "application/x-www-form-urlencoded"]),
        body: ByteBuffer(string: "filter.area=advertising&filter.status=open&status=open&expected_count=6&reason=again"))
      XCTAssertEqual(moved.status, .conflict)
    }
  }

  func testRunsRulesAndStaticAssets() async throws {
    let fixture = try ReviewFixture()
    try await fixture.app.test(.router) { client in
      for uri in ["/runs", "/runs/1", "/rules"] {
        let response = try await client.execute(uri: uri, method: .get, headers: ReviewFixture.bearer(fixture.viewer))
        XCTAssertEqual(response.status, .ok, uri)
      }
      let script = try await client.execute(uri: "/static/app.js", method: .get)
      XCTAssertEqual(script.status, .ok)
      XCTAssertEqual(script.headers[.contentType], "text/javascript; charset=utf-8")
      let missing = try await client.execute(uri: "/runs/77", method: .get, headers: ReviewFixture.bearer(fixture.viewer))
      XCTAssertEqual(missing.status, .notFound)
      XCTAssertEqual(missing.headers[.contentType], "text/html; charset=utf-8")
    }
  }

  static func cookie(_ name: String, _ response: TestResponse) -> String? {
    for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
      return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
    return nil
  }

  static func hidden(_ name: String, _ html: String) -> String? {
    guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
  }
}

final class SourceExcerptTests: XCTestCase {
  func testTheEvidenceLineIsCutAroundTheColumnAndAMissingFileGivesNone() throws {
    let file = NSTemporaryDirectory() + "excerpt-\(UUID().uuidString).html"
    let long = String(repeating: "前", count: 300) + "<p>本品治疗糖尿病</p>" + String(repeating: "后", count: 300)
    try "<html>\n\(long)\n</html>\n".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let excerpt = try XCTUnwrap(SourceExcerpt.line(file: file, line: 2, column: 306))
    XCTAssertTrue(excerpt.contains("<p>本品治疗糖尿病</p>"), excerpt)
    XCTAssertTrue(excerpt.hasPrefix("…") && excerpt.hasSuffix("…"), excerpt)
    XCTAssertLessThan(excerpt.count, 250)
    XCTAssertNil(SourceExcerpt.line(file: file, line: 9, column: 1))
    XCTAssertNil(SourceExcerpt.line(file: file + ".gone", line: 1, column: 1))
  }
}
