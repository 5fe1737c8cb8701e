#pragma once
// The dead letter queue service. Lives on the engine's thread, next to the engine:
// - as the engine's OutcomeSink it turns every failed instance into an entry (by the
//   integration strategy), or, for an instance it is retrying, records the outcome on
//   that entry (completed; or the next retry scheduled; or exhausted);
// - its retry processor wakes every settings().intervalSeconds and retries due entries,
//   at most settings().parallelism at once, through the engine (the normal scheduler
//   and pools), in the entry's original run;
// - manual actions (retry, edit-and-retry, archive, purge, enqueue) are checked, applied
//   and written to the audit journal.
// Every signal is emitted after the change it announces has committed.

#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "dlq/dlq_settings.h"
#include "domain/commit_announcer.h"
#include "engine/instance_outcome.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <functional>
#include <memory>

namespace signalbox::engine {
class Engine;
}
namespace signalbox::store {
class Store;
}

namespace signalbox::dlq {

// A new recipe for edit-and-retry; unset parts keep the entry's current recipe.
struct RecipeEdit {
    std::optional<QStringList> argv;
    std::optional<QMap<QString, QString>> env;
    std::optional<QString> workingDir;
};

class DeadLetterQueue final : public QObject, public engine::OutcomeSink {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLetterQueue)
public:
    // Installs itself as the engine's outcome sink and loads the settings from the store
    // (defaults when none are stored). The processor does not run until startProcessor().
    // allowedRoots: as EngineOptions::allowedRoots, for edited working dirs.
    DeadLetterQueue(store::Store& store, engine::Engine& engine, QStringList allowedRoots = {},
                    QObject* parent = nullptr);
    ~DeadLetterQueue() override; // unsets itself as the engine's sink

    DlqSettings settings() const { return m_settings; }
    // Validates, stores and applies (the processor picks up a new interval at once);
    // audited as "settings". False + one-line error naming the field.
    bool setSettings(const DlqSettings& settings, const QString& actor, QString* error);

    // For the process that owns the data dir, at start: entries left `retrying` by a dead
    // process become pending and due now (history "interrupted"). Returns how many.
    int recover();

    void startProcessor(); // periodic retries (if settings().processorEnabled)
    void stopProcessor();
    bool processorRunning() const;
    // One processor cycle now: starts retries of due entries up to the free parallelism.
    // Returns how many retries it started.
    int processDue();

    // Manual retry of entries (any status but completed), in the order given, all started
    // now (not throttled: callers with many entries use a BulkJobRunner). Refuses the whole
    // request, changing nothing, when an id is unknown or completed (one line naming it).
    // Audited ("retry"). The outcomes arrive as retryFinished().
    bool retry(const QList<qint64>& keys, const QString& actor, QString* error);
    // Replaces the recipe (validated like a workflow: argv not empty, env names valid,
    // working dir an existing directory inside the allowed roots after resolving symlinks),
    // keeps the original and records the edit in the history, then retries. Audited ("edit-retry").
    bool editAndRetry(qint64 key, const RecipeEdit& edit, const QString& actor, QString* error);
    // Archives entries (any status but retrying); audited. Returns how many changed.
    std::optional<int> archive(const QList<qint64>& keys, const QString& actor, QString* error);
    // Deletes archived entries for good; others are refused (error names the first one).
    std::optional<int> purge(const QList<qint64>& keys, const QString& actor, QString* error);
    // Manual strategy: makes a dead letter of a failed instance that has none.
    std::optional<qint64> enqueueInstance(const QString& runId, int index, const QString& actor,
                                          QString* error);

    // For BulkJobRunner (the job is audited, not each entry): the checks of retry() for one
    // entry, then its retry starts. False + one line why it was not started.
    bool startRetryOf(qint64 key, const QString& actor, QString* error);
    // For BulkJobRunner: archives what can be archived; per key, empty = archived (or was
    // already), else why not.
    QHash<qint64, QString> archiveEntries(const QList<qint64>& keys, const QString& actor);

    // Retries started by this queue and not finished yet (processor, manual, jobs).
    int retriesInFlight() const { return static_cast<int>(m_inFlight.size()); }
    bool isRetrying(qint64 key) const { return m_inFlight.contains(key); }

    DlqStats stats() const; // store counts + maxSize/utilization from the settings

    // engine::OutcomeSink
    void instanceFailed(const engine::FailedInstance& failure) override;
    void instanceFinished(const InstanceRecord& instance) override;

Q_SIGNALS:
    void entriesEnqueued(const QList<qint64>& keys);
    void entryChanged(qint64 key, signalbox::dlq::DlqStatus status);
    // A retry this queue started has ended: succeeded (entry completed) or not (entry
    // pending with its next retry, or exhausted); `error` is the failure's one line.
    void retryFinished(qint64 key, bool succeeded, const QString& error);
    // The queue holds more than maxSize entries and only active ones are left: the new
    // entries were stored anyway. Also logged as a warning.
    void overCapacity(qint64 size, int maxSize);

private:
    struct InFlight {
        DeadLetter entry; // as it was when the retry started
        QString actor;    // "auto" for the processor
    };
    // Why `entry` cannot be retried by hand now; empty when it can.
    QString retryRefusal(const std::optional<DeadLetter>& entry, qint64 key) const;
    bool startRetry(const DeadLetter& entry, const QString& actor, bool manual, QString* error);
    // Why `entry` cannot be archived now; empty when it can.
    QString archiveRefusal(const std::optional<DeadLetter>& entry, qint64 key) const;
    // Archives entries already checked (none archived yet); announced after commit.
    void writeArchived(const QList<qint64>& keys, const QString& actor);
    void recordRetryFailure(const DeadLetter& entry, const QString& error, ErrorCategory category,
                            std::optional<int> exitCode, std::optional<int> signal, const QString& outputTail,
                            const QString& dlqPolicy, const QString& actor);
    // Stores a new entry for the failure; `stored` gets its key (on the writer thread).
    void enqueueNewWith(const engine::FailedInstance& failure, std::function<void(qint64)> stored);
    void audit(const QString& actor, const QString& action, const QString& target, qint64 count,
               const QString& outcome);
    void announceChanged(qint64 key, DlqStatus status, std::function<void()> after = {});
    void applySettings();

    store::Store& m_store;
    engine::Engine& m_engine;
    QStringList m_allowedRoots;
    DlqSettings m_settings;
    QTimer m_timer;
    QHash<qint64, InFlight> m_inFlight;
    QHash<QPair<QString, int>, qint64> m_inFlightByInstance;
    std::shared_ptr<CommitAnnouncer> m_announcer;
};

} // namespace signalbox::dlq
