#pragma once
// Dead letter queue records <-> rows, and the integer codes the schema stores for enum
// values. The codes are a file format (README "Dead letter queue"): never renumber them.

#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"

#include <QByteArray>
#include <optional>

namespace signalbox::store {

class Statement;

namespace dlqrows {

// Enum <-> stored integer. Unknown stored values map to a safe default (never crash on a
// file written by a newer build that added a value).
int code(dlq::DlqStatus status);
int code(ErrorCategory category);
int code(dlq::RetryPolicy policy);
int code(dlq::BulkAction action);
int code(dlq::JobState state);
int code(dlq::ItemResult result);
dlq::DlqStatus statusFromCode(qint64 value);
ErrorCategory categoryFromCode(qint64 value);
dlq::RetryPolicy policyFromCode(qint64 value);
dlq::BulkAction actionFromCode(qint64 value);
dlq::JobState stateFromCode(qint64 value);
dlq::ItemResult resultFromCode(qint64 value);

// The list columns of dlq_entries (no details), in the order readEntry() expects; prefixed
// with "e." so the same list works in joins.
inline constexpr const char* kEntryColumns =
    "e.key, e.run_id, e.idx, e.workflow, e.task_id, e.repo, e.repo_path, e.status, e.category, e.policy, "
    "e.attempts, e.max_retries, e.error, e.exit_code, e.signal, e.signature, e.enqueued_at_ms, "
    "e.updated_at_ms, e.next_retry_at_ms";
inline constexpr int kEntryColumnCount = 19;
// Details, read after kEntryColumns FROM dlq_entries e LEFT JOIN dlq_details d USING (key)
// LEFT JOIN dlq_tails t USING (key).
inline constexpr const char* kDetailColumns = "d.original_recipe, d.edited_recipe, d.history, t.tail";

dlq::DeadLetter readEntry(const Statement& row);
// Fills original, edited, historyJson and outputTail from columns kEntryColumnCount.. .
void readDetails(const Statement& row, dlq::DeadLetter* entry);

// A recipe as compact JSON (dlq::toJson(recipe)) and back; bad JSON -> empty recipe.
QByteArray recipeJson(const dlq::LaunchRecipe& recipe);
dlq::LaunchRecipe recipeFromJson(const QByteArray& json);

inline constexpr const char* kJobColumns =
    "key, action, state, actor, selector, created_at_ms, updated_at_ms, "
    "finished_at_ms, total, done, succeeded, failed";
dlq::BulkJob readJob(const Statement& row);
inline constexpr const char* kJobItemColumns = "job_key, entry_key, result, message, finished_at_ms";
dlq::BulkJobItem readJobItem(const Statement& row);
inline constexpr const char* kAuditColumns = "key, at_ms, actor, action, target, count, outcome";
dlq::AuditRecord readAudit(const Statement& row);

} // namespace dlqrows
} // namespace signalbox::store
