import ComplianceRules
import Foundation
import Hummingbird
import Mustache

/// Renders the review pages from the Mustache templates in `Web/templates`. Mustache's `{{name}}` escapes HTML, and
/// the templates use nothing else for data (no `{{{…}}}`), so merchant text always arrives as text.
struct PageRenderer: Sendable {
  let library: MustacheLibrary

  init() throws {
    var library = MustacheLibrary()
    for (path, text) in WebAssets.files where path.hasPrefix("templates/") && path.hasSuffix(".mustache") {
      let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
      try library.register(text, named: name)
    }
    self.library = library
  }

  /// `template` filled with `values` plus what the header needs: the page title, the user and the CSRF token of
  /// their session (for the sign-out form).
  func page(
    _ template: String, title: String, user: ReviewUser?, csrf: String? = nil, values: [String: Any],
    status: HTTPResponse.Status = .ok
  ) -> Response {
    var values = values
    values["title"] = title
    if let user { values["user"] = ["name": user.name, "role": user.role.rawValue] as [String: Any] }
    if let csrf { values["csrf"] = csrf }
    let html = library.render(values, withTemplate: template) ?? ""
    return Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: html)))
  }

  func errorPage(_ problem: Problem, user: ReviewUser?) -> Response {
    page(
      "error", title: problem.title, user: user,
      values: ["heading": "\(problem.status.code) \(problem.title)", "detail": problem.detail], status: problem.status)
  }

  /// `text` split around the first occurrence of `evidence`, for the templates to wrap that part in `<mark>`.
  static func marked(_ text: String, _ evidence: String) -> [[String: Any]] {
    guard !evidence.isEmpty, let range = text.range(of: evidence) else { return [["text": text, "mark": false]] }
    return [
      ["text": String(text[..<range.lowerBound]), "mark": false], ["text": evidence, "mark": true],
      ["text": String(text[range.upperBound...]), "mark": false],
    ]
  }
}
