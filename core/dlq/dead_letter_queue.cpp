#include "dlq/dead_letter_queue.h"

#include "dlq/history.h"
#include "dlq/recipe_validation.h"
#include "dlq/signature.h"
#include "domain/clock.h"
#include "engine/engine.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QJsonDocument>
#include <spdlog/spdlog.h>

namespace signalbox::dlq {
namespace {

constexpr auto kSettingsName = "dlq";
const QString kAuto = QStringLiteral("auto");

qint64 now() {
    return Clock::instance().nowMs();
}

QString label(const DeadLetter& entry) {
    return entry.repo.isEmpty() ? entry.taskId : entry.taskId + u'[' + entry.repo + u']';
}

RetryPolicy policyFor(const QString& taskPolicy, ErrorCategory category) {
    if (!taskPolicy.isEmpty()) {
        if (const auto policy = retryPolicyFromString(taskPolicy))
            return *policy;
    }
    return defaultPolicyFor(category);
}

QString idList(const QList<qint64>& keys) {
    QStringList ids;
    for (qint64 key : keys.mid(0, 5))
        ids.append(entryId(key));
    QString text = ids.join(u' ');
    if (keys.size() > 5)
        text += QStringLiteral(" and %1 more").arg(keys.size() - 5);
    return text;
}

} // namespace

DeadLetterQueue::DeadLetterQueue(store::Store& store, engine::Engine& engine, QStringList allowedRoots,
                                 QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_engine(engine)
    , m_allowedRoots(std::move(allowedRoots))
    , m_announcer(std::make_shared<CommitAnnouncer>(this)) {
    if (const auto stored = m_store.setting(QString::fromLatin1(kSettingsName))) {
        QString error;
        const auto parsed = DlqSettings::fromJson(QJsonDocument::fromJson(*stored).object(), &error);
        if (parsed)
            m_settings = *parsed;
        else
            spdlog::warn("dead letter queue: stored settings ignored ({}); using defaults",
                         error.toStdString());
    }
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { processDue(); });
    m_engine.setOutcomeSink(this);
}

DeadLetterQueue::~DeadLetterQueue() {
    m_engine.setOutcomeSink(nullptr);
    m_announcer->detach();
}

// ---- settings -------------------------------------------------------------------------

bool DeadLetterQueue::setSettings(const DlqSettings& settings, const QString& actor, QString* error) {
    if (const QString invalid = settings.validate(); !invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return false;
    }
    const QByteArray json = QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact);
    if (!m_store.setSetting(QString::fromLatin1(kSettingsName), json, error))
        return false;
    m_settings = settings;
    applySettings();
    audit(actor, QStringLiteral("settings"), QString::fromUtf8(json), 0, QStringLiteral("ok"));
    return true;
}

void DeadLetterQueue::applySettings() {
    m_timer.setInterval(m_settings.intervalSeconds * 1000);
    if (m_timer.isActive() && !m_settings.processorEnabled)
        m_timer.stop();
}

// ---- processor ------------------------------------------------------------------------

int DeadLetterQueue::recover() {
    const QList<DeadLetter> stranded = m_store.dlqRetrying();
    if (stranded.isEmpty())
        return 0;
    const qint64 t = now();
    QList<store::DlqUpdate> updates;
    for (const DeadLetter& entry : stranded) {
        if (m_inFlight.contains(entry.key))
            continue;
        store::DlqUpdate update;
        update.key = entry.key;
        update.updatedAtMs = t;
        update.status = DlqStatus::Pending;
        update.nextRetryAtMs = std::optional<qint64>(t);
        update.appendHistory = toJsonBytes(
            HistoryEvent{t,
                         QStringLiteral("interrupted"),
                         kAuto,
                         QStringLiteral("the process retrying it ended before the retry did; due again now"),
                         {},
                         {},
                         {}});
        updates.append(std::move(update));
    }
    const int count = static_cast<int>(updates.size());
    m_store.dlqUpdate(std::move(updates));
    m_store.sync();
    spdlog::info("dead letter queue: {} retries cut short by a process that ended are due again", count);
    return count;
}

void DeadLetterQueue::startProcessor() {
    applySettings();
    if (m_settings.processorEnabled)
        m_timer.start();
}

void DeadLetterQueue::stopProcessor() {
    m_timer.stop();
}

bool DeadLetterQueue::processorRunning() const {
    return m_timer.isActive();
}

