#include "dlq/bulk_job_runner.h"

#include "dlq/dead_letter_queue.h"
#include "domain/clock.h"
#include "domain/commit_announcer.h"
#include "store/store.h"

#include <QPointer>
#include <QTimer>
#include <spdlog/spdlog.h>

namespace signalbox::dlq {
namespace {

constexpr int kChunk = 500; // archive/purge entries per event-loop turn
constexpr int kFetch = 200; // pending items read at once for a retry job

qint64 now() {
    return Clock::instance().nowMs();
}

} // namespace

struct BulkJobRunner::Impl {
    BulkJobRunner* q;
    store::Store& store;
    DeadLetterQueue& queue;
    std::shared_ptr<CommitAnnouncer> announcer;

    struct Active {
        BulkJob job;
        qint64 cursor = 0;            // items after this entry key are not started yet
        QHash<qint64, bool> inFlight; // entry keys retrying for this job
        bool exhausted = false;       // no pending item left to start
    };
    QHash<qint64, Active> active;     // by job key
    QHash<qint64, qint64> jobOfEntry; // entry key -> job key, retries in flight
    bool stepPosted = false;

    Impl(BulkJobRunner* runner, store::Store& s, DeadLetterQueue& dlq)
        : q(runner)
        , store(s)
        , queue(dlq)
        , announcer(std::make_shared<CommitAnnouncer>(runner)) {}

    void audit(const BulkJob& job, const QString& actor, const QString& action, const QString& outcome) {
        store.appendAudit(
            AuditRecord{0, now(), actor, action, job.id() + u' ' + job.selector, job.total, outcome});
    }

    void postStep() {
        if (stepPosted)
            return;
        stepPosted = true;
        QTimer::singleShot(0, q, [this] {
            stepPosted = false;
            step();
        });
    }

    void setState(Active& a, JobState state) {
        a.job.state = state;
        a.job.updatedAtMs = now();
        if (isFinished(state))
            a.job.finishedAtMs = a.job.updatedAtMs;
        store.dlqUpdateJob(a.job);
    }

    // Records results; announces progress with the job as stored once committed.
    void record(qint64 jobKey, QList<BulkJobItem> items) {
        if (items.isEmpty())
            return;
        const qint64 t = now();
        for (BulkJobItem& item : items) {
            item.jobKey = jobKey;
            item.finishedAtMs = t;
        }
        store.dlqRecordItems(jobKey, std::move(items), [announcer = announcer, this, jobKey] {
            announcer->post([this, jobKey] {
                if (const auto job = store.dlqJob(jobKey))
                    Q_EMIT q->jobProgress(*job);
            });
        });
    }

    void step() {
        const QList<qint64> keys = active.keys();
        for (qint64 key : keys) {
            auto it = active.find(key);
            if (it == active.end())
                continue;
            Active& a = it.value();
            if (a.job.state == JobState::Running && !a.exhausted) {
                if (a.job.action == BulkAction::Retry)
                    startRetries(a);
                else
                    applyChunk(a);
            }
            maybeFinish(key);
        }
    }

    QList<BulkJobItem> nextItems(Active& a, int limit) {
        const QList<BulkJobItem> items = store.dlqJobItems(a.job.key, ItemResult::Pending, a.cursor, limit);
        if (items.isEmpty())
            a.exhausted = true;
        else
            a.cursor = items.last().entryKey;
        return items;
    }

    // Throttle: the queue's parallelism bounds retries in flight across every job and the
    // processor, so a job of 100,000 entries never floods the pools.
    void startRetries(Active& a) {
        while (queue.retriesInFlight() < queue.settings().parallelism && !a.exhausted) {
            const int room = queue.settings().parallelism - queue.retriesInFlight();
            const QList<BulkJobItem> items = nextItems(a, std::min(room, kFetch));
            QList<BulkJobItem> refused; // and other results known at once
            for (const BulkJobItem& item : items) {
                QString why;
                // An entry completed meanwhile (e.g. by the processor after a restart) needs
                // nothing more; one the processor is retrying now is adopted: its outcome
                // is this item's result.
                const std::optional<DeadLetter> entry = store.dlqEntry(item.entryKey);
                if (entry && entry->status == DlqStatus::Completed) {
                    refused.append(BulkJobItem{a.job.key, item.entryKey, ItemResult::Succeeded,
                                               QStringLiteral("completed already"), 0});
                    continue;
                }
                if (queue.isRetrying(item.entryKey) || queue.startRetryOf(item.entryKey, a.job.actor, &why)) {
                    a.inFlight.insert(item.entryKey, true);
                    jobOfEntry.insert(item.entryKey, a.job.key);
                } else {
                    refused.append(BulkJobItem{a.job.key, item.entryKey, ItemResult::Skipped, why, 0});
                }
            }
            record(a.job.key, std::move(refused));
        }
    }

