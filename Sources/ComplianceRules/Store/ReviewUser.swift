import GRDB

/// What a user of `auditor serve` may do. Each role can do everything the one before it can.
public enum ReviewRole: String, Sendable, Codable, CaseIterable, Comparable, DatabaseValueConvertible {
  /// Reads the queue, findings, runs and rules.
  case viewer
  /// Also decides findings and uploads runs.
  case reviewer
  /// Also manages users.
  case admin

  public static func < (lhs: ReviewRole, rhs: ReviewRole) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// A row of `review_user` (migration "v5-review-user"): a person or system allowed to use `auditor serve`.
public struct ReviewUser: Codable, Sendable, Hashable {
  public var name: String
  public var role: ReviewRole
  /// SHA-256 of the token, hex.
  public var tokenHash: String
  /// ISO-8601 UTC.
  public var createdAt: String
  /// ISO-8601 UTC; nil while the user may sign in.
  public var revokedAt: String?

  public init(name: String, role: ReviewRole, tokenHash: String, createdAt: String, revokedAt: String? = nil) {
    self.name = name
    self.role = role
    self.tokenHash = tokenHash
    self.createdAt = createdAt
    self.revokedAt = revokedAt
  }

  enum CodingKeys: String, CodingKey {
    case name, role
    case tokenHash = "token_hash"
    case createdAt = "created_at"
    case revokedAt = "revoked_at"
  }
}

extension ReviewUser: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "review_user"
}