int DeadLetterQueue::processDue() {
    const int free = m_settings.parallelism - retriesInFlight();
    if (free <= 0)
        return 0;
    // Ask for more than `free`: some due entries may already be ours in flight.
    const QList<DeadLetter> due = m_store.dlqDue(now(), free + retriesInFlight());
    int started = 0;
    for (const DeadLetter& entry : due) {
        if (started >= free)
            break;
        if (m_inFlight.contains(entry.key) || m_inFlightByInstance.contains({entry.runId, entry.index}))
            continue;
        QString error;
        if (startRetry(entry, kAuto, false, &error))
            ++started;
    }
    return started;
}

// ---- manual actions -------------------------------------------------------------------

QString DeadLetterQueue::retryRefusal(const std::optional<DeadLetter>& entry, qint64 key) const {
    if (!entry)
        return QStringLiteral("unknown dead letter '%1'").arg(entryId(key));
    if (entry->status == DlqStatus::Completed)
        return QStringLiteral("%1 is completed; there is nothing to retry").arg(entry->id());
    if (entry->status == DlqStatus::Retrying || m_inFlight.contains(key))
        return QStringLiteral("%1 is being retried already").arg(entry->id());
    if (m_inFlightByInstance.contains({entry->runId, entry->index}))
        return QStringLiteral("%1: %2 of run %3 is being retried through another entry")
            .arg(entry->id(), label(*entry), entry->runId);
    return {};
}

bool DeadLetterQueue::retry(const QList<qint64>& keys, const QString& actor, QString* error) {
    QList<DeadLetter> entries;
    for (qint64 key : keys) {
        const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
        if (const QString refusal = retryRefusal(entry, key); !refusal.isEmpty()) {
            if (error)
                *error = refusal;
            return false;
        }
        entries.append(*entry);
    }
    int started = 0;
    QStringList failures;
    for (const DeadLetter& entry : std::as_const(entries)) {
        QString why;
        if (startRetry(entry, actor, true, &why))
            ++started;
        else
            failures.append(why);
    }
    audit(actor, QStringLiteral("retry"), idList(keys), keys.size(),
          failures.isEmpty() ? QStringLiteral("started")
                             : QStringLiteral("not started: ") + failures.join(u"; "));
    if (!failures.isEmpty() && error)
        *error = failures.join(u"; ");
    return failures.isEmpty();
}

bool DeadLetterQueue::startRetryOf(qint64 key, const QString& actor, QString* error) {
    const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
    if (const QString refusal = retryRefusal(entry, key); !refusal.isEmpty()) {
        if (error)
            *error = refusal;
        return false;
    }
    return startRetry(*entry, actor, true, error);
}

bool DeadLetterQueue::editAndRetry(qint64 key, const RecipeEdit& edit, const QString& actor, QString* error) {
    const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
    if (const QString refusal = retryRefusal(entry, key); !refusal.isEmpty()) {
        if (error)
            *error = refusal;
        return false;
    }
    LaunchRecipe recipe = entry->recipe();
    if (edit.argv)
        recipe.argv = *edit.argv;
    // The engine's SIGNALBOX_* variables stay whatever environment the operator gives.
    QMap<QString, QString> engineEnv;
    for (auto it = entry->original.env.cbegin(); it != entry->original.env.cend(); ++it) {
        if (isReservedEnvName(it.key()))
            engineEnv.insert(it.key(), it.value());
    }
    if (edit.env) {
        recipe.env = engineEnv;
        for (auto it = edit.env->cbegin(); it != edit.env->cend(); ++it)
            recipe.env.insert(it.key(), it.value());
    }
    if (edit.workingDir)
        recipe.workingDir = *edit.workingDir;
    if (const QString invalid = validateRecipe(recipe, m_allowedRoots, m_engine.pools(),
                                               QStringLiteral("edit of %1").arg(entry->id()), engineEnv);
        !invalid.isEmpty()) {
        if (error)
            *error = invalid;
        audit(actor, QStringLiteral("edit-retry"), entry->id(), 1, QStringLiteral("refused: ") + invalid);
        return false;
    }
    const qint64 t = now();
    store::DlqUpdate update;
    update.key = key;
    update.updatedAtMs = t;
    update.edited = recipe;
    update.appendHistory = toJsonBytes(HistoryEvent{t, QStringLiteral("edited"), actor, {}, {}, recipe, {}});
    m_store.dlqUpdate({std::move(update)});
    DeadLetter edited = *entry;
    edited.edited = recipe;
    QString why;
    const bool started = startRetry(edited, actor, true, &why);
    audit(actor, QStringLiteral("edit-retry"), entry->id(), 1,
          started ? QStringLiteral("started") : QStringLiteral("not started: ") + why);
    if (!started && error)
        *error = why;
    return started;
}