    void applyChunk(Active& a) {
        const QList<BulkJobItem> items = nextItems(a, kChunk);
        if (items.isEmpty())
            return;
        QList<qint64> keys;
        for (const BulkJobItem& item : items)
            keys.append(item.entryKey);
        QList<BulkJobItem> results;
        if (a.job.action == BulkAction::Archive) {
            const QHash<qint64, QString> outcome = queue.archiveEntries(keys, a.job.actor);
            for (qint64 key : std::as_const(keys)) {
                const QString why = outcome.value(key);
                results.append(BulkJobItem{
                    a.job.key, key, why.isEmpty() ? ItemResult::Succeeded : ItemResult::Skipped, why, 0});
            }
        } else {
            // Purge deletes archived entries only; say which others it left alone.
            QList<qint64> archived;
            for (qint64 key : std::as_const(keys)) {
                const std::optional<DeadLetter> entry = store.dlqEntry(key);
                if (entry && entry->status == DlqStatus::Archived) {
                    archived.append(key);
                    results.append(BulkJobItem{a.job.key, key, ItemResult::Succeeded, {}, 0});
                } else {
                    results.append(BulkJobItem{a.job.key, key, ItemResult::Skipped,
                                               entry
                                                   ? QStringLiteral("%1 is %2, not archived")
                                                         .arg(entry->id(), toString(entry->status))
                                                   : QStringLiteral("%1 no longer exists").arg(entryId(key)),
                                               0});
                }
            }
            QString error;
            if (!archived.isEmpty() && !store.dlqPurge(archived, &error)) {
                for (BulkJobItem& item : results) {
                    if (item.result == ItemResult::Succeeded) {
                        item.result = ItemResult::Failed;
                        item.message = error;
                    }
                }
            }
        }
        record(a.job.key, std::move(results));
        postStep(); // the next chunk in a later turn: the event loop stays responsive
    }

    void retryFinished(qint64 entryKey, bool succeeded, const QString& error) {
        const auto owner = jobOfEntry.constFind(entryKey);
        if (owner == jobOfEntry.constEnd())
            return;
        const qint64 jobKey = owner.value();
        jobOfEntry.erase(owner);
        auto it = active.find(jobKey);
        if (it == active.end())
            return;
        it->inFlight.remove(entryKey);
        record(jobKey, {BulkJobItem{jobKey, entryKey, succeeded ? ItemResult::Succeeded : ItemResult::Failed,
                                    succeeded ? QString() : error, 0}});
        postStep();
    }

    void maybeFinish(qint64 jobKey) {
        auto it = active.find(jobKey);
        if (it == active.end())
            return;
        Active& a = it.value();
        const bool cancelled = a.job.state == JobState::Cancelled;
        if (!a.inFlight.isEmpty() || (!cancelled && !(a.job.state == JobState::Running && a.exhausted)))
            return;
        if (!cancelled)
            setState(a, JobState::Done);
        const qint64 key = a.job.key;
        const QString actor = a.job.actor;
        active.erase(it);
        // Announce the finished job as stored, after its last results committed.
        store.whenCommitted([announcer = announcer, this, key, actor] {
            announcer->post([this, key, actor] {
                const std::optional<BulkJob> job = store.dlqJob(key);
                if (!job)
                    return;
                audit(*job, actor, QStringLiteral("job-finish"),
                      QStringLiteral("%1: %2 succeeded, %3 failed or skipped of %4")
                          .arg(toString(job->state))
                          .arg(job->succeeded)
                          .arg(job->failed)
                          .arg(job->total));
                Q_EMIT q->jobFinished(*job);
            });
        });
    }

    bool activate(BulkJob job, QString* error) {
        if (isFinished(job.state)) {
            if (error)
                *error = QStringLiteral("job %1 is %2").arg(job.id(), toString(job.state));
            return false;
        }
        if (active.contains(job.key))
            return true;
        Active a;
        a.job = job;
        if (a.job.state != JobState::Paused)
            setState(a, JobState::Running);
        active.insert(job.key, a);
        postStep();
        return true;
    }
};

BulkJobRunner::BulkJobRunner(store::Store& store, DeadLetterQueue& queue, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this, store, queue)) {
    connect(&queue, &DeadLetterQueue::retryFinished, this,
            [this](qint64 key, bool succeeded, const QString& error) {
                d->retryFinished(key, succeeded, error);
            });
}

BulkJobRunner::~BulkJobRunner() {
    d->announcer->detach();
}

