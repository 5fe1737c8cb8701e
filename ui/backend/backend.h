#pragma once
// The one seam between the console's views and an engine (docs/dev/architecture.md).
//
// Everything is asynchronous: a query or command returns a Ticket at once and is
// answered later by the matching *Fetched / commandFinished signal carrying that ticket
// (always exactly one answer per ticket, also on failure: then `failed(ticket, message)`
// instead). Views never block on I/O; a model keeps the ticket of its latest request and
// ignores answers to older ones (the DB Browser for SQLite row-loader idea).
//
// Change events carry ids, not rows: a view re-queries what it shows. They can arrive in
// bursts (a run writing 50,000 lines/s): coalesce them (ui/backend/coalescer.h).
//
// Implementations: LocalBackend (the embedded engine on its own thread) and, in issue 6,
// RemoteBackend (HTTP + WebSocket, ../shared/spec/api.md). Every method is called on the
// GUI thread; every signal is emitted on the GUI thread.

#include "backend/backend_types.h"
#include "engine/engine.h"

#include <QObject>

namespace signalbox::ui {

class Backend : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Backend)
public:
    using QObject::QObject;
    ~Backend() override = default;

    enum class State { Closed, Opening, Ready, Failed };
    Q_ENUM(State)

    // "Local" or the server's address; and a longer form for tooltips (the data dir).
    virtual QString name() const = 0;
    virtual QString description() const = 0;
    virtual State state() const = 0;
    // Starts opening (LocalBackend: takes the data dir lock, opens the store, recovers);
    // stateChanged follows. Opening an opened backend does nothing.
    virtual void open() = 0;

    // ---- queries ------------------------------------------------------------------
    virtual Ticket fetchRuns(const RunQuery& query) = 0;         // -> runsFetched
    virtual Ticket fetchRun(const QString& runId) = 0;           // -> runFetched
    virtual Ticket fetchAttempts(const QString& runId, int index) = 0; // -> attemptsFetched
    virtual Ticket previewWorkflow(const QString& path) = 0;     // -> workflowPreviewed

    virtual Ticket fetchLogLines(const LogRequest& request) = 0; // -> logLinesFetched
    // Lines [firstLine, firstLine + count) of the run (or instance), by line number.
    virtual Ticket fetchLogRange(const QString& runId, int index, qint64 firstLine, int count) = 0; // -> logLinesFetched
    virtual Ticket fetchLogIndex(const QString& runId, int index, int blockSize) = 0; // -> logIndexFetched
    // A regular expression (QRegularExpression syntax, case-insensitive) over the run's lines.
    virtual Ticket searchLog(const QString& runId, int index, const QString& pattern, int limit) = 0; // -> logSearchFinished
    // The engine's own log (spdlog ring buffer): entries with id > afterId.
    virtual Ticket fetchEngineLog(qint64 afterId) = 0;           // -> engineLogFetched

    virtual Ticket fetchDeadLetters(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) = 0; // -> deadLettersFetched
    virtual Ticket countDeadLetters(const dlq::DlqFilter& filter) = 0;   // -> deadLetterCountFetched
    virtual Ticket fetchDeadLetter(qint64 key) = 0;                      // -> deadLetterFetched
    virtual Ticket fetchDlqGroups(const dlq::DlqFilter& filter, const dlq::DlqGroupRequest& request) = 0; // -> dlqGroupsFetched
    virtual Ticket fetchDlqStats() = 0;                                  // -> dlqStatsFetched
    virtual Ticket fetchDlqJob(qint64 jobKey) = 0;                       // -> dlqJobFetched
    virtual Ticket fetchDlqSettings() = 0;                               // -> dlqSettingsFetched

    virtual Ticket fetchPools() = 0;                                     // -> poolsFetched
    virtual Ticket fetchRepositories() = 0;                              // -> repositoriesFetched
    virtual Ticket fetchOverview(const OverviewQuery& query) = 0;        // -> overviewFetched

    // ---- commands (-> commandFinished) ----------------------------------------------
    virtual Ticket launchRun(const engine::RunRequest& request) = 0; // creates and starts; id = run id
    virtual Ticket cancelRun(const QString& runId) = 0;
    virtual Ticket resumeRun(const QString& runId) = 0;
    virtual Ticket retryFailed(const QString& runId) = 0; // every failed instance of the run

    virtual Ticket retryDeadLetters(const QList<qint64>& keys) = 0;
    virtual Ticket editAndRetryDeadLetter(qint64 key, const dlq::LaunchRecipe& recipe) = 0;
    virtual Ticket archiveDeadLetters(const QList<qint64>& keys) = 0;
    virtual Ticket purgeDeadLetters(const QList<qint64>& keys) = 0;
    // A durable bulk job over the entries matching the filter now; id = "j_N".
    // Progress arrives as dlqJobChanged(jobKey).
    virtual Ticket startDlqJob(dlq::BulkAction action, const dlq::DlqFilter& filter) = 0;
    virtual Ticket pauseDlqJob(qint64 jobKey) = 0;
    virtual Ticket resumeDlqJob(qint64 jobKey) = 0;
    virtual Ticket cancelDlqJob(qint64 jobKey) = 0;
    virtual Ticket setDlqSettings(const dlq::DlqSettings& settings) = 0;

    virtual Ticket addRepository(const CatalogRepo& repo) = 0; // add or replace by name
    virtual Ticket removeRepository(const QString& name) = 0;

    virtual Ticket setPoolCapacity(const QString& pool, int capacity) = 0;
    virtual Ticket setPoolPaused(const QString& pool, bool paused) = 0;

    // Writes the run's (or instance's) output to a file, "[task repo] line" per line.
    virtual Ticket exportLog(const QString& runId, int index, const QString& path) = 0;

