import ArgumentParser
import ComplianceRules
import Foundation
import PostgresStore

/// The one place a `--db` value becomes a store: a SQLite file path, or a `postgres://…` URL.
enum StoreLocation {
  /// `db` as messages and reports show it: a PostgreSQL URL without its password (from the URL, PGPASSWORD or
  /// ~/.pgpass, it never reaches output), a file path as given.
  static func display(_ db: String) -> String {
    guard PostgresURL.isPostgres(db) else { return db }
    return (try? PostgresURL(db).description) ?? "the PostgreSQL database given with --db"
  }

  /// Opens the store to write, creating (SQLite) or migrating it as needed. Exits 2 when it cannot be opened.
  static func open(_ db: String) throws -> any AuditStore {
    try opening(db) { url -> any AuditStore in
      if let url { return try PostgresAuditStore.open(url) }
      return try FindingsStore(path: db)
    }
  }

  /// Opens the store only to read, so a read-only SQLite file or folder works; it must exist.
  static func openForReading(_ db: String) throws -> any AuditStore {
    try openForReviewReading(db)
  }

  /// Opens the store with the review queue and the users (`serve`, `users`), to write.
  static func openForReview(_ db: String) throws -> any ReviewStore {
    try opening(db) { url -> any ReviewStore in
      if let url { return try PostgresAuditStore.open(url) }
      return try FindingsStore(path: db)
    }
  }

  /// Opens the store with the review queue and the users only to read; it must exist.
  static func openForReviewReading(_ db: String) throws -> any ReviewStore {
    try checkExists(db)
    return try opening(db) { url -> any ReviewStore in
      if let url { return try PostgresAuditStore.open(url) }
      return try FindingsStore.reading(path: db)
    }
  }

  /// For the commands that read what a run recorded: a missing SQLite file is a mistake, not a new database.
  static func checkExists(_ db: String) throws {
    if !PostgresURL.isPostgres(db), !FileManager.default.fileExists(atPath: db) {
      throw ValidationError("no database at \(db): run `auditor check FEED --db \(db)` first")
    }
  }

  /// Parses `db` and opens it with `open` (given the URL for PostgreSQL, nil for a SQLite path).
  private static func opening<Store>(_ db: String, _ open: (PostgresURL?) throws -> Store) throws -> Store {
    let url: PostgresURL?
    do {
      url = PostgresURL.isPostgres(db) ? try PostgresURL(db) : nil
    } catch {
      throw ValidationError("--db: \(error)")
    }
    do {
      return try open(url)
    } catch {
      Stderr.write("auditor: cannot open database \(display(db)): \(error)")
      throw ExitCode(2)
    }
  }
}
