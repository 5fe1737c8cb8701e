#include "store/schema_migrations.h"

#include "store/sqlite_connection.h"

#include <array>

namespace signalbox::store::schema {

namespace {

struct Migration {
    int version;
    const char* what;
    const char* sql;
};

// Append only: never edit a migration that has shipped, add a new one instead.
constexpr std::array kMigrations{
    Migration{1, "runs, task instances, attempts, metrics", R"sql(
        CREATE TABLE runs (
            id             TEXT PRIMARY KEY,
            workflow       TEXT NOT NULL,
            status         TEXT NOT NULL,
            created_at_ms  INTEGER NOT NULL DEFAULT 0,
            started_at_ms  INTEGER NOT NULL DEFAULT 0,
            finished_at_ms INTEGER NOT NULL DEFAULT 0,
            workflow_path  TEXT NOT NULL DEFAULT '',
            workflow_yaml  BLOB,
            request_json   BLOB,
            max_concurrent INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX runs_by_created  ON runs (created_at_ms, id);
        CREATE INDEX runs_by_status   ON runs (status, created_at_ms, id);
        CREATE INDEX runs_by_workflow ON runs (workflow, created_at_ms, id);

        -- The primary key (run_id, idx) is also the "instances by run" index.
        CREATE TABLE task_instances (
            run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            idx            INTEGER NOT NULL,
            task_id        TEXT NOT NULL,
            repo           TEXT,
            repo_path      TEXT,
            status         TEXT NOT NULL,
            exit_code      INTEGER,
            signal         INTEGER,
            attempts       INTEGER NOT NULL DEFAULT 0,
            started_at_ms  INTEGER NOT NULL DEFAULT 0,
            finished_at_ms INTEGER NOT NULL DEFAULT 0,
            category       TEXT,
            error          TEXT,
            progress       TEXT,
            PRIMARY KEY (run_id, idx)
        ) WITHOUT ROWID;

        CREATE TABLE attempts (
            run_id         TEXT NOT NULL,
            idx            INTEGER NOT NULL,
            attempt        INTEGER NOT NULL,
            started_at_ms  INTEGER NOT NULL DEFAULT 0,
            finished_at_ms INTEGER NOT NULL DEFAULT 0,
            exit_code      INTEGER,
            signal         INTEGER,
            category       TEXT,
            error          TEXT,
            PRIMARY KEY (run_id, idx, attempt),
            FOREIGN KEY (run_id, idx) REFERENCES task_instances (run_id, idx) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE metrics (
            run_id TEXT NOT NULL,
            idx    INTEGER NOT NULL,
            name   TEXT NOT NULL,
            value  REAL NOT NULL,
            PRIMARY KEY (run_id, idx, name),
            FOREIGN KEY (run_id, idx) REFERENCES task_instances (run_id, idx) ON DELETE CASCADE
        ) WITHOUT ROWID;
    )sql"},
    Migration{2, "quality columns, log lines with a full-text index", R"sql(
        ALTER TABLE runs ADD COLUMN quality_gate REAL;
        ALTER TABLE runs ADD COLUMN quality_score REAL;

        -- Lines refer to their run by a small integer key: a compact table and index on
        -- the ingest hot path. No foreign key to runs: the store only writes lines for
        -- runs it has inserted. ids are rowids: increasing in insertion order.
        CREATE TABLE log_runs (
            key    INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL UNIQUE
        );
        CREATE TABLE log_lines (
            id      INTEGER PRIMARY KEY,
            run_key INTEGER NOT NULL,
            idx     INTEGER NOT NULL,
            stream  INTEGER NOT NULL,
            ts_ms   INTEGER NOT NULL,
            text    TEXT NOT NULL
        );
        CREATE INDEX log_lines_by_run ON log_lines (run_key, id);

        -- External content (the text lives once, in log_lines); detail=none keeps only
        -- rowids per token, which makes ingest fast. Word queries work; phrases are
        -- answered by ANDing the words and checking the text (see log_query.h). The store
        -- indexes new lines once per write batch (log_appender.h), so
        -- there is no insert trigger. A larger in-memory hash and automerge level mean
        -- fewer, larger segments written and merged while ingesting.
        -- columnsize=0: no per-row token counts (only bm25 ranking needs them; we order by id).
        CREATE VIRTUAL TABLE log_lines_fts USING fts5 (
            text, content='log_lines', content_rowid='id', detail=none, columnsize=0
        );
        INSERT INTO log_lines_fts (log_lines_fts, rank) VALUES ('hashsize', 33554432);
        INSERT INTO log_lines_fts (log_lines_fts, rank) VALUES ('automerge', 8);
        CREATE TRIGGER log_lines_fts_delete AFTER DELETE ON log_lines BEGIN
            INSERT INTO log_lines_fts (log_lines_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
    )sql"},
    Migration{3, "repository catalog", R"sql(
        CREATE TABLE catalog_repos (
            name        TEXT PRIMARY KEY,
            path        TEXT NOT NULL,
            tags        TEXT NOT NULL DEFAULT '[]',
            role        TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT ''
        );
    )sql"},
    Migration{4, "process group of running instances", R"sql(
        -- The pid of a running instance's child, which leads its own process group; NULL
        -- when not running. Crash recovery stops a group a killed engine left behind.
        ALTER TABLE task_instances ADD COLUMN pid INTEGER;
    )sql"},
    Migration{5, "dead letter queue, bulk jobs, audit journal, settings", R"sql(
        -- Integer codes are a file format (see README "Dead letter queue"):
        -- status 0 pending, 1 retrying, 2 exhausted, 3 completed, 4 archived;
        -- category 0 none, 1 transient, 2 network, 3 resource, 4 permission, 5 validation,
        -- 6 permanent; policy 0 never, 1 immediate, 2 linear, 3 exponential.
        -- The main table is narrow (list pages, filters, counts); recipes and history live
        -- in dlq_details, output tails in dlq_tails. Text columns used for filters and sorts
        -- are NOT NULL ('' = none) so keyset comparisons never meet NULL.
        CREATE TABLE dlq_entries (
            key              INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id           TEXT NOT NULL,
            idx              INTEGER NOT NULL,
            workflow         TEXT NOT NULL,
            task_id          TEXT NOT NULL,
            repo             TEXT NOT NULL,
            repo_path        TEXT NOT NULL,
            status           INTEGER NOT NULL,
            category         INTEGER NOT NULL,
            policy           INTEGER NOT NULL,
            attempts         INTEGER NOT NULL,
            max_retries      INTEGER NOT NULL,
            error            TEXT NOT NULL,
            exit_code        INTEGER,
            signal           INTEGER,
            signature        TEXT NOT NULL,
            enqueued_at_ms   INTEGER NOT NULL,
            updated_at_ms    INTEGER NOT NULL,
            next_retry_at_ms INTEGER
        );
        -- Each index ends with the rowid (key): an equality filter on its columns reads
        -- entries in key (= enqueue) order, which is the default sort and its keyset.
        -- Status and category share one index (counts, eviction, status+category pages);
        -- pages filtered by status or category alone walk the table in key order instead
        -- (see dlq_filter_sql.h): every index costs the enqueue path.
        CREATE INDEX dlq_by_status    ON dlq_entries (status, category);
        CREATE INDEX dlq_by_workflow  ON dlq_entries (workflow);
        CREATE INDEX dlq_by_task      ON dlq_entries (task_id);
        CREATE INDEX dlq_by_repo      ON dlq_entries (repo);
        CREATE INDEX dlq_by_signature ON dlq_entries (signature);
        CREATE INDEX dlq_by_instance  ON dlq_entries (run_id, idx);
        CREATE INDEX dlq_due ON dlq_entries (next_retry_at_ms)
            WHERE status = 0 AND next_retry_at_ms IS NOT NULL;

        CREATE TABLE dlq_details (
            key             INTEGER PRIMARY KEY REFERENCES dlq_entries (key) ON DELETE CASCADE,
            original_recipe TEXT NOT NULL,  -- JSON object
            edited_recipe   TEXT,           -- JSON object; NULL = not edited
            history         TEXT NOT NULL   -- JSON array, appended with json_insert
        );
        CREATE TABLE dlq_tails (
            key  INTEGER PRIMARY KEY REFERENCES dlq_entries (key) ON DELETE CASCADE,
            tail TEXT NOT NULL
        );

        -- Counts by status (dim 0), category (dim 1) and policy (dim 2): dlqStats reads
        -- these rows only. Enqueue adds its batch's counts itself (one statement per
        -- distinct value: cheaper than an insert trigger); updates and deletes go through
        -- the triggers below, in the same transaction.
        CREATE TABLE dlq_counts (
            dim   INTEGER NOT NULL,
            value INTEGER NOT NULL,
            n     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (dim, value)
        ) WITHOUT ROWID;
        INSERT INTO dlq_counts (dim, value) VALUES (0, 0), (0, 1), (0, 2), (0, 3), (0, 4),
            (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6),
            (2, 0), (2, 1), (2, 2), (2, 3);
        CREATE TRIGGER dlq_entries_count_update
        AFTER UPDATE OF status, category, policy ON dlq_entries
        WHEN old.status <> new.status OR old.category <> new.category OR old.policy <> new.policy
        BEGIN
            UPDATE dlq_counts SET n = n - 1 WHERE (dim = 0 AND value = old.status)
                OR (dim = 1 AND value = old.category) OR (dim = 2 AND value = old.policy);
            UPDATE dlq_counts SET n = n + 1 WHERE (dim = 0 AND value = new.status)
                OR (dim = 1 AND value = new.category) OR (dim = 2 AND value = new.policy);
        END;
        CREATE TRIGGER dlq_entries_count_delete AFTER DELETE ON dlq_entries
        BEGIN
            UPDATE dlq_counts SET n = n - 1 WHERE (dim = 0 AND value = old.status)
                OR (dim = 1 AND value = old.category) OR (dim = 2 AND value = old.policy);
        END;

        -- Entries by signature and status: group sizes (dlqGroups) without scanning
        -- entries. Same upkeep as dlq_counts.
        CREATE TABLE dlq_group_counts (
            signature TEXT NOT NULL,
            status    INTEGER NOT NULL,
            n         INTEGER NOT NULL,
            PRIMARY KEY (signature, status)
        ) WITHOUT ROWID;
        CREATE TRIGGER dlq_entries_group_update AFTER UPDATE OF status, signature ON dlq_entries
        WHEN old.status <> new.status OR old.signature <> new.signature
        BEGIN
            UPDATE dlq_group_counts SET n = n - 1 WHERE signature = old.signature AND status = old.status;
            INSERT INTO dlq_group_counts (signature, status, n) VALUES (new.signature, new.status, 1)
                ON CONFLICT (signature, status) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER dlq_entries_group_delete AFTER DELETE ON dlq_entries
        BEGIN
            UPDATE dlq_group_counts SET n = n - 1 WHERE signature = old.signature AND status = old.status;
        END;

        -- Lifetime counters (DlqCounters), by name.
        CREATE TABLE dlq_counters (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO dlq_counters (name) VALUES ('enqueued'), ('retry_success'), ('retry_failed'),
            ('exhausted'), ('manual_retries'), ('archived'), ('purged'), ('evicted');

        -- Bulk jobs: action 0 retry, 1 archive, 2 purge; state 0 queued, 1 running,
        -- 2 paused, 3 cancelled, 4 done. Items: result 0 pending, 1 succeeded, 2 failed,
        -- 3 skipped. Items keep their entry key even after the entry is gone.
        CREATE TABLE dlq_jobs (
            key            INTEGER PRIMARY KEY AUTOINCREMENT,
            action         INTEGER NOT NULL,
            state          INTEGER NOT NULL,
            actor          TEXT NOT NULL,
            selector       TEXT NOT NULL,
            created_at_ms  INTEGER NOT NULL,
            updated_at_ms  INTEGER NOT NULL,
            finished_at_ms INTEGER NOT NULL DEFAULT 0,
            total          INTEGER NOT NULL DEFAULT 0,
            done           INTEGER NOT NULL DEFAULT 0,
            succeeded      INTEGER NOT NULL DEFAULT 0,
            failed         INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX dlq_jobs_unfinished ON dlq_jobs (state) WHERE state IN (0, 1, 2);
        CREATE TABLE dlq_job_items (
            job_key        INTEGER NOT NULL REFERENCES dlq_jobs (key) ON DELETE CASCADE,
            entry_key      INTEGER NOT NULL,
            result         INTEGER NOT NULL DEFAULT 0,
            message        TEXT NOT NULL DEFAULT '',
            finished_at_ms INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (job_key, entry_key)
        ) WITHOUT ROWID;
        CREATE INDEX dlq_job_items_by_result ON dlq_job_items (job_key, result, entry_key);

        -- The audit journal: append only.
        CREATE TABLE audit_log (
            key     INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms   INTEGER NOT NULL,
            actor   TEXT NOT NULL,
            action  TEXT NOT NULL,
            target  TEXT NOT NULL,
            count   INTEGER NOT NULL,
            outcome TEXT NOT NULL
        );

        -- Settings kept in the data dir, by name ("dlq" -> DlqSettings JSON).
        CREATE TABLE settings (
            name  TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
    )sql"},
    Migration{6, "dead letter inbox: write-optimized enqueue", R"sql(
        -- Enqueue appends here: one row per entry, no secondary index, so a burst of
        -- failures costs about a plain insert each. The writer moves rows into
        -- dlq_entries/dlq_details/dlq_tails in chunks when it has nothing else to do,
        -- before any other dead letter write, and before Store::sync() returns. Keys come
        -- from dlq_entries' AUTOINCREMENT sequence (bumped at enqueue), so they are final.
        -- Counts (dlq_counts, dlq_group_counts, dlq_counters) include inbox rows already.
        CREATE TABLE dlq_inbox (
            key              INTEGER PRIMARY KEY,
            run_id           TEXT NOT NULL,
            idx              INTEGER NOT NULL,
            workflow         TEXT NOT NULL,
            task_id          TEXT NOT NULL,
            repo             TEXT NOT NULL,
            repo_path        TEXT NOT NULL,
            status           INTEGER NOT NULL,
            category         INTEGER NOT NULL,
            policy           INTEGER NOT NULL,
            attempts         INTEGER NOT NULL,
            max_retries      INTEGER NOT NULL,
            error            TEXT NOT NULL,
            exit_code        INTEGER,
            signal           INTEGER,
            signature        TEXT NOT NULL,
            enqueued_at_ms   INTEGER NOT NULL,
            updated_at_ms    INTEGER NOT NULL,
            next_retry_at_ms INTEGER,
            original_recipe  TEXT NOT NULL,
            edited_recipe    TEXT,
            history          TEXT NOT NULL,
            tail             TEXT NOT NULL
        );
    )sql"},
    Migration{7, "console reads: instances by finish time and by repo", R"sql(
        -- The console's overview groups finished instances per time bucket and lists the
        -- newest failures; its repositories view asks for the last result per repo. Both
        -- indexes are on task_instances only (one row per instance, never on the log
        -- ingest path). As a WITHOUT ROWID table, each index entry also carries
        -- (run_id, idx).
        CREATE INDEX task_instances_by_finished ON task_instances (finished_at_ms, status);
        CREATE INDEX task_instances_by_repo ON task_instances (repo, finished_at_ms);
    )sql"},
    Migration{8, "console reads: dead letters by enqueue and by resolution time", R"sql(
        -- The overview's dead letter depth over the window reads only the window's
        -- entries: those enqueued in it, and those completed/archived (status 3, 4) in it.
        -- Without them each refresh scanned every entry (2.2 s at 1,000,000).
        CREATE INDEX dlq_by_enqueued ON dlq_entries (enqueued_at_ms);
        CREATE INDEX dlq_by_resolved ON dlq_entries (status, updated_at_ms);
    )sql"},
};

} // namespace

int latestVersion() {
    return kMigrations.back().version;
}

std::optional<int> version(SqliteConnection& db, QString* error) {
    QString why;
    const auto value = db.queryInt("PRAGMA user_version", &why);
    if (!value) {
        if (error)
            *error = QStringLiteral("cannot read schema version of %1: %2").arg(db.path(), why);
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

bool migrate(SqliteConnection& db, int target, QString* error) {
    const auto current = version(db, error);
    if (!current)
        return false;
    if (*current > latestVersion()) {
        if (error)
            *error = QStringLiteral("database %1 has schema version %2, newer than this build supports (%3); "
                                    "use a newer Signalbox")
                         .arg(db.path())
                         .arg(*current)
                         .arg(latestVersion());
        return false;
    }
    if (target < 1 || target > latestVersion()) {
        if (error)
            *error = QStringLiteral("no schema version %1 (this build knows 1..%2)")
                         .arg(target)
                         .arg(latestVersion());
        return false;
    }
    for (const Migration& migration : kMigrations) {
        if (migration.version <= *current || migration.version > target)
            continue;
        QString why;
        // Another process may have opened the same new database at the same moment: the
        // version is read again under the write lock (BEGIN IMMEDIATE), so a migration
        // that process already applied is skipped instead of failing on "already exists".
        const bool ok = inTransaction(db, &why, [&] {
            const auto now = db.queryInt("PRAGMA user_version", &why);
            if (!now)
                return false;
            if (*now >= migration.version)
                return true;
            return db.exec(migration.sql, &why) &&
                   db.exec(QStringLiteral("PRAGMA user_version = %1").arg(migration.version), &why);
        });
        if (!ok) {
            if (error)
                *error = QStringLiteral("cannot migrate %1 to schema version %2 (%3): %4")
                             .arg(db.path())
                             .arg(migration.version)
                             .arg(QString::fromUtf8(migration.what), why);
            return false;
        }
    }
    return true;
}

} // namespace signalbox::store::schema
