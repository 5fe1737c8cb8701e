#pragma once
// How dead letters, groups, stats, bulk jobs and audit records look on the CLI: the JSON
// shapes of cli.md (`dlq list`, `dlq list --group`, `dlq stats`) plus the extras of
// `dlq show`, `dlq jobs` and `dlq audit`, and their text forms.

#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "dlq/dlq_settings.h"
#include "domain/records.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

// cli.md's entry: id, run_id, workflow, task, repo, status, category, policy, attempts,
// max_retries, error, signature, enqueued_at, next_retry_at (exactly these keys).
QJsonObject dlqEntryToJson(const dlq::DeadLetter& entry);
// The entry plus updated_at, exit_code, signal, command, env, working_dir, pool, original,
// edited (recipe or null), output_tail, history and the run's attempts of the instance.
QJsonObject dlqEntryDetailsToJson(const dlq::DeadLetter& entry, const QList<AttemptRecord>& attempts);
// {"signature","sample_error","count","ids"} plus task, newest, oldest.
QJsonObject dlqGroupToJson(const dlq::DlqGroup& group);
// cli.md's stats object plus strategy, processor {enabled, interval_seconds, parallelism},
// over_capacity and removed {purged, evicted}.
QJsonObject dlqStatsToJson(const dlq::DlqStats& stats, const dlq::DlqSettings& settings);
QJsonObject dlqJobToJson(const dlq::BulkJob& job);
QJsonObject dlqJobItemToJson(const dlq::BulkJobItem& item);
QJsonObject dlqAuditToJson(const dlq::AuditRecord& record);

// Text forms.
QString formatDlqEntries(const QList<dlq::DeadLetter>& entries);
QString formatDlqGroups(const QList<dlq::DlqGroup>& groups);
QString formatDlqEntryDetails(const dlq::DeadLetter& entry, const QList<AttemptRecord>& attempts);
QString formatDlqStats(const dlq::DlqStats& stats, const dlq::DlqSettings& settings);
QString formatDlqJobs(const QList<dlq::BulkJob>& jobs);
QString formatDlqJob(const dlq::BulkJob& job);
QString formatDlqAudit(const QList<dlq::AuditRecord>& records);

// The queue's settings as stored in the data dir (defaults when none or unreadable).
dlq::DlqSettings storedDlqSettings(const store::Store& store);
// Stats as the queue computes them: store counts plus max_size and utilization.
dlq::DlqStats dlqStatsFromStore(const store::Store& store, const dlq::DlqSettings& settings);

} // namespace signalbox::cli
