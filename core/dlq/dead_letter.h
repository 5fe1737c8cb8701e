#pragma once
// One dead letter: a task instance that failed (after its in-run retries), with
// everything needed to run it again and the whole story of what happened to it since.
// Plain data shared by the store, the queue service, the CLI and the GUI.

#include "dlq/retry_policy.h"
#include "domain/status.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::dlq {

// cli.md "DLQ status". Active = pending, retrying, exhausted (they count toward capacity
// and are never evicted); completed and archived make room when the queue is full.
enum class DlqStatus { Pending, Retrying, Exhausted, Completed, Archived };
QString toString(DlqStatus status);
std::optional<DlqStatus> dlqStatusFromString(const QString& text);
bool isActive(DlqStatus status);

// What runs: the resolved argv, the environment the plan adds on top of the parent's
// (workflow env, task env, SIGNALBOX_*), the absolute working dir and the pool name.
struct LaunchRecipe {
    QStringList argv;
    QMap<QString, QString> env;
    QString workingDir;
    QString pool;

    bool operator==(const LaunchRecipe&) const = default;
};

// "d_<key>": the key is the store's row id, never reused (AUTOINCREMENT).
QString entryId(qint64 key);
std::optional<qint64> entryKeyFromId(const QString& id); // nullopt unless "d_<positive int>"

struct DeadLetter {
    qint64 key = 0; // assigned by the store on enqueue
    QString runId;
    int index = 0; // instance index in the run's plan
    QString workflow;
    QString taskId;
    QString repo;     // empty = task without for_each (JSON null)
    QString repoPath; // for signatures and display; not part of the recipe
    DlqStatus status = DlqStatus::Pending;
    ErrorCategory category = ErrorCategory::Permanent;
    RetryPolicy policy = RetryPolicy::Never;
    int attempts = 1; // failures recorded: 1 at enqueue, +1 per failed retry
    int maxRetries = kDefaultMaxRetries;
    QString error; // one line, of the latest failure
    std::optional<int> exitCode;
    std::optional<int> signal;
    QString signature; // errorSignature(taskId, error, repoPath)
    qint64 enqueuedAtMs = 0;
    qint64 updatedAtMs = 0;
    std::optional<qint64> nextRetryAtMs; // pending with an automatic retry due; else nullopt

    // Details: filled by Store::dlqEntry (one entry), not by list queries.
    LaunchRecipe original;
    std::optional<LaunchRecipe> edited; // edit-and-retry; the recipe used from then on
    QString outputTail;                 // last lines of stdout/stderr of the latest failure
    // JSON array, oldest first, appended to, never rewritten: see dlq/history.h.
    QByteArray historyJson;

    QString id() const { return entryId(key); }
    int retriesDone() const { return attempts > 0 ? attempts - 1 : 0; }
    const LaunchRecipe& recipe() const { return edited ? *edited : original; }
};

} // namespace signalbox::dlq
