import GRDB

/// The store's schema history. Append-only: a migration that has shipped is never edited, a change is a new
/// migration with a new name. Names are strings, not app types, because they describe the past. GRDB runs each
/// migration in its own transaction and records it in `grdb_migrations`, so opening a database again runs only
/// the new ones. Migrations spell values as literals, never through app enums, so a later enum change cannot
/// rewrite history.
///
/// The table and column comments below are the schema's documentation (the README copies them).
enum Migrations {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-runs-listings-findings", migrate: createRunsListingsFindings)
    migrator.registerMigration("v2-finding-status", migrate: createFindingStatus)
    migrator.registerMigration("v3-run-state", migrate: addRunState)
    migrator.registerMigration("v4-decision", migrate: createDecision)
    migrator.registerMigration("v5-review-user", migrate: ReviewMigrations.createReviewUser)
    return migrator
  }

  private static func createRunsListingsFindings(_ db: Database) throws {
    /// `run`: one row per `auditor check` invocation.
    try db.create(table: "run") { t in
      /// Increasing, never reused (AUTOINCREMENT), so "the last run" is the largest id even after pruning.
      t.autoIncrementedPrimaryKey("id")
      /// ISO-8601 UTC, e.g. `2025-01-31T08:00:00Z`.
      t.column("started_at", .text).notNull()
      /// ISO-8601 UTC; NULL while the run is going on or when it crashed.
      t.column("finished_at", .text)
      /// `auditor --version` of the binary that wrote the run.
      t.column("tool_version", .text).notNull()
      /// JSON array of the feed paths, as given on the command line.
      t.column("feeds", .text).notNull()
      /// JSON object of the options that change results (format, fail_on, jobs, rulesets…), keys sorted.
      t.column("options", .text).notNull()
      /// Listings checked in this run.
      t.column("listings_checked", .integer).notNull().defaults(to: 0)
      /// Listings skipped because their content hash was unchanged (incremental runs).
      t.column("listings_skipped", .integer).notNull().defaults(to: 0)
      /// Findings reported by this run.
      t.column("findings_count", .integer).notNull().defaults(to: 0)
      /// Input issues reported by this run.
      t.column("input_issues_count", .integer).notNull().defaults(to: 0)
      /// The process exit code; NULL until the run finishes.
      t.column("exit_code", .integer)
    }

    /// `listing`: one row per listing id ever seen, updated in place by later runs (never duplicated).
    /// The run columns are plain integers, not foreign keys, so pruning old runs never deletes listings.
    try db.create(table: "listing") { t in
      /// The feed's listing id.
      t.primaryKey("listing_id", .text)
      /// `ContentHash` of the feed record plus the detail page bytes when it was last checked; an incremental
      /// run skips the listing when the hash is the same.
      t.column("content_hash", .text).notNull()
      /// Where the record is: `feed path:line`.
      t.column("source", .text).notNull()
      /// The detail page path or URL; NULL when the listing has none.
      t.column("detail_page", .text)
      /// The run that first saw the listing in a feed.
      t.column("first_seen_run", .integer).notNull()
      /// The last run whose feeds contained the listing.
      t.column("last_seen_run", .integer).notNull()
      /// The last run that recorded its findings (an incremental run records an unchanged listing's findings
      /// again, carried from the run before).
      t.column("last_checked_run", .integer).notNull()
    }

    /// `finding`: every finding of every run. Deleting a run deletes its findings.
    try db.create(table: "finding") { t in
      /// Insertion order; no meaning beyond the row.
      t.primaryKey("id", .integer)
      /// The run that reported it.
      t.column("run_id", .integer).notNull().indexed().references("run", onDelete: .cascade)
      /// The listing it is about.
      t.column("listing_id", .text).notNull().indexed()
      /// Stable snake_case rule id.
      t.column("rule_id", .text).notNull()
      /// `Area` raw value, e.g. `health_food`.
      t.column("area", .text).notNull()
      /// `info`, `warning` or `error`.
      t.column("severity", .text).notNull().check { ["info", "warning", "error"].contains($0) }
      /// What is wrong and how to fix it.
      t.column("message", .text).notNull()
      /// The text that triggered the finding, as the page or feed has it.
      t.column("evidence", .text).notNull()
      /// File the evidence was read from (detail page or feed).
      t.column("file", .text).notNull()
      /// 1-based line; 0 when not known.
      t.column("line", .integer).notNull()
      /// 1-based column in Unicode scalars; 0 when not known.
      t.column("column", .integer).notNull()
      /// `Scope` raw value, e.g. `body`, `feed.title`.
      t.column("scope", .text).notNull()
      /// `law article [grade]`.
      t.column("citation", .text).notNull()
      /// Stable across runs and reformatting (rule, listing, normalised evidence); keys reviews.
      t.column("fingerprint", .text).notNull().indexed()
    }

    /// `input_issue`: problems with the input that are not findings (unreadable files, malformed records…).
    try db.create(table: "input_issue") { t in
      /// Insertion order, which is the order the run reported them.
      t.primaryKey("id", .integer)
      /// The run that reported it.
      t.column("run_id", .integer).notNull().indexed().references("run", onDelete: .cascade)
      /// `InputIssue.Kind` raw value, e.g. `malformed_record`.
      t.column("kind", .text).notNull()
      /// The file with the problem.
      t.column("file", .text).notNull()
      /// 1-based line; 0 when the problem is with the file as a whole.
      t.column("line", .integer).notNull()
      /// The listing concerned, when known.
      t.column("listing_id", .text)
      /// What is wrong.
      t.column("message", .text).notNull()
    }
  }

  private static func createFindingStatus(_ db: Database) throws {
    /// `finding_status`: the review state of a finding across runs, keyed by fingerprint; written after every run
    /// (`FindingsStore.updateStatuses`) and by `auditor findings set`. A fingerprint without a row is `open`.
    try db.create(table: "finding_status") { t in
      /// `finding.fingerprint`.
      t.primaryKey("fingerprint", .text)
      /// `open`, `accepted`, `waived`, `false_positive` or `fixed`.
      t.column("status", .text).notNull().defaults(to: "open")
        .check { ["open", "accepted", "waived", "false_positive", "fixed"].contains($0) }
      /// Why the status was set (required by the review commands for waived and false_positive).
      t.column("reason", .text)
      /// ISO-8601 date after which a waiver lapses; NULL for no limit.
      t.column("until", .text)
      /// Who set the status.
      t.column("changed_by", .text)
      /// ISO-8601 UTC of the last status change.
      t.column("changed_at", .text)
      /// The first run that reported the fingerprint (`MIN(finding.run_id)` for it).
      t.column("first_run", .integer).notNull()
      /// The last run that reported it (a run that checked the listing and found it again).
      t.column("last_run", .integer).notNull()
    }
  }

  private static func addRunState(_ db: Database) throws {
    try db.alter(table: "run") { t in
      /// `running` while its process works, `complete` once it finished, `incomplete` when its process died
      /// (killed, crashed) before finishing: the next writer to open the database sees no one holds the run's lock
      /// file (`RunLock`) and marks it. Rows from before this migration finished: `complete`.
      t.add(column: "state", .text).notNull().defaults(to: "complete")
        .check { ["running", "complete", "incomplete"].contains($0) }
    }
  }

  private static func createDecision(_ db: Database) throws {
    /// `decision`: the review history, append-only (never updated or deleted, except with its run): every status
    /// change of a fingerprint, by a reviewer (`auditor findings set`) or by `auditor` itself (fixed, reported
    /// again, waiver expired). `finding_status` holds the latest decision's status, reason and until for each
    /// fingerprint, written in the same transaction.
    try db.create(table: "decision") { t in
      /// Order of the decisions; the newest has the largest id.
      t.autoIncrementedPrimaryKey("id")
      /// `finding.fingerprint`.
      t.column("fingerprint", .text).notNull().indexed()
      /// The run the decision was made on: the last run that had reported the fingerprint, or the run whose
      /// result changed it. A plain integer, so pruning runs keeps the history.
      t.column("run_id", .integer).notNull()
      /// The status before; NULL for the entries carried over from `finding_status` by this migration.
      t.column("from_status", .text)
      /// The status after.
      t.column("to_status", .text).notNull()
        .check { ["open", "accepted", "waived", "false_positive", "fixed"].contains($0) }
      /// Why.
      t.column("reason", .text)
      /// Waivers: the ISO-8601 date after which the finding re-opens.
      t.column("until", .text)
      /// Who decided: a reviewer's name, or `auditor`.
      t.column("decided_by", .text).notNull()
      /// ISO-8601 UTC.
      t.column("decided_at", .text).notNull()
    }
    // What each fingerprint's status row says today becomes its first history entry; fingerprints still open that
    // no one ever touched have no history.
    try db.execute(
      sql: """
        INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
        SELECT fingerprint, last_run, NULL, status, reason, until, IFNULL(changed_by, 'auditor'),
          IFNULL(changed_at, IFNULL((SELECT started_at FROM run WHERE run.id = last_run), ''))
        FROM finding_status WHERE status != 'open' OR changed_at IS NOT NULL ORDER BY changed_at, fingerprint
        """)
  }
}