std::optional<BulkJob> BulkJobRunner::start(BulkAction action, const DlqFilter& filter,
                                            const QString& selector, const QString& actor, QString* error) {
    if (d->store.dlqCount(filter) == 0) {
        if (error)
            *error = QStringLiteral("no dead letters match %1").arg(selector);
        return std::nullopt;
    }
    BulkJob job;
    job.action = action;
    job.state = JobState::Queued;
    job.actor = actor;
    job.selector = selector;
    job.createdAtMs = now();
    job.updatedAtMs = job.createdAtMs;
    std::optional<BulkJob> created = d->store.dlqCreateJob(job, filter, error);
    if (!created)
        return std::nullopt;
    d->audit(*created, actor, QStringLiteral("job-start"),
             QStringLiteral("%1 of %2 entries").arg(toString(action)).arg(created->total));
    if (created->total == 0) { // matched nothing by the time it was created
        if (error)
            *error = QStringLiteral("no dead letters match %1").arg(selector);
        created->state = JobState::Done;
        created->finishedAtMs = now();
        d->store.dlqUpdateJob(*created);
        return std::nullopt;
    }
    d->activate(*created, error);
    created->state = JobState::Running;
    return created;
}

bool BulkJobRunner::run(qint64 jobKey, QString* error) {
    d->store.sync();
    const std::optional<BulkJob> job = d->store.dlqJob(jobKey);
    if (!job) {
        if (error)
            *error = QStringLiteral("unknown job '%1'").arg(jobId(jobKey));
        return false;
    }
    return d->activate(*job, error);
}

bool BulkJobRunner::pause(qint64 jobKey, const QString& actor, QString* error) {
    auto it = d->active.find(jobKey);
    if (it == d->active.end() || it->job.state != JobState::Running) {
        if (error)
            *error = QStringLiteral("job %1 is not running here").arg(jobId(jobKey));
        return false;
    }
    d->setState(*it, JobState::Paused);
    d->audit(it->job, actor, QStringLiteral("job-pause"), QStringLiteral("ok"));
    return true;
}

bool BulkJobRunner::resume(qint64 jobKey, const QString& actor, QString* error) {
    auto it = d->active.find(jobKey);
    if (it == d->active.end()) {
        const std::optional<BulkJob> job = d->store.dlqJob(jobKey);
        if (!job || job->state != JobState::Paused) {
            if (error)
                *error = QStringLiteral("job %1 is not paused").arg(jobId(jobKey));
            return false;
        }
        d->activate(*job, error);
        it = d->active.find(jobKey);
    }
    if (it->job.state != JobState::Paused) {
        if (error)
            *error = QStringLiteral("job %1 is not paused").arg(jobId(jobKey));
        return false;
    }
    d->setState(*it, JobState::Running);
    d->audit(it->job, actor, QStringLiteral("job-resume"), QStringLiteral("ok"));
    d->postStep();
    return true;
}

bool BulkJobRunner::cancel(qint64 jobKey, const QString& actor, QString* error) {
    auto it = d->active.find(jobKey);
    if (it == d->active.end()) {
        std::optional<BulkJob> job = d->store.dlqJob(jobKey);
        if (!job || isFinished(job->state)) {
            if (error)
                *error = job ? QStringLiteral("job %1 is %2 already").arg(job->id(), toString(job->state))
                             : QStringLiteral("unknown job '%1'").arg(jobId(jobKey));
            return false;
        }
        // Queued or paused and not run by this process: cancel it in the store.
        job->state = JobState::Cancelled;
        job->updatedAtMs = job->finishedAtMs = now();
        d->store.dlqUpdateJob(*job);
        d->audit(*job, actor, QStringLiteral("job-cancel"), QStringLiteral("ok"));
        return true;
    }
    // Retries already started finish and are recorded; nothing new starts.
    d->setState(*it, JobState::Cancelled);
    d->audit(it->job, actor, QStringLiteral("job-cancel"), QStringLiteral("ok"));
    d->maybeFinish(jobKey);
    return true;
}

int BulkJobRunner::resumeUnfinished() {
    int resumed = 0;
    for (const BulkJob& job : d->store.dlqJobs(true, 1000)) {
        if (job.state == JobState::Paused)
            continue; // stays paused until someone resumes it
        QString error;
        if (d->activate(job, &error)) {
            ++resumed;
            spdlog::info("dead letter queue: bulk job {} ({}) continues", job.id().toStdString(),
                         toString(job.action).toStdString());
        }
    }
    return resumed;
}

bool BulkJobRunner::isIdle() const {
    for (const auto& a : d->active) {
        if (a.job.state == JobState::Running || !a.inFlight.isEmpty())
            return false;
    }
    return true;
}

} // namespace signalbox::dlq
