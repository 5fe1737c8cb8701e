#include "engine/engine_session.h"
#include "engine/stored_records.h"

#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "domain/clock.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "engine/engine.h"
#include "engine/session_dlq_control.h"
#include "logs/logging.h"
#include "pools/local_launcher.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QThread>
#include <unistd.h>

namespace signalbox::engine {
namespace {

QJsonObject error(const QString& message) {
    return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
}

QString roleName(EngineSession::Role role) {
    switch (role) {
    case EngineSession::Role::Foreground:
        return QStringLiteral("foreground");
    case EngineSession::Role::Console:
        return QStringLiteral("console");
    case EngineSession::Role::Executor:
    case EngineSession::Role::Processor:
        break;
    }
    // A `dlq process` host takes runs like the executor.
    return QStringLiteral("executor");
}


} // namespace

struct EngineSession::Impl {
    QString dataDir;
    Role role = Role::Foreground;
    std::unique_ptr<DataDirLock> lock;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<dlq::DeadLetterQueue> queue;
    std::unique_ptr<dlq::BulkJobRunner> runner;
    std::unique_ptr<ControlServer> control;
    pools::LocalLauncher* localPool = nullptr; // owned by the engine
    bool resumeJobs = false;                   // opened with recover: jobs may continue once
    bool closing = false;                      // takes no more work from other processes
};

EngineSession::EngineSession(QString dataDir, Role role, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {
    d->dataDir = std::move(dataDir);
    d->role = role;
}

EngineSession::~EngineSession() {
    // CLI hosts cancel what they still run (the user asked them to stop). Closing the
    // console is not a decision about its runs: the engine's destructor records them
    // interrupted, resumable from the next console or `runs resume`.
    if (d->engine && d->role != Role::Console)
        d->engine->cancelAll();
    d->control.reset();
    // The queue and the runner go before the engine: it must not call a gone sink, and
    // retries they leave `retrying` are recovered by the next session.
    d->runner.reset();
    d->queue.reset();
    d->localPool = nullptr;
    d->engine.reset(); // kills whatever still runs (pool destructor)
    d->store.reset();  // drains queued writes
    d->lock.reset();
}

EngineSession::OpenResult EngineSession::open(int lockWaitMs, bool recover, QString* error) {
    QString why;
    auto fail = [&](OpenResult result) {
        if (error)
            *error = why;
        return result;
    };
    // The console may be the first to use a data dir (the CLI prepared it already).
    if (!QFileInfo(d->dataDir).isDir()) {
        if (QFileInfo::exists(d->dataDir)) {
            why = QStringLiteral("data dir %1 is not a directory").arg(QDir::toNativeSeparators(d->dataDir));
            return fail(OpenResult::Failed);
        }
        if (!QDir().mkpath(d->dataDir)) {
            why = QStringLiteral("cannot create data dir %1").arg(QDir::toNativeSeparators(d->dataDir));
            return fail(OpenResult::Failed);
        }
        // It will hold the database, logs and secrets: owner only.
        QFile::setPermissions(d->dataDir,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    d->lock = std::make_unique<DataDirLock>(d->dataDir);
    bool locked = d->lock->tryLock(lockWaitMs, &why);
    // The holder may let the lock go between the attempt and the look at who holds it:
    // try again then (it is not an I/O problem).
    for (int attempt = 0; !locked && attempt < 5 && !d->lock->holder(); ++attempt)
        locked = d->lock->tryLock(0, &why);
    if (!locked) {
        // Held by a live process (or being taken: the file exists before its content).
        const bool busy = d->lock->holder() || QFileInfo::exists(d->lock->lockPath());
        return fail(busy ? OpenResult::Busy : OpenResult::Failed);
    }

    d->store = store::Store::open(d->dataDir, &why);
    if (!d->store) {
        if (why.isEmpty())
            why = QStringLiteral("cannot open the database in %1").arg(d->dataDir);
        d->lock.reset();
        return fail(OpenResult::Failed);
    }

    d->engine = std::make_unique<Engine>(*d->store);
    if (recover) {
        const QStringList recovered = d->engine->recoverInterrupted();
        for (const QString& id : recovered)
            logs::info(QStringLiteral(
                           "run %1 was left unfinished by a process that is gone; recorded as interrupted "
                           "(resume it with 'signalbox-cli runs resume %1')")
                           .arg(id));
    }
    // Same allowed roots as the engine (EngineOptions default: anywhere).
    d->queue = std::make_unique<dlq::DeadLetterQueue>(*d->store, *d->engine, QStringList{});
    d->runner = std::make_unique<dlq::BulkJobRunner>(*d->store, *d->queue);
    if (recover) {
        if (const int retries = d->queue->recover(); retries > 0)
            logs::info(QStringLiteral("%1 dead letter retr%2 left unfinished by a process that is gone: "
                                      "pending again")
                           .arg(retries)
                           .arg(retries == 1 ? QStringLiteral("y") : QStringLiteral("ies")));
        d->resumeJobs = true;
    }

    d->control = std::make_unique<ControlServer>();
    d->control->setHandler([this](const QJsonObject& request) { return handleControlRequest(request); });
    if (!d->control->listen(d->dataDir, &why))
        logs::warn(QStringLiteral("control channel unavailable, 'runs cancel' cannot reach this process: %1")
                       .arg(why));

    connect(d->engine.get(), &Engine::runStatusChanged, this, [](const QString& runId, RunStatus status) {
        logs::info(QStringLiteral("run %1: %2").arg(runId, toString(status)));
    });
    connect(d->engine.get(), &Engine::runFinished, this, &EngineSession::maybeIdle);
    connect(d->runner.get(), &dlq::BulkJobRunner::jobFinished, this, &EngineSession::maybeIdle);
    connect(d->queue.get(), &dlq::DeadLetterQueue::retryFinished, this, &EngineSession::maybeIdle);
    logs::info(QStringLiteral("engine started on %1 (pid %2)").arg(d->dataDir).arg(::getpid()));
    return OpenResult::Opened;
}

void EngineSession::addLocalPool(int capacity) {
    const int slotCount = capacity > 0 ? capacity : qMax(1, QThread::idealThreadCount());
    d->localPool = new pools::LocalLauncher(slotCount);
    d->engine->addPool(QStringLiteral("local"), d->localPool);
    logs::debug(QStringLiteral("local pool: %1 slot(s)").arg(slotCount));
}

void EngineSession::resumeJobs() {
    if (!d->resumeJobs)
        return;
    d->resumeJobs = false;
    if (const int jobs = d->runner->resumeUnfinished(); jobs > 0)
        logs::info(QStringLiteral("%1 unfinished dead letter job(s) resumed").arg(jobs));
}

void EngineSession::releaseLock() {
    d->control.reset();
    if (d->store)
        d->store->sync();
    if (d->lock)
        d->lock->unlock();
}

void EngineSession::stopAccepting() {
    d->closing = true;
    d->control.reset(); // new connections fail; clients fall back to an executor of their own
}

bool EngineSession::isAccepting() const {
    return !d->closing && d->control && d->role != Role::Foreground;
}

QString EngineSession::dataDir() const {
    return d->dataDir;
}

EngineSession::Role EngineSession::role() const {
    return d->role;
}

Engine& EngineSession::engine() {
    return *d->engine;
}

store::Store& EngineSession::store() {
    return *d->store;
}

dlq::DeadLetterQueue& EngineSession::queue() {
    return *d->queue;
}

dlq::BulkJobRunner& EngineSession::jobRunner() {
    return *d->runner;
}

pools::LocalLauncher* EngineSession::localPool() {
    return d->localPool;
}

bool EngineSession::isIdle() const {
    return d->engine->activeRuns().isEmpty() && d->runner->isIdle() && d->queue->retriesInFlight() == 0;
}

QJsonObject EngineSession::handleControlRequest(const QJsonObject& request) {
    const QString cmd = request.value(QStringLiteral("cmd")).toString();
    if (cmd == u"ping") {
        return QJsonObject{
            {QStringLiteral("ok"), true},
            {QStringLiteral("pid"), qint64(::getpid())},
            {QStringLiteral("role"), roleName(d->role)},
            {QStringLiteral("processor"), d->role == Role::Processor || d->role == Role::Console},
            {QStringLiteral("closing"), d->closing},
            {QStringLiteral("active"), QJsonArray::fromStringList(d->engine->activeRuns())}};
    }
    if (cmd == u"start" || cmd == u"resume") {
        const QString runId = request.value(QStringLiteral("run")).toString();
        if (d->role == Role::Foreground)
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("busy"), true},
                {QStringLiteral("error"),
                 QStringLiteral("pid %1 executes a foreground run and takes no other runs").arg(::getpid())}};
        if (d->closing)
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("closing"), true},
                               {QStringLiteral("error"), QStringLiteral("the engine is exiting")}};
        // The run was recorded by another process: startRun/resumeRun read it from the
        // store and check its status there (only a queued run starts; a run is
        // executed by one engine only).
        QString why;
        const bool started =
            cmd == u"start" ? d->engine->startRun(runId, &why) : d->engine->resumeRun(runId, &why);
        if (!started) {
            const auto run = d->store->run(runId);
            QJsonObject reply =
                error(why.isEmpty() ? QStringLiteral("cannot start run '%1'").arg(runId) : why);
            if (run)
                reply.insert(QStringLiteral("status"), toString(run->status));
            return reply;
        }
        logs::info(QStringLiteral("run %1: handed over through the control channel (%2)").arg(runId, cmd));
        Q_EMIT runAccepted(runId);
        return QJsonObject{{QStringLiteral("ok"), true},
                           {QStringLiteral("status"), QStringLiteral("running")}};
    }
    if (cmd == u"cancel") {
        const QString runId = request.value(QStringLiteral("run")).toString();
        const auto run = d->store->run(runId);
        if (!run)
            return error(QStringLiteral("unknown run '%1'").arg(runId));
        logs::info(QStringLiteral("run %1: cancel requested through the control channel").arg(runId));
        if (d->engine->isActive(runId)) {
            QString why;
            if (!d->engine->cancelRun(runId, &why))
                return error(why);
            return QJsonObject{{QStringLiteral("ok"), true},
                               {QStringLiteral("status"), QStringLiteral("cancelling")}};
        }
        if (run->status == RunStatus::Queued || run->status == RunStatus::Running ||
            run->status == RunStatus::Interrupted) {
            recordCancelled(*d->store, runId);
            return QJsonObject{{QStringLiteral("ok"), true},
                               {QStringLiteral("status"), QStringLiteral("cancelled")}};
        }
        return QJsonObject{
            {QStringLiteral("ok"), false},
            {QStringLiteral("status"), toString(run->status)},
            {QStringLiteral("error"),
             QStringLiteral("run '%1' has already ended (%2)").arg(runId, toString(run->status))}};
    }
    if (cmd.startsWith(QStringLiteral("dlq_")))
        return handleDlqRequest(cmd, request);
    return error(QStringLiteral("unknown command '%1'").arg(cmd));
}

QJsonObject EngineSession::handleDlqRequest(const QString& cmd, const QJsonObject& request) {
    const DlqControlTarget target{*d->store, *d->queue, *d->runner, d->role == Role::Foreground, d->closing};
    return handleDlqControl(target, cmd, request);
}

} // namespace signalbox::engine
