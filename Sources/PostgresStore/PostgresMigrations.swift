import Foundation
import PostgresNIO

/// The PostgreSQL schema's history. Append-only, as the SQLite store's (`Migrations`): a migration that has shipped
/// is never edited; a change is a new entry. Each is applied once, in its own transaction, and recorded in
/// `schema_migrations`; an advisory lock makes processes that start together apply them one at a time.
///
/// The tables and their meanings are the SQLite store's (`run`, `listing`, `finding`, `input_issue`,
/// `finding_status`, `decision`: see README "Database"), so the same questions get the same answers; `job` and
/// `worker` are the queue's.
enum PostgresMigrations {
  static let all: [(name: String, sql: String)] = [
    ("v1-store", store),
    ("v2-queue", queue),
    ("v3-run-owner", runOwner),
    ("v4-review-user", reviewUser),
  ]

  /// What runs before the migrations, in their transaction: the lock that makes processes apply them one at a
  /// time, and the table that records them.
  static let preamble = [
    "SELECT pg_advisory_xact_lock(7365021)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)",
  ]

  /// What brings a database that has had the migrations `applied` up to date, in order: each missing migration's
  /// statements, then the row that records it. Run after `preamble`, in its transaction.
  static func pending(applied: Set<String>) -> [PostgresQuery] {
    all.filter { !applied.contains($0.name) }.flatMap { migration -> [PostgresQuery] in
      statements(migration.sql).map { PostgresQuery(unsafeSQL: $0) }
        + ["INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), now())"]
    }
  }

