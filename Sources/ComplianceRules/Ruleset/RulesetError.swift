/// A problem with a ruleset or configuration file, found before any input is read (exit code 2).
public struct RulesetError: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// 1-based; 0 when the problem is with the file as a whole.
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `rulesets/advertising-law.yml:12: unknown key 'term' in rule 'ad_absolute_terms' (expected one of …)`
  public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Several ruleset errors at once, so an author fixes them in one go.
public struct RulesetErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [RulesetError]
  public init(_ errors: [RulesetError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