QString DeadLetterQueue::archiveRefusal(const std::optional<DeadLetter>& entry, qint64 key) const {
    if (!entry)
        return QStringLiteral("unknown dead letter '%1'").arg(entryId(key));
    if (entry->status == DlqStatus::Retrying || m_inFlight.contains(key))
        return QStringLiteral("%1 is being retried; archive it once the retry ended").arg(entry->id());
    return {};
}

void DeadLetterQueue::writeArchived(const QList<qint64>& keys, const QString& actor) {
    if (keys.isEmpty())
        return;
    const qint64 t = now();
    QList<store::DlqUpdate> updates;
    for (qint64 key : keys) {
        store::DlqUpdate update;
        update.key = key;
        update.updatedAtMs = t;
        update.status = DlqStatus::Archived;
        update.nextRetryAtMs = std::optional<qint64>();
        update.appendHistory =
            toJsonBytes(HistoryEvent{t, QStringLiteral("archived"), actor, {}, {}, {}, {}});
        updates.append(std::move(update));
    }
    DlqCounters delta;
    delta.archived = updates.size();
    m_store.dlqUpdate(updates, delta, [announcer = m_announcer, this, keys] {
        announcer->post([this, keys] {
            for (qint64 key : keys)
                Q_EMIT entryChanged(key, DlqStatus::Archived);
        });
    });
}

QHash<qint64, QString> DeadLetterQueue::archiveEntries(const QList<qint64>& keys, const QString& actor) {
    QHash<qint64, QString> results;
    QList<qint64> toArchive;
    for (qint64 key : keys) {
        const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
        const QString refusal = archiveRefusal(entry, key);
        results.insert(key, refusal);
        if (refusal.isEmpty() && entry->status != DlqStatus::Archived)
            toArchive.append(key);
    }
    writeArchived(toArchive, actor);
    return results;
}

std::optional<int> DeadLetterQueue::archive(const QList<qint64>& keys, const QString& actor, QString* error) {
    // All or nothing: check every entry before changing any.
    QList<qint64> toArchive;
    for (qint64 key : keys) {
        const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
        if (const QString refusal = archiveRefusal(entry, key); !refusal.isEmpty()) {
            if (error)
                *error = refusal;
            return std::nullopt;
        }
        if (entry->status != DlqStatus::Archived)
            toArchive.append(key);
    }
    writeArchived(toArchive, actor);
    audit(actor, QStringLiteral("archive"), idList(keys), toArchive.size(), QStringLiteral("ok"));
    return static_cast<int>(toArchive.size());
}

std::optional<int> DeadLetterQueue::purge(const QList<qint64>& keys, const QString& actor, QString* error) {
    for (qint64 key : keys) {
        const std::optional<DeadLetter> entry = m_store.dlqEntry(key);
        QString refusal;
        if (!entry)
            refusal = QStringLiteral("unknown dead letter '%1'").arg(entryId(key));
        else if (entry->status != DlqStatus::Archived)
            refusal = QStringLiteral("%1 is %2; only archived entries can be purged (archive it first)")
                          .arg(entry->id(), toString(entry->status));
        if (!refusal.isEmpty()) {
            if (error)
                *error = refusal;
            return std::nullopt;
        }
    }
    const std::optional<qint64> purged = m_store.dlqPurge(keys, error);
    if (!purged)
        return std::nullopt;
    audit(actor, QStringLiteral("purge"), idList(keys), *purged, QStringLiteral("ok"));
    return static_cast<int>(*purged);
}

