#include "backend/local_backend.h"

#include "backend/local_worker.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <atomic>

namespace signalbox::ui {

struct LocalBackend::Impl {
    Options options;
    State state = State::Closed;
    QThread thread;
    LocalWorker* worker = nullptr; // lives on `thread`
    std::atomic<Ticket> nextTicket{1};

    // Runs call(worker, ticket) on the backend thread; returns the ticket at once.
    template <typename Call> Ticket post(Call&& call) {
        const Ticket ticket = nextTicket.fetch_add(1);
        LocalWorker* target = worker;
        QMetaObject::invokeMethod(
            target, [target, ticket, call = std::forward<Call>(call)] { call(*target, ticket); },
            Qt::QueuedConnection);
        return ticket;
    }
};

LocalBackend::LocalBackend(Options options, QObject* parent)
    : Backend(parent)
    , d(std::make_unique<Impl>()) {
    d->options = std::move(options);
    if (!d->options.dataDir.isEmpty())
        d->options.dataDir = QFileInfo(d->options.dataDir).absoluteFilePath();
    d->thread.setObjectName(QStringLiteral("signalbox-backend"));
    // Answers are queued to this object: if it is gone, Qt drops them with it.
    auto post = [this](std::function<void(Backend&)> deliver) {
        QMetaObject::invokeMethod(
            this, [this, deliver = std::move(deliver)] { deliver(*this); }, Qt::QueuedConnection);
    };
    d->worker = new LocalWorker(d->options, post);
    d->worker->moveToThread(&d->thread);
    d->thread.start();
}

LocalBackend::~LocalBackend() {
    // The session must die on its own thread (engine, pools and store live there).
    LocalWorker* worker = d->worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
    delete worker; // its thread has ended: nothing runs on it any more
}

QString LocalBackend::name() const {
    return tr("Local");
}

QString LocalBackend::description() const {
    return tr("Embedded engine on %1").arg(QDir::toNativeSeparators(d->options.dataDir));
}

Backend::State LocalBackend::state() const {
    return d->state;
}

QString LocalBackend::dataDir() const {
    return d->options.dataDir;
}

void LocalBackend::open() {
    if (d->state == State::Opening || d->state == State::Ready)
        return;
    d->state = State::Opening;
    Q_EMIT stateChanged(d->state, tr("opening %1").arg(QDir::toNativeSeparators(d->options.dataDir)));
    LocalWorker* worker = d->worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->open(); }, Qt::QueuedConnection);
}

void LocalBackend::setStateFromWorker(State state, const QString& message) {
    d->state = state;
    Q_EMIT stateChanged(state, message);
}

// ---- queries ------------------------------------------------------------------------

Ticket LocalBackend::fetchRuns(const RunQuery& query) {
    return d->post([query](LocalWorker& w, Ticket t) { w.fetchRuns(t, query); });
}

Ticket LocalBackend::fetchRun(const QString& runId) {
    return d->post([runId](LocalWorker& w, Ticket t) { w.fetchRun(t, runId); });
}

Ticket LocalBackend::fetchAttempts(const QString& runId, int index) {
    return d->post([runId, index](LocalWorker& w, Ticket t) { w.fetchAttempts(t, runId, index); });
}

Ticket LocalBackend::previewWorkflow(const QString& path) {
    return d->post([path](LocalWorker& w, Ticket t) { w.previewWorkflow(t, path); });
}

Ticket LocalBackend::fetchLogLines(const LogRequest& request) {
    return d->post([request](LocalWorker& w, Ticket t) { w.fetchLogLines(t, request); });
}

Ticket LocalBackend::fetchLogRange(const QString& runId, int index, qint64 firstLine, int count) {
    return d->post([runId, index, firstLine, count](LocalWorker& w, Ticket t) {
        w.fetchLogRange(t, runId, index, firstLine, count);
    });
}

Ticket LocalBackend::fetchLogIndex(const QString& runId, int index, int blockSize) {
    return d->post(
        [runId, index, blockSize](LocalWorker& w, Ticket t) { w.fetchLogIndex(t, runId, index, blockSize); });
}

Ticket LocalBackend::searchLog(const QString& runId, int index, const QString& pattern, int limit) {
    return d->post([runId, index, pattern, limit](LocalWorker& w, Ticket t) {
        w.searchLog(t, runId, index, pattern, limit);
    });
}

Ticket LocalBackend::fetchEngineLog(qint64 afterId) {
    return d->post([afterId](LocalWorker& w, Ticket t) { w.fetchEngineLog(t, afterId); });
}

Ticket LocalBackend::fetchDeadLetters(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) {
    return d->post([filter, page](LocalWorker& w, Ticket t) { w.fetchDeadLetters(t, filter, page); });
}

Ticket LocalBackend::countDeadLetters(const dlq::DlqFilter& filter) {
    return d->post([filter](LocalWorker& w, Ticket t) { w.countDeadLetters(t, filter); });
}

