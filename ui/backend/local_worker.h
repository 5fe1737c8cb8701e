#pragma once
// The backend thread's side of LocalBackend: owns the engine::EngineSession (created and
// destroyed on this thread), answers queries from the store's read connection of this
// thread and runs commands on the engine, the queue and the job runner. Every answer is
// handed to `post`, which runs it on the GUI thread with the backend whose signal to
// emit. Long scans (log search, export) go a chunk per event-loop turn so the engine
// keeps running between chunks.

#include "backend/backend.h"
#include "backend/local_backend.h"

#include <QHash>
#include <QObject>
#include <functional>
#include <memory>

namespace signalbox::dlq {
class BulkJobRunner;
}
namespace signalbox::engine {
class EngineSession;
}

namespace signalbox::ui {

class LocalChangeRelay;
class LocalLogIndex;

class LocalWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalWorker)
public:
    using Post = std::function<void(std::function<void(Backend&)>)>;
    LocalWorker(LocalBackend::Options options, Post post);
    ~LocalWorker() override;

    // Called on the backend thread.
    void open();
    void shutdown(); // destroys the session here (its thread)

    void fetchRuns(Ticket t, const RunQuery& query);
    void fetchRun(Ticket t, const QString& runId);
    void fetchAttempts(Ticket t, const QString& runId, int index);
    void previewWorkflow(Ticket t, const QString& path);
    void fetchLogLines(Ticket t, const LogRequest& request);
    void fetchLogRange(Ticket t, const QString& runId, int index, qint64 firstLine, int count);
    void fetchLogIndex(Ticket t, const QString& runId, int index, int blockSize);
    void searchLog(Ticket t, const QString& runId, int index, const QString& pattern, int limit);
    void fetchEngineLog(Ticket t, qint64 afterId);
    void fetchDeadLetters(Ticket t, const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page);
    void countDeadLetters(Ticket t, const dlq::DlqFilter& filter);
    void fetchDeadLetter(Ticket t, qint64 key);
    void fetchDlqGroups(Ticket t, const dlq::DlqFilter& filter, const dlq::DlqGroupRequest& request);
    void fetchDlqStats(Ticket t);
    void fetchDlqJob(Ticket t, qint64 jobKey);
    void fetchDlqSettings(Ticket t);
    void fetchPools(Ticket t);
    void fetchRepositories(Ticket t);
    void fetchOverview(Ticket t, const OverviewQuery& query);

    void launchRun(Ticket t, const engine::RunRequest& request);
    void cancelRun(Ticket t, const QString& runId);
    void resumeRun(Ticket t, const QString& runId);
    void retryFailed(Ticket t, const QString& runId);
    void retryDeadLetters(Ticket t, const QList<qint64>& keys);
    void editAndRetryDeadLetter(Ticket t, qint64 key, const dlq::LaunchRecipe& recipe);
    void archiveDeadLetters(Ticket t, const QList<qint64>& keys);
    void purgeDeadLetters(Ticket t, const QList<qint64>& keys);
    void startDlqJob(Ticket t, dlq::BulkAction action, const dlq::DlqFilter& filter);
    void pauseDlqJob(Ticket t, qint64 jobKey);
    void resumeDlqJob(Ticket t, qint64 jobKey);
    void cancelDlqJob(Ticket t, qint64 jobKey);
    void setDlqSettings(Ticket t, const dlq::DlqSettings& settings);
    void addRepository(Ticket t, const CatalogRepo& repo);
    void removeRepository(Ticket t, const QString& name);
    void setPoolCapacity(Ticket t, const QString& pool, int capacity);
    void setPoolPaused(Ticket t, const QString& pool, bool paused);
    void exportLog(Ticket t, const QString& runId, int index, const QString& path);

private:
    // Pause, resume or cancel through the job runner; doneMessage has %1 for the job id.
    using JobControl = bool (dlq::BulkJobRunner::*)(qint64, const QString&, QString*);
    void controlDlqJob(Ticket t, qint64 jobKey, JobControl control, const QString& doneMessage);
    // False (and failed(t) answered) when the session is not open.
    bool ready(Ticket t);
    void fail(Ticket t, const QString& message);
    void finish(Ticket t, const CommandResult& result);
    void finishOk(Ticket t, const QString& message, const QString& id = {});
    void finishError(Ticket t, const QString& message);
    QList<PoolInfo> pools();
    struct SearchState;
    void continueSearch(std::shared_ptr<SearchState> search);
    struct ExportState;
    void continueExport(std::shared_ptr<ExportState> exporting);

    LocalBackend::Options m_options;
    Post m_post;
    std::unique_ptr<engine::EngineSession> m_session;
    std::unique_ptr<LocalChangeRelay> m_relay;
    std::unique_ptr<LocalLogIndex> m_logIndex;
    // The newest search per run/instance: an older one still scanning stops and answers
    // failed() (its view has moved on).
    QHash<QString, Ticket> m_latestSearch;
};

} // namespace signalbox::ui