std::optional<qint64> DeadLetterQueue::enqueueInstance(const QString& runId, int index, const QString& actor,
                                                       QString* error) {
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_settings.strategy == IntegrationStrategy::Disabled)
        return fail(QStringLiteral("the dead letter queue is disabled (dlq settings --strategy)"));
    std::optional<engine::FailedInstance> failure = m_engine.describeFailed(runId, index, error);
    if (!failure)
        return std::nullopt;
    if (const auto existing = m_store.dlqActiveEntryFor(runId, index))
        return fail(QStringLiteral("%1 of run %2 already is dead letter %3")
                        .arg(failure->instance.taskId, runId, existing->id()));
    std::optional<qint64> key;
    enqueueNewWith(*failure, [&key](qint64 k) { key = k; });
    m_store.sync();
    audit(actor, QStringLiteral("enqueue"), key ? entryId(*key) : runId, 1,
          key ? QStringLiteral("ok") : QStringLiteral("failed"));
    if (!key)
        return fail(QStringLiteral("the dead letter for %1 of run %2 could not be stored: %3")
                        .arg(failure->instance.taskId, runId, m_store.lastWriteError()));
    return key;
}

DlqStats DeadLetterQueue::stats() const {
    DlqStats stats = m_store.dlqStats();
    stats.maxSize = m_settings.maxSize;
    stats.utilization = m_settings.maxSize > 0 ? double(stats.size) / double(m_settings.maxSize) : 0.0;
    return stats;
}

// ---- retries --------------------------------------------------------------------------

bool DeadLetterQueue::startRetry(const DeadLetter& entry, const QString& actor, bool manual, QString* error) {
    // The instance's status: live when its run executes here (a bulk job over one large
    // run resumes it with its first entry: no store read per entry after that).
    const std::optional<InstanceStatus> live = m_engine.liveStatus(entry.runId, entry.index);
    std::optional<InstanceStatus> status = live;
    if (!status) {
        const QList<InstanceRecord> instances = m_store.instances(entry.runId);
        if (entry.index >= 0 && entry.index < instances.size())
            status = instances[entry.index].status;
    }
    // An instance that succeeded meanwhile (e.g. through an older entry) needs no retry.
    if (status == InstanceStatus::Succeeded) {
        const qint64 t = now();
        store::DlqUpdate update;
        update.key = entry.key;
        update.updatedAtMs = t;
        update.status = DlqStatus::Completed;
        update.nextRetryAtMs = std::optional<qint64>();
        update.appendHistory =
            toJsonBytes(HistoryEvent{t,
                                     QStringLiteral("retry-succeeded"),
                                     actor,
                                     QStringLiteral("the instance had succeeded meanwhile"),
                                     {},
                                     {},
                                     {}});
        m_store.dlqUpdate({std::move(update)});
        announceChanged(entry.key, DlqStatus::Completed,
                        [this, key = entry.key] { Q_EMIT retryFinished(key, true, {}); });
        return true;
    }

    // Already about to run again in its live run (e.g. resuming the run for another entry
    // revived this interrupted instance too): adopt that run as this entry's retry.
    const bool adopted =
        !entry.edited && (live == InstanceStatus::Pending || live == InstanceStatus::Running);
    QHash<int, LaunchRecipe> recipes;
    if (entry.edited)
        recipes.insert(entry.index, *entry.edited);
    QString why;
    if (!adopted && !m_engine.retryInstances(entry.runId, {entry.index}, &why, recipes)) {
        // A retry that cannot even start is a failed retry: it counts toward max_retries,
        // so a broken entry ends exhausted instead of being tried every cycle forever.
        const QString message = QStringLiteral("retry could not start: %1").arg(why);
        recordRetryFailure(entry, message, entry.category, entry.exitCode, entry.signal, {}, {}, actor);
        if (error)
            *error = QStringLiteral("%1: %2").arg(entry.id(), message);
        return false;
    }
    const qint64 t = now();
    store::DlqUpdate update;
    update.key = entry.key;
    update.updatedAtMs = t;
    update.status = DlqStatus::Retrying;
    update.nextRetryAtMs = std::optional<qint64>();
    update.appendHistory = toJsonBytes(HistoryEvent{t,
                                                    QStringLiteral("retry-started"),
                                                    actor,
                                                    QStringLiteral("retry %1").arg(entry.attempts),
                                                    {},
                                                    {},
                                                    {}});
    DlqCounters delta;
    delta.manualRetries = manual ? 1 : 0;
    m_store.dlqUpdate({std::move(update)}, delta);
    m_inFlight.insert(entry.key, InFlight{entry, actor});
    m_inFlightByInstance.insert({entry.runId, entry.index}, entry.key);
    announceChanged(entry.key, DlqStatus::Retrying);
    return true;
}

