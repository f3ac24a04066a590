/// A rule example: page HTML (or plain text) plus feed fields, run through the real parser and engine.
///
/// Examples are both the rule's tests and its documentation. `html` goes inside `<body>`; `feed` is a JSON object
/// whose fields override the default example listing (`{"id":"example","title":"示例商品"}`).
public struct Example: Sendable, Hashable {
  public var html: String
  /// JSON object text, e.g. `{"category":"保健食品/营养补充","price":99}`.
  public var feed: String?
  /// Where the example is written: `rulesets/x.yml:42` or a Swift file and line.
  public var source: String

  public init(_ html: String, feed: String? = nil, source: String) {
    self.html = html
    self.feed = feed
    self.source = source
  }

  public init(_ html: String, feed: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
    self.init(html, feed: feed, source: "\(file):\(line)")
  }
}