Q_SIGNALS:
    void stateChanged(signalbox::ui::Backend::State state, const QString& message);
    // Any query or command that could not be answered (one line): the ticket is done.
    void failed(signalbox::ui::Ticket ticket, const QString& message);

    void runsFetched(signalbox::ui::Ticket ticket, const signalbox::ui::RunPage& page);
    void runFetched(signalbox::ui::Ticket ticket, const signalbox::ui::RunDetail& detail);
    void attemptsFetched(signalbox::ui::Ticket ticket, const QList<signalbox::AttemptRecord>& attempts);
    void workflowPreviewed(signalbox::ui::Ticket ticket, const signalbox::ui::WorkflowPreview& preview);
    void logLinesFetched(signalbox::ui::Ticket ticket, const QList<signalbox::LogLine>& lines);
    void logIndexFetched(signalbox::ui::Ticket ticket, const signalbox::ui::LogIndex& index);
    void logSearchFinished(signalbox::ui::Ticket ticket, const signalbox::ui::LogSearchResult& result);
    void engineLogFetched(signalbox::ui::Ticket ticket, const QList<signalbox::logs::LogEntry>& entries);
    void deadLettersFetched(signalbox::ui::Ticket ticket, const QList<signalbox::dlq::DeadLetter>& entries);
    void deadLetterCountFetched(signalbox::ui::Ticket ticket, qint64 count);
    void deadLetterFetched(signalbox::ui::Ticket ticket, const signalbox::dlq::DeadLetter& entry); // unknown key: failed()
    void dlqGroupsFetched(signalbox::ui::Ticket ticket, const QList<signalbox::dlq::DlqGroup>& groups);
    void dlqStatsFetched(signalbox::ui::Ticket ticket, const signalbox::dlq::DlqStats& stats);
    void dlqJobFetched(signalbox::ui::Ticket ticket, const signalbox::dlq::BulkJob& job);
    void dlqSettingsFetched(signalbox::ui::Ticket ticket, const signalbox::dlq::DlqSettings& settings);
    void poolsFetched(signalbox::ui::Ticket ticket, const QList<signalbox::ui::PoolInfo>& pools);
    void repositoriesFetched(signalbox::ui::Ticket ticket, const QList<signalbox::ui::RepoSummary>& repos);
    void overviewFetched(signalbox::ui::Ticket ticket, const signalbox::ui::Overview& overview);
    void commandFinished(signalbox::ui::Ticket ticket, const signalbox::ui::CommandResult& result);

    // ---- change events (after the change is stored) ----------------------------------
    void runChanged(const QString& runId);                // created, status, finished
    void instanceChanged(const QString& runId, int index);
    void logAppended(const QString& runId);               // new output lines in that run
    void engineLogAppended();
    void deadLettersChanged();                            // entries added or changed
    void dlqJobChanged(qint64 jobKey);
    void poolsChanged();
    void repositoriesChanged();
    void dlqSettingsChanged();
};

} // namespace signalbox::ui