void DeadLetterQueue::recordRetryFailure(const DeadLetter& entry, const QString& error,
                                         ErrorCategory category, std::optional<int> exitCode,
                                         std::optional<int> signal, const QString& outputTail,
                                         const QString& dlqPolicy, const QString& actor) {
    const qint64 t = now();
    const int attempts = entry.attempts + 1;
    const int retriesDone = attempts - 1;
    // The task's own dlq_policy stays; otherwise the policy follows the new category.
    const RetryPolicy policy =
        dlqPolicy.isEmpty() && category != entry.category ? defaultPolicyFor(category) : entry.policy;
    const bool exhausted = isExhausted(retriesDone, entry.maxRetries);
    store::DlqUpdate update;
    update.key = entry.key;
    update.updatedAtMs = t;
    update.status = exhausted ? DlqStatus::Exhausted : DlqStatus::Pending;
    update.attempts = attempts;
    update.nextRetryAtMs =
        exhausted ? std::optional<qint64>() : nextRetryAtMs(policy, retriesDone, t, m_settings.schedule);
    update.category = category;
    update.policy = policy;
    update.error = error;
    update.exitCode = exitCode;
    update.signal = signal;
    update.signature = errorSignature(entry.taskId, error, entry.repoPath);
    if (!outputTail.isEmpty())
        update.outputTail = outputTail;
    QString detail = error;
    if (exhausted)
        detail +=
            QStringLiteral(" (exhausted after %1 of %2 retries)").arg(retriesDone).arg(entry.maxRetries);
    update.appendHistory =
        toJsonBytes(HistoryEvent{t, QStringLiteral("retry-failed"), actor, detail, exitCode, {}, {}});
    DlqCounters delta;
    delta.retryFailed = 1;
    delta.exhausted = exhausted ? 1 : 0;
    m_store.dlqUpdate({std::move(update)}, delta);
    announceChanged(entry.key, exhausted ? DlqStatus::Exhausted : DlqStatus::Pending);
}

// ---- engine outcomes ------------------------------------------------------------------

void DeadLetterQueue::instanceFailed(const engine::FailedInstance& failure) {
    const InstanceRecord& rec = failure.instance;
    const auto instance = qMakePair(rec.runId, rec.index);
    if (const auto it = m_inFlightByInstance.constFind(instance); it != m_inFlightByInstance.constEnd()) {
        const InFlight flight = m_inFlight.take(it.value());
        m_inFlightByInstance.erase(it);
        recordRetryFailure(flight.entry, rec.error, rec.category, rec.exitCode, rec.signal,
                           failure.outputTail, failure.dlqPolicy, flight.actor);
        const qint64 key = flight.entry.key;
        const QString error = rec.error;
        m_store.whenCommitted([announcer = m_announcer, this, key, error] {
            announcer->post([this, key, error] { Q_EMIT retryFinished(key, false, error); });
        });
        return;
    }
    if (!m_settings.shouldEnqueue(rec.category))
        return;
    // Failed again outside our retries (e.g. by another process's retry that died): the
    // instance keeps one active entry.
    if (const auto existing = m_store.dlqActiveEntryFor(rec.runId, rec.index)) {
        recordRetryFailure(*existing, rec.error, rec.category, rec.exitCode, rec.signal, failure.outputTail,
                           failure.dlqPolicy, kAuto);
        return;
    }
    enqueueNewWith(failure, {});
}

