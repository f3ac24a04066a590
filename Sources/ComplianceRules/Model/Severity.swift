/// How much a finding matters. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
  /// A hint: worth a look, not a breach on its own (unconfirmed law, a heuristic check digit).
  case info
  /// Probably a breach, or a breach that depends on facts the page cannot show.
  case warning
  /// A breach of the cited article as written.
  case error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