  /// A migration's statements one by one: the extended protocol takes one statement at a time.
  static func statements(_ sql: String) -> [String] {
    sql.components(separatedBy: ";\n").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
    }.filter { !$0.isEmpty }
  }

  /// The store: the SQLite schema, v1 to v4, in PostgreSQL types. Times stay ISO-8601 text as in SQLite, so both
  /// stores read and write them the same way.
  private static let store = """
    CREATE TABLE run (
      id bigserial PRIMARY KEY,
      started_at text NOT NULL,
      finished_at text,
      tool_version text NOT NULL,
      feeds text NOT NULL,
      options text NOT NULL,
      listings_checked integer NOT NULL DEFAULT 0,
      listings_skipped integer NOT NULL DEFAULT 0,
      findings_count integer NOT NULL DEFAULT 0,
      input_issues_count integer NOT NULL DEFAULT 0,
      exit_code integer,
      state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'complete', 'incomplete'))
    );
    CREATE TABLE listing (
      listing_id text PRIMARY KEY,
      content_hash text NOT NULL,
      source text NOT NULL,
      detail_page text,
      first_seen_run bigint NOT NULL,
      last_seen_run bigint NOT NULL,
      last_checked_run bigint NOT NULL
    );
    CREATE TABLE finding (
      id bigserial PRIMARY KEY,
      run_id bigint NOT NULL REFERENCES run ON DELETE CASCADE,
      listing_id text NOT NULL,
      rule_id text NOT NULL,
      area text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
      message text NOT NULL,
      evidence text NOT NULL,
      file text NOT NULL,
      line integer NOT NULL,
      "column" integer NOT NULL,
      scope text NOT NULL,
      citation text NOT NULL,
      fingerprint text NOT NULL
    );
    CREATE INDEX finding_run_id ON finding (run_id);
    CREATE INDEX finding_listing_id ON finding (listing_id);
    CREATE INDEX finding_fingerprint ON finding (fingerprint);
    CREATE TABLE input_issue (
      id bigserial PRIMARY KEY,
      run_id bigint NOT NULL REFERENCES run ON DELETE CASCADE,
      kind text NOT NULL,
      file text NOT NULL,
      line integer NOT NULL,
      listing_id text,
      message text NOT NULL
    );
    CREATE INDEX input_issue_run_id ON input_issue (run_id);
    CREATE TABLE finding_status (
      fingerprint text PRIMARY KEY,
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'accepted', 'waived', 'false_positive', 'fixed')),
      reason text,
      until text,
      changed_by text,
      changed_at text,
      first_run bigint NOT NULL,
      last_run bigint NOT NULL
    );
    CREATE TABLE decision (
      id bigserial PRIMARY KEY,
      fingerprint text NOT NULL,
      run_id bigint NOT NULL,
      from_status text,
      to_status text NOT NULL CHECK (to_status IN ('open', 'accepted', 'waived', 'false_positive', 'fixed')),
      reason text,
      until text,
      decided_by text NOT NULL,
      decided_at text NOT NULL
    );
    CREATE INDEX decision_fingerprint ON decision (fingerprint);
    """

  /// The queue. `job` holds one listing of a run: its feed record and page bytes (a worker needs nothing else), its
  /// state, and its lease. A lease is an owner (`worker.id`), a token (new at every claim: the fence a finalize
  /// must still match) and an expiry (renewed while the worker works; once passed, any worker takes the job back).
  /// A done job keeps its owner: the worker that checked it.
  private static let queue = """
    ALTER TABLE run ADD COLUMN sealed boolean NOT NULL DEFAULT true;
    COMMENT ON COLUMN run.sealed IS
      'false while auditor queue add is still enqueueing: a run completes only once sealed and every job finished';
    CREATE TABLE job (
      id bigserial PRIMARY KEY,
      run_id bigint NOT NULL REFERENCES run ON DELETE CASCADE,
      seq integer NOT NULL,
      listing_id text NOT NULL,
      record_file text NOT NULL,
      record_line integer NOT NULL,
      record bytea NOT NULL,
      record_column integer NOT NULL,
      page_path text NOT NULL DEFAULT '',
      page bytea,
      page_issues text NOT NULL DEFAULT '[]',
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL,
      lease_owner text,
      lease_token uuid,
      lease_expires_at timestamptz,
      last_error text,
      suppressed integer NOT NULL DEFAULT 0,
      finished_at timestamptz,
      CHECK ((state = 'leased') = (lease_token IS NOT NULL)),
      UNIQUE (run_id, seq)
    );
    CREATE INDEX job_pending ON job (id) WHERE state = 'pending';
    CREATE INDEX job_leases ON job (lease_expires_at) WHERE state = 'leased';
    CREATE INDEX job_run_state ON job (run_id, state);
    CREATE TABLE worker (
      id text PRIMARY KEY,
      host text NOT NULL,
      pid integer NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      stopped_at timestamptz
    );
    ALTER TABLE finding ADD COLUMN job_id bigint;
    CREATE INDEX finding_job_id ON finding (job_id);
    """

  /// The single-process writer (`auditor check --db postgres://…`, `PostgresAuditStore`). A run it writes is
  /// `running` only while the writing process lives: that process's session holds the advisory lock
  /// (`owner_lock_class`, run id) from before the row is visible until the run is finished, and the server drops
  /// it when the session ends however the process ended (`kill -9` included). Queue runs are not held by one
  /// process and keep `owner_lock` false. `listing.seq` orders listings as first stored, as SQLite's rowid does.
  /// `job.record_format` says how a worker reads `job.record` back (`RawRecord.Format`): a JSON record's bytes, or
  /// a CSV row with its feed's header.
  private static let runOwner = """
    ALTER TABLE run ADD COLUMN owner_lock boolean NOT NULL DEFAULT false;
    COMMENT ON COLUMN run.owner_lock IS
      'true for a run written by one process (auditor check): running only while its session holds the '
      'advisory lock (7365022, id); otherwise it reads incomplete';
    ALTER TABLE job ADD COLUMN record_format text NOT NULL DEFAULT 'json' CHECK (record_format IN ('json', 'csv_row'));
    ALTER TABLE listing ADD COLUMN seq bigserial;
    CREATE INDEX listing_last_checked_run ON listing (last_checked_run)
    """

  /// The users of `auditor serve`, as SQLite's `v5-review-user`.
  private static let reviewUser = """
    CREATE TABLE review_user (
      name text PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
      token_hash text NOT NULL UNIQUE,
      created_at text NOT NULL,
      revoked_at text
    )
    """
}
