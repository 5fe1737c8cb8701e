#pragma once
// The embedded engine behind the Backend seam: an engine::EngineSession (role Console)
// on its own QThread. Queries run there on that thread's read connection; commands call
// the engine, the queue and the runner there; answers and change events come back as
// queued signals on the GUI thread. Nothing in the GUI thread touches SQLite or a process.

#include "backend/backend.h"

#include <QString>
#include <memory>

namespace signalbox::ui {

class LocalBackend final : public Backend {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalBackend)
public:
    struct Options {
        QString dataDir;
        int localCapacity = 0;   // local pool workers; <= 0 = one per CPU
        int lockWaitMs = 0;      // another engine host holds the data dir: wait that long
        bool startProcessor = true; // the DLQ retry processor (by its settings)
    };

    explicit LocalBackend(Options options, QObject* parent = nullptr);
    // Stops the backend thread: runs still executing become interrupted (resumable),
    // the store drains, the lock is released.
    ~LocalBackend() override;

    QString name() const override;
    QString description() const override;
    State state() const override;
    void open() override;
    QString dataDir() const;

    Ticket fetchRuns(const RunQuery& query) override;
    Ticket fetchRun(const QString& runId) override;
    Ticket fetchAttempts(const QString& runId, int index) override;
    Ticket previewWorkflow(const QString& path) override;
    Ticket fetchLogLines(const LogRequest& request) override;
    Ticket fetchLogRange(const QString& runId, int index, qint64 firstLine, int count) override;
    Ticket fetchLogIndex(const QString& runId, int index, int blockSize) override;
    Ticket searchLog(const QString& runId, int index, const QString& pattern, int limit) override;
    Ticket fetchEngineLog(qint64 afterId) override;
    Ticket fetchDeadLetters(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) override;
    Ticket countDeadLetters(const dlq::DlqFilter& filter) override;
    Ticket fetchDeadLetter(qint64 key) override;
    Ticket fetchDlqGroups(const dlq::DlqFilter& filter, const dlq::DlqGroupRequest& request) override;
    Ticket fetchDlqStats() override;
    Ticket fetchDlqJob(qint64 jobKey) override;
    Ticket fetchDlqSettings() override;
    Ticket fetchPools() override;
    Ticket fetchRepositories() override;
    Ticket fetchOverview(const OverviewQuery& query) override;

    Ticket launchRun(const engine::RunRequest& request) override;
    Ticket cancelRun(const QString& runId) override;
    Ticket resumeRun(const QString& runId) override;
    Ticket retryFailed(const QString& runId) override;
    Ticket retryDeadLetters(const QList<qint64>& keys) override;
    Ticket editAndRetryDeadLetter(qint64 key, const dlq::LaunchRecipe& recipe) override;
    Ticket archiveDeadLetters(const QList<qint64>& keys) override;
    Ticket purgeDeadLetters(const QList<qint64>& keys) override;
    Ticket startDlqJob(dlq::BulkAction action, const dlq::DlqFilter& filter) override;
    Ticket pauseDlqJob(qint64 jobKey) override;
    Ticket resumeDlqJob(qint64 jobKey) override;
    Ticket cancelDlqJob(qint64 jobKey) override;
    Ticket setDlqSettings(const dlq::DlqSettings& settings) override;
    Ticket addRepository(const CatalogRepo& repo) override;
    Ticket removeRepository(const QString& name) override;
    Ticket setPoolCapacity(const QString& pool, int capacity) override;
    Ticket setPoolPaused(const QString& pool, bool paused) override;
    Ticket exportLog(const QString& runId, int index, const QString& path) override;

private:
    friend class LocalWorker;
    // The worker's open() outcome, delivered on the GUI thread.
    void setStateFromWorker(State state, const QString& message);

    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::ui