void DeadLetterQueue::enqueueNewWith(const engine::FailedInstance& failure,
                                     std::function<void(qint64)> stored) {
    const InstanceRecord& rec = failure.instance;
    const qint64 t = now();
    DeadLetter entry;
    entry.runId = rec.runId;
    entry.index = rec.index;
    entry.workflow = failure.workflow;
    entry.taskId = rec.taskId;
    entry.repo = rec.repo;
    entry.repoPath = rec.repoPath;
    entry.category = rec.category == ErrorCategory::None ? ErrorCategory::Permanent : rec.category;
    entry.policy = policyFor(failure.dlqPolicy, entry.category);
    entry.attempts = 1;
    entry.maxRetries = m_settings.maxRetries;
    entry.error = rec.error;
    entry.exitCode = rec.exitCode;
    entry.signal = rec.signal;
    entry.signature = errorSignature(rec.taskId, rec.error, rec.repoPath);
    entry.enqueuedAtMs = t;
    entry.updatedAtMs = t;
    const bool exhausted = isExhausted(0, entry.maxRetries);
    entry.status = exhausted ? DlqStatus::Exhausted : DlqStatus::Pending;
    if (!exhausted)
        entry.nextRetryAtMs = nextRetryAtMs(entry.policy, 0, t, m_settings.schedule);
    entry.original = failure.recipe;
    entry.outputTail = failure.outputTail;
    entry.historyJson =
        "[" +
        toJsonBytes(HistoryEvent{t, QStringLiteral("enqueued"), kAuto, rec.error, rec.exitCode, {}, {}}) +
        "]";
    const int maxSize = m_settings.maxSize;
    m_store.dlqEnqueue({std::move(entry)}, maxSize,
                       [announcer = m_announcer, this, maxSize,
                        stored = std::move(stored)](const store::DlqEnqueueResult& result) {
                           if (stored && !result.keys.isEmpty())
                               stored(result.keys.first()); // writer thread; the caller waits in sync()
                           if (result.overCapacity) {
                               // Never dropped: stored anyway, and said out loud.
                               spdlog::warn(
                                   "dead letter queue over capacity: {} entries, max_size {}; only active "
                                   "entries are left, so none could be evicted (archive or purge some)",
                                   result.sizeAfter, maxSize);
                           }
                           announcer->post([this, result, maxSize] {
                               if (!result.keys.isEmpty())
                                   Q_EMIT entriesEnqueued(result.keys);
                               if (result.overCapacity)
                                   Q_EMIT overCapacity(result.sizeAfter, maxSize);
                           });
                       });
}

void DeadLetterQueue::instanceFinished(const InstanceRecord& instance) {
    const auto it = m_inFlightByInstance.constFind(qMakePair(instance.runId, instance.index));
    if (it == m_inFlightByInstance.constEnd())
        return;
    const InFlight flight = m_inFlight.take(it.value());
    m_inFlightByInstance.erase(it);
    const DeadLetter& entry = flight.entry;
    const qint64 t = now();
    store::DlqUpdate update;
    update.key = entry.key;
    update.updatedAtMs = t;
    DlqCounters delta;
    const bool succeeded = instance.status == InstanceStatus::Succeeded;
    if (succeeded) {
        update.status = DlqStatus::Completed;
        update.nextRetryAtMs = std::optional<qint64>();
        update.appendHistory = toJsonBytes(
            HistoryEvent{t, QStringLiteral("retry-succeeded"), flight.actor, {}, instance.exitCode, {}, {}});
        delta.retrySuccess = 1;
    } else {
        // Cancelled or interrupted: the retry did not happen; the entry waits again,
        // as due as it was (a cancel is not a verdict on the failure).
        const bool exhausted = isExhausted(entry.retriesDone(), entry.maxRetries);
        update.status = exhausted ? DlqStatus::Exhausted : DlqStatus::Pending;
        update.nextRetryAtMs = exhausted
                                   ? std::optional<qint64>()
                                   : nextRetryAtMs(entry.policy, entry.retriesDone(), t, m_settings.schedule);
        update.appendHistory =
            toJsonBytes(HistoryEvent{t,
                                     QStringLiteral("interrupted"),
                                     flight.actor,
                                     QStringLiteral("retry %1").arg(toString(instance.status)),
                                     {},
                                     {},
                                     {}});
    }
    const DlqStatus status = *update.status;
    m_store.dlqUpdate({std::move(update)}, delta);
    const QString error = succeeded ? QString() : QStringLiteral("retry %1").arg(toString(instance.status));
    announceChanged(entry.key, status, [this, key = entry.key, succeeded, error] {
        Q_EMIT retryFinished(key, succeeded, error);
    });
}

// ---- helpers --------------------------------------------------------------------------

void DeadLetterQueue::announceChanged(qint64 key, DlqStatus status, std::function<void()> after) {
    m_store.whenCommitted([announcer = m_announcer, this, key, status, after = std::move(after)] {
        announcer->post([this, key, status, after] {
            Q_EMIT entryChanged(key, status);
            if (after)
                after();
        });
    });
}

void DeadLetterQueue::audit(const QString& actor, const QString& action, const QString& target, qint64 count,
                            const QString& outcome) {
    m_store.appendAudit(AuditRecord{0, now(), actor, action, target, count, outcome});
}

} // namespace signalbox::dlq
