#include "backend/local_change_relay.h"

#include "backend/backend.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "logs/log_buffer.h"
#include "store/store.h"

namespace signalbox::ui {

namespace {
constexpr int kFoldMs = 50;
}

LocalChangeRelay::LocalChangeRelay(engine::EngineSession& session, Post post, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_post(std::move(post)) {
    m_timer.setSingleShot(true);
    m_timer.setInterval(kFoldMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { flush(); });

    engine::Engine& engine = session.engine();
    connect(&engine, &engine::Engine::runStatusChanged, this, [this](const QString& runId, RunStatus) {
        m_runs.insert(runId);
        arm();
    });
    connect(&engine, &engine::Engine::runFinished, this, [this](const QString& runId, RunStatus) {
        m_runs.insert(runId);
        m_repositories = true; // last result per repo
        arm();
    });
    connect(&engine, &engine::Engine::instanceChanged, this, [this](const InstanceRecord& instance) {
        m_instances.insert({instance.runId, instance.index});
        arm();
    });
    connect(&engine, &engine::Engine::logLinesAppended, this, [this](const QString& runId, int) {
        m_logRuns.insert(runId);
        arm();
    });
    connect(&engine, &engine::Engine::poolsChanged, this, [this] {
        m_pools = true;
        arm();
    });
    connect(&session, &engine::EngineSession::runAccepted, this, [this](const QString& runId) {
        m_runs.insert(runId);
        arm();
    });

    dlq::DeadLetterQueue& queue = session.queue();
    connect(&queue, &dlq::DeadLetterQueue::entriesEnqueued, this, [this](const QList<qint64>&) {
        m_inboxDirty = true;
        m_deadLetters = true;
        arm();
    });
    connect(&queue, &dlq::DeadLetterQueue::entryChanged, this, [this](qint64, dlq::DlqStatus) {
        m_deadLetters = true;
        arm();
    });
    connect(&queue, &dlq::DeadLetterQueue::retryFinished, this, [this](qint64, bool, const QString&) {
        m_deadLetters = true;
        arm();
    });
    dlq::BulkJobRunner& runner = session.jobRunner();
    auto jobChanged = [this](const dlq::BulkJob& job) {
        m_jobs.insert(job.key);
        m_deadLetters = true;
        arm();
    };
    connect(&runner, &dlq::BulkJobRunner::jobProgress, this, jobChanged);
    connect(&runner, &dlq::BulkJobRunner::jobFinished, this, jobChanged);

    // Emitted on whichever thread logged: queued here unless it was this one.
    connect(&logs::LogBuffer::instance(), &logs::LogBuffer::entryAppended, this, [this] {
        m_engineLog = true;
        arm();
    });
}

void LocalChangeRelay::markDlqSettingsChanged() {
    m_dlqSettings = true;
    arm();
}

void LocalChangeRelay::markRepositoriesChanged() {
    m_repositories = true;
    arm();
}

void LocalChangeRelay::markPoolsChanged() {
    m_pools = true;
    arm();
}

void LocalChangeRelay::syncIfNeeded() {
    if (!m_inboxDirty)
        return;
    m_inboxDirty = false;
    m_session.store().sync(); // drains the dead letter inbox: the entries become listable
}

void LocalChangeRelay::arm() {
    if (!m_timer.isActive())
        m_timer.start();
}

void LocalChangeRelay::flush() {
    syncIfNeeded(); // deadLettersChanged must find the new entries when it re-queries
    const QSet<QString> runs = std::exchange(m_runs, {});
    const QSet<QPair<QString, int>> instances = std::exchange(m_instances, {});
    const QSet<QString> logRuns = std::exchange(m_logRuns, {});
    const QSet<qint64> jobs = std::exchange(m_jobs, {});
    const bool engineLog = std::exchange(m_engineLog, false);
    const bool deadLetters = std::exchange(m_deadLetters, false);
    const bool pools = std::exchange(m_pools, false);
    const bool repositories = std::exchange(m_repositories, false);
    const bool dlqSettings = std::exchange(m_dlqSettings, false);
    m_post([=](Backend& backend) {
        for (const QString& runId : runs)
            Q_EMIT backend.runChanged(runId);
        for (const auto& instance : instances)
            Q_EMIT backend.instanceChanged(instance.first, instance.second);
        for (const QString& runId : logRuns)
            Q_EMIT backend.logAppended(runId);
        for (const qint64 job : jobs)
            Q_EMIT backend.dlqJobChanged(job);
        if (engineLog)
            Q_EMIT backend.engineLogAppended();
        if (deadLetters)
            Q_EMIT backend.deadLettersChanged();
        if (pools)
            Q_EMIT backend.poolsChanged();
        if (repositories)
            Q_EMIT backend.repositoriesChanged();
        if (dlqSettings)
            Q_EMIT backend.dlqSettingsChanged();
    });
}

} // namespace signalbox::ui
