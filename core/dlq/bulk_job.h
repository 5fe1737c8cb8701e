#pragma once
// A bulk action over many dead letters (retry, archive, purge), run as a durable job:
// its entries are fixed when it is created (so a dry run's count is what it touches),
// each entry gets its own result, and a job left running by a dead process continues
// when the next engine host starts.

#include <QByteArray>
#include <QString>
#include <optional>

namespace signalbox::dlq {

enum class BulkAction { Retry, Archive, Purge };
QString toString(BulkAction action);
std::optional<BulkAction> bulkActionFromString(const QString& text);

enum class JobState { Queued, Running, Paused, Cancelled, Done };
QString toString(JobState state);
std::optional<JobState> jobStateFromString(const QString& text);
bool isFinished(JobState state); // cancelled or done

struct BulkJob {
    qint64 key = 0; // assigned by the store; id "j_<key>"
    BulkAction action = BulkAction::Retry;
    JobState state = JobState::Queued;
    QString actor;    // who asked (audit)
    QString selector; // one line describing the ids/filter/group, for people
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    qint64 finishedAtMs = 0; // 0 while not finished
    qint64 total = 0;        // entries fixed at creation
    qint64 done = 0;         // entries with a result
    qint64 succeeded = 0;
    qint64 failed = 0; // includes skipped (e.g. retry of a completed entry)

    QString id() const;
};
QString jobId(qint64 key);
std::optional<qint64> jobKeyFromId(const QString& id);

enum class ItemResult { Pending, Succeeded, Failed, Skipped };
QString toString(ItemResult result);

struct BulkJobItem {
    qint64 jobKey = 0;
    qint64 entryKey = 0;
    ItemResult result = ItemResult::Pending;
    QString message; // why it failed or was skipped; empty otherwise
    qint64 finishedAtMs = 0;
};

} // namespace signalbox::dlq
