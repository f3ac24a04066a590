import ComplianceRules
import Foundation
import Hummingbird

/// An error answered as `application/problem+json` (RFC 9457): `type` is a stable URN per kind of problem, which
/// clients branch on; `title` is fixed per type; `detail` says what happened this time.
struct Problem: Error, HTTPResponseError {
  let status: HTTPResponse.Status
  /// The last part of `type`, e.g. `stale-version`.
  let kind: String
  let title: String
  let detail: String
  var headers: HTTPFields = [:]
  /// Extra members for clients, e.g. the current count of a batch.
  var extra: [String: Int] = [:]

  var type: String { "urn:auditor:problem:\(kind)" }

  func response(from request: Request, context: some RequestContext) throws -> Response {
    var headers = self.headers
    headers[.contentType] = "application/problem+json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body())))
  }

  func body() -> Data {
    var object: [String: Any] = ["type": type, "title": title, "status": Int(status.code), "detail": detail]
    for (key, value) in extra { object[key] = value }
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
  }

  static let unauthorized = Problem(
    status: .unauthorized, kind: "unauthorized", title: "Sign-in required",
    detail: "send Authorization: Bearer TOKEN (from `auditor users add`), or sign in at /login",
    headers: [.wwwAuthenticate: "Bearer"])

  static func forbidden(_ role: ReviewRole) -> Problem {
    Problem(
      status: .forbidden, kind: "forbidden", title: "Role too small",
      detail: "this needs the \(role.rawValue) role or a larger one")
  }

  static func notFound(_ what: String) -> Problem {
    Problem(status: .notFound, kind: "not-found", title: "Not found", detail: what)
  }

  static func invalid(_ detail: String) -> Problem {
    Problem(status: .unprocessableContent, kind: "invalid-request", title: "Invalid request", detail: detail)
  }

  static func badRequest(_ detail: String) -> Problem {
    Problem(status: .badRequest, kind: "bad-request", title: "Malformed request", detail: detail)
  }

  static let ifMatchRequired = Problem(
    status: .preconditionRequired, kind: "if-match-required", title: "If-Match required",
    detail: "send the finding's ETag in If-Match, so a decision never overwrites one you have not seen")

  static func stale(current: String) -> Problem {
    Problem(
      status: .preconditionFailed, kind: "stale-version", title: "The finding changed",
      detail: "someone decided this finding after you read it; its ETag is now \(current): read it again",
      headers: [.eTag: current])
  }

  static func countChanged(expected: Int, actual: Int) -> Problem {
    Problem(
      status: .conflict, kind: "count-changed", title: "The filter matches a different number of findings",
      detail: "expected_count is \(expected) but the filter now matches \(actual): preview it again",
      extra: ["current_count": actual])
  }

  static func tooLarge(limit: Int) -> Problem {
    Problem(
      status: .contentTooLarge, kind: "too-large", title: "Request body too large",
      detail: "the body is larger than \(limit) bytes")
  }

  static func tooManyLogins(retryAfter: Int) -> Problem {
    Problem(
      status: .tooManyRequests, kind: "too-many-logins", title: "Too many failed sign-ins",
      detail: "too many failed sign-ins from this address: wait \(retryAfter) s",
      headers: [.retryAfter: String(retryAfter)])
  }

  static let csrf = Problem(
    status: .forbidden, kind: "csrf", title: "Form expired",
    detail: "the form's CSRF token does not match your session: reload the page and submit again")
}
