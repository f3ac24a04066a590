import GRDB

/// The schema `auditor serve` adds (registered in `Migrations.migrator`, after the migrations before it). Kept apart
/// so the review service's tables read as one piece.
enum ReviewMigrations {
  static func createReviewUser(_ db: Database) throws {
    /// `review_user`: the people and systems that may use `auditor serve`, made by `auditor users add`. A revoked
    /// user keeps its row (its name is in the decision history) and can no longer sign in.
    try db.create(table: "review_user") { t in
      /// The name decisions are recorded under (`decision.decided_by`).
      t.primaryKey("name", .text)
      /// `viewer` (reads), `reviewer` (also decides) or `admin` (also manages users).
      t.column("role", .text).notNull().check { ["viewer", "reviewer", "admin"].contains($0) }
      /// SHA-256 of the API token, hex; the token itself is shown once and never stored.
      t.column("token_hash", .text).notNull().unique()
      /// ISO-8601 UTC.
      t.column("created_at", .text).notNull()
      /// ISO-8601 UTC; NULL while the user may sign in.
      t.column("revoked_at", .text)
    }
  }
}
