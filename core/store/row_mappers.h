#pragma once
// Records <-> rows. Each kXxxColumns list is the SELECT list its readXxx() expects, in order;
// each bindXxx() binds the parameters of the matching statement in store_sql.h.

#include "domain/records.h"

namespace signalbox::store {

class Statement;

namespace rows {

inline constexpr const char* kRunColumns =
    "id, workflow, status, created_at_ms, started_at_ms, finished_at_ms, workflow_path, workflow_yaml, "
    "request_json, max_concurrent, quality_gate, quality_score";
inline constexpr const char* kInstanceColumns = "run_id, idx, task_id, repo, repo_path, status, exit_code, "
                                                "signal, attempts, started_at_ms, finished_at_ms, "
                                                "category, error, progress, pid";
inline constexpr const char* kAttemptColumns =
    "run_id, idx, attempt, started_at_ms, finished_at_ms, exit_code, signal, category, error";
// Log lines are read FROM log_lines l JOIN log_runs r ON r.key = l.run_key.
inline constexpr const char* kLogColumns = "l.id, r.run_id, l.idx, l.stream, l.ts_ms, l.text";
inline constexpr const char* kCatalogColumns = "name, path, tags, role, description";

RunRecord readRun(const Statement& row);
InstanceRecord readInstance(const Statement& row);
AttemptRecord readAttempt(const Statement& row);
LogLine readLogLine(const Statement& row);
CatalogRepo readCatalogRepo(const Statement& row);

// Binds parameters 1..12 in kRunColumns order.
void bindRun(Statement& statement, const RunRecord& run);
// Binds parameters 1..15 in kInstanceColumns order.
void bindInstance(Statement& statement, const InstanceRecord& instance);
// Binds parameters 1..9 in kAttemptColumns order.
void bindAttempt(Statement& statement, const AttemptRecord& attempt);
// Binds parameters 1..5 in kCatalogColumns order.
void bindCatalogRepo(Statement& statement, const CatalogRepo& repo);

QString tagsToJson(const QStringList& tags);
QStringList tagsFromJson(const QString& json);

} // namespace rows
} // namespace signalbox::store