Ticket LocalBackend::fetchDeadLetter(qint64 key) {
    return d->post([key](LocalWorker& w, Ticket t) { w.fetchDeadLetter(t, key); });
}

Ticket LocalBackend::fetchDlqGroups(const dlq::DlqFilter& filter, const dlq::DlqGroupRequest& request) {
    return d->post([filter, request](LocalWorker& w, Ticket t) { w.fetchDlqGroups(t, filter, request); });
}

Ticket LocalBackend::fetchDlqStats() {
    return d->post([](LocalWorker& w, Ticket t) { w.fetchDlqStats(t); });
}

Ticket LocalBackend::fetchDlqJob(qint64 jobKey) {
    return d->post([jobKey](LocalWorker& w, Ticket t) { w.fetchDlqJob(t, jobKey); });
}

Ticket LocalBackend::fetchDlqSettings() {
    return d->post([](LocalWorker& w, Ticket t) { w.fetchDlqSettings(t); });
}

Ticket LocalBackend::fetchPools() {
    return d->post([](LocalWorker& w, Ticket t) { w.fetchPools(t); });
}

Ticket LocalBackend::fetchRepositories() {
    return d->post([](LocalWorker& w, Ticket t) { w.fetchRepositories(t); });
}

Ticket LocalBackend::fetchOverview(const OverviewQuery& query) {
    return d->post([query](LocalWorker& w, Ticket t) { w.fetchOverview(t, query); });
}

// ---- commands -----------------------------------------------------------------------

Ticket LocalBackend::launchRun(const engine::RunRequest& request) {
    return d->post([request](LocalWorker& w, Ticket t) { w.launchRun(t, request); });
}

Ticket LocalBackend::cancelRun(const QString& runId) {
    return d->post([runId](LocalWorker& w, Ticket t) { w.cancelRun(t, runId); });
}

Ticket LocalBackend::resumeRun(const QString& runId) {
    return d->post([runId](LocalWorker& w, Ticket t) { w.resumeRun(t, runId); });
}

Ticket LocalBackend::retryFailed(const QString& runId) {
    return d->post([runId](LocalWorker& w, Ticket t) { w.retryFailed(t, runId); });
}

Ticket LocalBackend::retryDeadLetters(const QList<qint64>& keys) {
    return d->post([keys](LocalWorker& w, Ticket t) { w.retryDeadLetters(t, keys); });
}

Ticket LocalBackend::editAndRetryDeadLetter(qint64 key, const dlq::LaunchRecipe& recipe) {
    return d->post([key, recipe](LocalWorker& w, Ticket t) { w.editAndRetryDeadLetter(t, key, recipe); });
}

Ticket LocalBackend::archiveDeadLetters(const QList<qint64>& keys) {
    return d->post([keys](LocalWorker& w, Ticket t) { w.archiveDeadLetters(t, keys); });
}

Ticket LocalBackend::purgeDeadLetters(const QList<qint64>& keys) {
    return d->post([keys](LocalWorker& w, Ticket t) { w.purgeDeadLetters(t, keys); });
}

Ticket LocalBackend::startDlqJob(dlq::BulkAction action, const dlq::DlqFilter& filter) {
    return d->post([action, filter](LocalWorker& w, Ticket t) { w.startDlqJob(t, action, filter); });
}

Ticket LocalBackend::pauseDlqJob(qint64 jobKey) {
    return d->post([jobKey](LocalWorker& w, Ticket t) { w.pauseDlqJob(t, jobKey); });
}

Ticket LocalBackend::resumeDlqJob(qint64 jobKey) {
    return d->post([jobKey](LocalWorker& w, Ticket t) { w.resumeDlqJob(t, jobKey); });
}

Ticket LocalBackend::cancelDlqJob(qint64 jobKey) {
    return d->post([jobKey](LocalWorker& w, Ticket t) { w.cancelDlqJob(t, jobKey); });
}

Ticket LocalBackend::setDlqSettings(const dlq::DlqSettings& settings) {
    return d->post([settings](LocalWorker& w, Ticket t) { w.setDlqSettings(t, settings); });
}

Ticket LocalBackend::addRepository(const CatalogRepo& repo) {
    return d->post([repo](LocalWorker& w, Ticket t) { w.addRepository(t, repo); });
}

Ticket LocalBackend::removeRepository(const QString& name) {
    return d->post([name](LocalWorker& w, Ticket t) { w.removeRepository(t, name); });
}

Ticket LocalBackend::setPoolCapacity(const QString& pool, int capacity) {
    return d->post([pool, capacity](LocalWorker& w, Ticket t) { w.setPoolCapacity(t, pool, capacity); });
}

Ticket LocalBackend::setPoolPaused(const QString& pool, bool paused) {
    return d->post([pool, paused](LocalWorker& w, Ticket t) { w.setPoolPaused(t, pool, paused); });
}

Ticket LocalBackend::exportLog(const QString& runId, int index, const QString& path) {
    return d->post([runId, index, path](LocalWorker& w, Ticket t) { w.exportLog(t, runId, index, path); });
}

} // namespace signalbox::ui
