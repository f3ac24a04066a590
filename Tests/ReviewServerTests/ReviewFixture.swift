import ComplianceRules
import Foundation
import Hummingbird
import HummingbirdTesting
import ListingParser
import ReviewServer
import XCTest

/// A store with one complete run of `count` findings over `count / 3` listings, a user of each role, and the
/// server over them (the built-in rules, log lines kept for the tests to read).
struct ReviewFixture {
  let store: FindingsStore
  let server: ReviewServer
  let viewer: String
  let reviewer: String
  let admin: String
  let logLines: LogLines

  final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
  }

  static let ruleSet: Ruleset = try! Ruleset.load(paths: [BuiltinRulesets.name])

  init(findings count: Int = 9, evidence: (Int) -> String = { "最好\($0)" }, loginLimit: Int = 5) throws {
    store = try FindingsStore.inMemory()
    let run = try store.beginRun(toolVersion: "test", feeds: ["feed.ndjson"], options: [:])
    let findings = (0..<count).map { index in
      Finding(
        listingID: "lx-\(index / 3)", ruleID: index % 2 == 0 ? "ad_absolute_terms" : "health_food_cure_claim",
        area: index % 2 == 0 ? .advertising : .healthFood, severity: index % 4 == 0 ? .warning : .error,
        message: "「\(evidence(index))」是禁用语。", evidence: evidence(index),
        location: SourceLocation(file: "pages/lx-\(index / 3).html", line: index + 1, column: 3, scope: .body),
        citation: "广告法 第九条 [C]", fingerprint: ContentHash.hex("finding \(index)"))
    }
    for (listing, group) in Dictionary(grouping: findings, by: \.listingID).sorted(by: { $0.key < $1.key }) {
      try store.record(
        runID: run, listingID: listing, contentHash: "h", source: "feed.ndjson:1", detailPage: nil, findings: group,
        issues: [])
    }
    try store.finishRun(
      run, listingsChecked: (count + 2) / 3, listingsSkipped: 0, findingsCount: count, inputIssuesCount: 0,
      exitCode: 1)
    try store.updateStatuses(runID: run, today: AuditRun.today())
    viewer = try Self.user("vera", .viewer, store)
    reviewer = try Self.user("rita", .reviewer, store)
    admin = try Self.user("adam", .admin, store)
    let lines = LogLines()
    logLines = lines
    server = try ReviewServer(
      store: store, ruleSet: Self.ruleSet,
      configuration: .init(
        port: 0, loginLimit: loginLimit, dataFolder: NSTemporaryDirectory(), log: { lines.append($0) }))
  }

  private static func user(_ name: String, _ role: ReviewRole, _ store: FindingsStore) throws -> String {
    let token = APIToken.generate()
    try store.addUser(name: name, role: role, tokenHash: APIToken.hash(token))
    return token
  }

  var app: some ApplicationProtocol { server.application() }

  func id(_ index: Int) -> String { String(ContentHash.hex("finding \(index)").prefix(12)) }

  static func bearer(_ token: String, _ more: HTTPFields = [:]) -> HTTPFields {
    var headers: HTTPFields = [.authorization: "Bearer \(token)"]
    headers.append(contentsOf: more)
    return headers
  }

  static func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
  }

  static func object(_ response: TestResponse) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
  }
}
