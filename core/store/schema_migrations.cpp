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
