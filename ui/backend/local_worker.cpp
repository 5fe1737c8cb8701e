#include "backend/local_worker.h"

#include "backend/local_change_relay.h"
#include "backend/local_log_index.h"
#include "dlq/audit.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "logs/log_buffer.h"
#include "pools/local_launcher.h"
#include "store/store.h"
#include "workflow/parser.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <algorithm>

namespace signalbox::ui {

namespace {

constexpr int kScanChunkLines = 20000; // per event-loop turn: a few ms of regex or writes

QString keyList(const QList<qint64>& keys) {
    QStringList ids;
    for (const qint64 key : keys.mid(0, 3))
        ids.append(dlq::entryId(key));
    if (keys.size() > 3)
        ids.append(QStringLiteral("…"));
    return ids.join(QStringLiteral(", "));
}

QList<TaskNode> tasksOf(const RunRecord& run) {
    if (run.workflowYaml.isEmpty())
        return {};
    workflow::ParseOptions options;
    options.checkRepoPaths = false; // the snapshot's repos may be gone; only the DAG matters
    const workflow::ParseResult parsed = workflow::parseWorkflowText(
        run.workflowYaml, run.workflowPath.isEmpty() ? run.workflow : run.workflowPath,
        QFileInfo(run.workflowPath).absolutePath(), options);
    QList<TaskNode> tasks;
    if (!parsed.workflow)
        return tasks;
    for (const workflow::TaskSpec& task : parsed.workflow->tasks)
        tasks.append(TaskNode{task.id, task.needs, task.pool()});
    return tasks;
}

} // namespace

struct LocalWorker::SearchState {
    Ticket ticket = 0;
    QString key;
    QString runId;
    int index = -1;
    QRegularExpression regex;
    int limit = 1000;
    qint64 nextId = 0;
    qint64 lineNumber = 0;
    LogSearchResult result;
};

struct LocalWorker::ExportState {
    Ticket ticket = 0;
    QString runId;
    int index = -1;
    QString path;
    std::unique_ptr<QSaveFile> file;
    QHash<int, QString> labels; // instance index -> "[task repo] "
    qint64 nextId = 0;
    qint64 written = 0;
};

LocalWorker::LocalWorker(LocalBackend::Options options, Post post)
    : m_options(std::move(options))
    , m_post(std::move(post)) {}

LocalWorker::~LocalWorker() = default;

void LocalWorker::open() {
    if (m_session)
        return;
    auto session =
        std::make_unique<engine::EngineSession>(m_options.dataDir, engine::EngineSession::Role::Console);
    QString error;
    const auto result = session->open(m_options.lockWaitMs, /*recover=*/true, &error);
    if (result != engine::EngineSession::OpenResult::Opened) {
        const QString message =
            result == engine::EngineSession::OpenResult::Busy
                ? (error.isEmpty() ? tr("the data dir %1 is in use by another engine").arg(m_options.dataDir)
                                   : error)
                : (error.isEmpty() ? tr("cannot open the data dir %1").arg(m_options.dataDir) : error);
        session.reset(); // releases whatever it took, on this thread
        m_post([message](Backend& backend) {
            static_cast<LocalBackend&>(backend).setStateFromWorker(Backend::State::Failed, message);
        });
        return;
    }
    session->addLocalPool(m_options.localCapacity);
    if (m_options.startProcessor)
        session->queue().startProcessor();
    session->resumeJobs();
    m_session = std::move(session);
    m_logIndex = std::make_unique<LocalLogIndex>(m_session->store());
    m_relay = std::make_unique<LocalChangeRelay>(*m_session, m_post);
    const QString message = tr("opened %1").arg(m_session->dataDir());
    m_post([message](Backend& backend) {
        static_cast<LocalBackend&>(backend).setStateFromWorker(Backend::State::Ready, message);
    });
}

void LocalWorker::shutdown() {
    m_relay.reset();
    m_logIndex.reset();
    m_session.reset(); // interrupts what still runs, drains the store, releases the lock
}

// ---- helpers ------------------------------------------------------------------------

bool LocalWorker::ready(Ticket t) {
    if (m_session)
        return true;
    fail(t, tr("the engine is not open"));
    return false;
}

void LocalWorker::fail(Ticket t, const QString& message) {
    m_post([t, message](Backend& backend) { Q_EMIT backend.failed(t, message); });
}

void LocalWorker::finish(Ticket t, const CommandResult& result) {
    auto deliver = [post = m_post, t, result] {
        post([t, result](Backend& backend) { Q_EMIT backend.commandFinished(t, result); });
    };
    if (!m_session)
        return deliver();
    // After what the command wrote has committed: a view that re-queries on the answer
    // (e.g. the new run by its id) finds it. Runs on the store's writer thread.
    m_session->store().whenCommitted(std::move(deliver));
}

void LocalWorker::finishOk(Ticket t, const QString& message, const QString& id) {
    CommandResult result;
    result.ok = true;
    result.message = message;
    result.id = id;
    finish(t, result);
}

void LocalWorker::finishError(Ticket t, const QString& message) {
    CommandResult result;
    result.message = message;
    finish(t, result);
}

// ---- runs ---------------------------------------------------------------------------

void LocalWorker::fetchRuns(Ticket t, const RunQuery& query) {
    if (!ready(t))
        return;
    store::RunPageQuery page;
    page.statuses = query.statuses;
    page.workflow = query.workflow;
    page.search = query.search;
    page.createdFromMs = query.createdFromMs;
    page.afterCreatedAtMs = query.afterCreatedAtMs;
    page.afterId = query.afterId;
    const int limit = std::clamp(query.limit, 1, 10000);
    page.limit = limit + 1; // one more tells whether another page exists
    QList<store::RunWithCounts> rows = m_session->store().runPage(page);
    RunPage answer;
    answer.more = rows.size() > limit;
    if (answer.more)
        rows.resize(limit);
    answer.runs.reserve(rows.size());
    for (const store::RunWithCounts& row : rows)
        answer.runs.append(
            RunSummary{row.run, row.total, row.succeeded, row.failed, row.running, row.finished});
    m_post([t, answer](Backend& backend) { Q_EMIT backend.runsFetched(t, answer); });
}

void LocalWorker::fetchRun(Ticket t, const QString& runId) {
    if (!ready(t))
        return;
    store::Store& store = m_session->store();
    auto run = store.run(runId);
    if (!run)
        return fail(t, tr("no run %1").arg(runId));
    // The line count comes from the run's line index (kept up to date incrementally), not
    // count(*) over millions of lines each time the detail is re-read; built a slice per turn.
    if (!m_logIndex->advance(runId, -1, LocalLogIndex::kRangeBlockSize)) {
        QMetaObject::invokeMethod(this, [this, t, runId] { fetchRun(t, runId); }, Qt::QueuedConnection);
        return;
    }
    RunDetail detail;
    detail.run = *run;
    detail.instances = store.instances(runId);
    detail.tasks = tasksOf(*run);
    detail.logLines = m_logIndex->current(runId, -1, LocalLogIndex::kRangeBlockSize).total;
    m_post([t, detail](Backend& backend) { Q_EMIT backend.runFetched(t, detail); });
}

void LocalWorker::fetchAttempts(Ticket t, const QString& runId, int index) {
    if (!ready(t))
        return;
    const QList<AttemptRecord> attempts = m_session->store().attempts(runId, index);
    m_post([t, attempts](Backend& backend) { Q_EMIT backend.attemptsFetched(t, attempts); });
}

void LocalWorker::previewWorkflow(Ticket t, const QString& path) {
    if (!ready(t))
        return;
    WorkflowPreview preview;
    preview.path = path;
    const workflow::ParseResult parsed = workflow::parseWorkflowFile(path, path);
    preview.diagnostics = parsed.diagnostics;
    if (!parsed.ok() && preview.diagnostics.isEmpty())
        preview.diagnostics.append(workflow::Diagnostic{path, 0, 0, tr("invalid workflow")});
    if (parsed.workflow) {
        const workflow::Workflow& wf = *parsed.workflow;
        preview.name = wf.name;
        for (const workflow::TaskSpec& task : wf.tasks)
            preview.tasks.append(task.id);
        for (const workflow::RepoSpec& repo : wf.repos)
            preview.repos.append(repo.path);
        preview.params = wf.params;
        preview.maxConcurrent = wf.maxConcurrent;
    }
    preview.pools = m_session->engine().pools();
    m_post([t, preview](Backend& backend) { Q_EMIT backend.workflowPreviewed(t, preview); });
}

// ---- logs ---------------------------------------------------------------------------

void LocalWorker::fetchLogLines(Ticket t, const LogRequest& request) {
    if (!ready(t))
        return;
    if (request.runId.isEmpty())
        return fail(t, tr("no run given for its output"));
    const int limit = std::clamp(request.limit, 1, 100000);
    QList<LogLine> lines;
    if (request.index >= 0) {
        lines = m_session->store().logRange(request.runId, request.index, request.afterId + 1, 0, limit);
    } else {
        store::LogQuery query;
        query.runId = request.runId;
        query.afterId = request.afterId;
        query.limit = limit;
        lines = m_session->store().logs(query);
    }
    m_post([t, lines](Backend& backend) { Q_EMIT backend.logLinesFetched(t, lines); });
}

void LocalWorker::fetchLogRange(Ticket t, const QString& runId, int index, qint64 firstLine, int count) {
    if (!ready(t))
        return;
    if (firstLine < 0 || count < 0)
        return fail(t, tr("bad line range %1 (+%2)").arg(firstLine).arg(count));
    // Build the index only as far as the range needs (or to the end), a slice per turn.
    const bool complete = m_logIndex->advance(runId, index, LocalLogIndex::kRangeBlockSize);
    const qint64 known = m_logIndex->current(runId, index, LocalLogIndex::kRangeBlockSize).total;
    if (!complete && known < firstLine + count) {
        QMetaObject::invokeMethod(
            this,
            [this, t, runId, index, firstLine, count] { fetchLogRange(t, runId, index, firstLine, count); },
            Qt::QueuedConnection);
        return;
    }
    const QList<LogLine> lines = m_logIndex->range(runId, index, firstLine, count);
    m_post([t, lines](Backend& backend) { Q_EMIT backend.logLinesFetched(t, lines); });
}

void LocalWorker::fetchLogIndex(Ticket t, const QString& runId, int index, int blockSize) {
    if (!ready(t))
        return;
    if (!m_logIndex->advance(runId, index, blockSize)) {
        QMetaObject::invokeMethod(
            this, [this, t, runId, index, blockSize] { fetchLogIndex(t, runId, index, blockSize); },
            Qt::QueuedConnection);
        return;
    }
    const LogIndex logIndex = m_logIndex->current(runId, index, blockSize);
    m_post([t, logIndex](Backend& backend) { Q_EMIT backend.logIndexFetched(t, logIndex); });
}

void LocalWorker::searchLog(Ticket t, const QString& runId, int index, const QString& pattern, int limit) {
    if (!ready(t))
        return;
    auto search = std::make_shared<SearchState>();
    search->ticket = t;
    search->key = runId + QLatin1Char('/') + QString::number(index);
    search->runId = runId;
    search->index = index;
    search->regex = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
    search->limit = std::max(1, limit);
    if (pattern.isEmpty() || !search->regex.isValid())
        return fail(t, tr("invalid regular expression: %1")
                           .arg(pattern.isEmpty() ? tr("empty pattern") : search->regex.errorString()));
    search->regex.optimize();
    m_latestSearch.insert(search->key, t);
    continueSearch(std::move(search));
}

void LocalWorker::continueSearch(std::shared_ptr<SearchState> search) {
    if (!m_session)
        return fail(search->ticket, tr("the engine closed"));
    if (m_latestSearch.value(search->key) != search->ticket)
        return fail(search->ticket, tr("search superseded by a newer one"));
    const QList<LogLine> lines =
        m_session->store().logRange(search->runId, search->index, search->nextId, 0, kScanChunkLines);
    for (const LogLine& line : lines) {
        if (search->regex.match(line.text).hasMatch()) {
            if (search->result.lineNumbers.size() >= search->limit) {
                search->result.truncated = true;
                break;
            }
            search->result.lineNumbers.append(search->lineNumber);
        }
        ++search->lineNumber;
    }
    if (lines.size() == kScanChunkLines && !search->result.truncated) {
        search->nextId = lines.last().id + 1;
        // Next chunk on a later turn: the engine's own events run in between.
        QMetaObject::invokeMethod(
            this, [this, search] { continueSearch(search); }, Qt::QueuedConnection);
        return;
    }
    m_latestSearch.remove(search->key);
    const Ticket t = search->ticket;
    const LogSearchResult result = search->result;
    m_post([t, result](Backend& backend) { Q_EMIT backend.logSearchFinished(t, result); });
}

void LocalWorker::exportLog(Ticket t, const QString& runId, int index, const QString& path) {
    if (!ready(t))
        return;
    auto exporting = std::make_shared<ExportState>();
    exporting->ticket = t;
    exporting->runId = runId;
    exporting->index = index;
    exporting->path = path;
    exporting->file = std::make_unique<QSaveFile>(path);
    if (!exporting->file->open(QIODevice::WriteOnly))
        return finishError(t, tr("cannot write %1: %2").arg(path, exporting->file->errorString()));
    for (const InstanceRecord& instance : m_session->store().instances(runId)) {
        const QString label =
            instance.repo.isEmpty() ? instance.taskId : instance.taskId + QLatin1Char(' ') + instance.repo;
        exporting->labels.insert(instance.index, QLatin1Char('[') + label + QStringLiteral("] "));
    }
    continueExport(std::move(exporting));
}

void LocalWorker::continueExport(std::shared_ptr<ExportState> exporting) {
    if (!m_session)
        return finishError(exporting->ticket, tr("the engine closed before the export finished"));
    const QList<LogLine> lines = m_session->store().logRange(exporting->runId, exporting->index,
                                                             exporting->nextId, 0, kScanChunkLines);
    QByteArray chunk;
    for (const LogLine& line : lines) {
        const QString text = exporting->labels.value(line.index) + line.text + QLatin1Char('\n');
        chunk.append(text.toUtf8());
    }
    if (exporting->file->write(chunk) != chunk.size())
        return finishError(exporting->ticket,
                           tr("cannot write %1: %2").arg(exporting->path, exporting->file->errorString()));
    exporting->written += lines.size();
    if (lines.size() == kScanChunkLines) {
        exporting->nextId = lines.last().id + 1;
        QMetaObject::invokeMethod(
            this, [this, exporting] { continueExport(exporting); }, Qt::QueuedConnection);
        return;
    }
    if (!exporting->file->commit())
        return finishError(exporting->ticket,
                           tr("cannot write %1: %2").arg(exporting->path, exporting->file->errorString()));
    finishOk(
        exporting->ticket,
        tr("%n line(s) written to %1", nullptr, static_cast<int>(exporting->written)).arg(exporting->path),
        exporting->path);
}

void LocalWorker::fetchEngineLog(Ticket t, qint64 afterId) {
    const QList<logs::LogEntry> entries = logs::LogBuffer::instance().entries(afterId);
    m_post([t, entries](Backend& backend) { Q_EMIT backend.engineLogFetched(t, entries); });
}

// ---- dead letters -------------------------------------------------------------------

void LocalWorker::fetchDeadLetters(Ticket t, const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    const QList<dlq::DeadLetter> entries = m_session->store().dlqEntries(filter, page);
    m_post([t, entries](Backend& backend) { Q_EMIT backend.deadLettersFetched(t, entries); });
}

void LocalWorker::countDeadLetters(Ticket t, const dlq::DlqFilter& filter) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    const qint64 count = m_session->store().dlqCount(filter);
    m_post([t, count](Backend& backend) { Q_EMIT backend.deadLetterCountFetched(t, count); });
}

void LocalWorker::fetchDeadLetter(Ticket t, qint64 key) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    const auto entry = m_session->store().dlqEntry(key);
    if (!entry)
        return fail(t, tr("no dead letter %1").arg(dlq::entryId(key)));
    const dlq::DeadLetter found = *entry;
    m_post([t, found](Backend& backend) { Q_EMIT backend.deadLetterFetched(t, found); });
}

void LocalWorker::fetchDlqGroups(Ticket t, const dlq::DlqFilter& filter,
                                 const dlq::DlqGroupRequest& request) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    const QList<dlq::DlqGroup> groups = m_session->store().dlqGroups(filter, request);
    m_post([t, groups](Backend& backend) { Q_EMIT backend.dlqGroupsFetched(t, groups); });
}

void LocalWorker::fetchDlqStats(Ticket t) {
    if (!ready(t))
        return;
    const dlq::DlqStats stats = m_session->queue().stats();
    m_post([t, stats](Backend& backend) { Q_EMIT backend.dlqStatsFetched(t, stats); });
}

void LocalWorker::fetchDlqJob(Ticket t, qint64 jobKey) {
    if (!ready(t))
        return;
    const auto job = m_session->store().dlqJob(jobKey);
    if (!job)
        return fail(t, tr("no job %1").arg(dlq::jobId(jobKey)));
    const dlq::BulkJob found = *job;
    m_post([t, found](Backend& backend) { Q_EMIT backend.dlqJobFetched(t, found); });
}

void LocalWorker::fetchDlqSettings(Ticket t) {
    if (!ready(t))
        return;
    const dlq::DlqSettings settings = m_session->queue().settings();
    m_post([t, settings](Backend& backend) { Q_EMIT backend.dlqSettingsFetched(t, settings); });
}

// ---- pools, repositories, overview ---------------------------------------------------

QList<PoolInfo> LocalWorker::pools() {
    QList<PoolInfo> result;
    engine::Engine& engine = m_session->engine();
    const pools::LocalLauncher* local = m_session->localPool();
    for (const QString& name : engine.pools()) {
        const engine::Launcher* launcher = engine.pool(name);
        if (!launcher)
            continue;
        const engine::PoolLoad load = engine.poolLoad(name);
        PoolInfo info;
        info.name = name;
        info.kind = launcher == local ? QStringLiteral("local") : QStringLiteral("other");
        info.capacity = load.capacity;
        info.busy = load.busy;
        info.queued = load.queued;
        info.paused = load.paused;
        info.draining = load.paused && load.busy > 0;
        // Degraded: work waits while the pool takes none (paused); no remote health yet.
        info.health = load.paused && load.queued > 0 ? PoolHealth::Degraded : PoolHealth::Healthy;
        info.configurable = launcher == local;
        result.append(info);
    }
    return result;
}

void LocalWorker::fetchPools(Ticket t) {
    if (!ready(t))
        return;
    const QList<PoolInfo> infos = pools();
    m_post([t, infos](Backend& backend) { Q_EMIT backend.poolsFetched(t, infos); });
}

void LocalWorker::fetchRepositories(Ticket t) {
    if (!ready(t))
        return;
    store::Store& store = m_session->store();
    const QList<CatalogRepo> catalog = store.catalog();
    QStringList names;
    for (const CatalogRepo& repo : catalog)
        names.append(repo.name);
    QHash<QString, store::RepoLastResult> last;
    for (const store::RepoLastResult& result : store.lastResults(names))
        last.insert(result.repo, result);
    QList<RepoSummary> repos;
    for (const CatalogRepo& repo : catalog) {
        RepoSummary summary;
        summary.repo = repo;
        if (const auto it = last.constFind(repo.name); it != last.constEnd()) {
            summary.hasResult = true;
            summary.lastRunId = it->runId;
            summary.lastWorkflow = it->workflow;
            summary.lastTaskId = it->taskId;
            summary.lastStatus = it->status;
            summary.lastFinishedAtMs = it->finishedAtMs;
        }
        repos.append(summary);
    }
    m_post([t, repos](Backend& backend) { Q_EMIT backend.repositoriesFetched(t, repos); });
}

void LocalWorker::fetchOverview(Ticket t, const OverviewQuery& query) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    Overview overview;
    overview.nowMs = query.nowMs > 0 ? query.nowMs : QDateTime::currentMSecsSinceEpoch();
    const qint64 bucketMs = std::max<qint64>(1000, query.bucketMs);
    store::ActivityQuery activityQuery;
    activityQuery.toMs = overview.nowMs;
    activityQuery.fromMs = overview.nowMs - std::max<qint64>(bucketMs, query.windowMs);
    activityQuery.bucketMs = bucketMs;
    activityQuery.latestFailures = std::max(0, query.latestFailures);
    const store::Activity activity = m_session->store().activity(activityQuery);

    overview.runningRuns = static_cast<int>(activity.runningRuns);
    overview.runningTasks = static_cast<int>(activity.runningTasks);
    overview.runsInWindow = activity.runsInWindow;
    overview.succeededInWindow = activity.succeededInWindow;
    overview.failedInWindow = activity.failedInWindow;
    overview.successRate = activity.finishedInWindow > 0
                               ? static_cast<double>(activity.succeededInWindow) / activity.finishedInWindow
                               : 0.0;
    const dlq::DlqStats stats = m_session->queue().stats();
    overview.dlqPending = stats.byStatus.value(dlq::toString(dlq::DlqStatus::Pending)) +
                          stats.byStatus.value(dlq::toString(dlq::DlqStatus::Retrying));
    overview.dlqExhausted = stats.byStatus.value(dlq::toString(dlq::DlqStatus::Exhausted));
    overview.dlqDepthWindowStart = activity.dlqDepthAtStart;
    overview.pools = pools();
    for (const store::ActivityBucket& bucket : activity.buckets) {
        overview.tasksFinished.append(TimePoint{bucket.startMs, static_cast<double>(bucket.finished)});
        overview.failureRate.append(
            TimePoint{bucket.startMs,
                      bucket.finished > 0 ? static_cast<double>(bucket.failed) / bucket.finished : 0.0});
        overview.dlqDepth.append(TimePoint{bucket.startMs, static_cast<double>(bucket.dlqDepth)});
    }
    for (const store::InstanceFailure& failure : activity.latestFailures) {
        FailureItem item;
        item.runId = failure.instance.runId;
        item.index = failure.instance.index;
        item.workflow = failure.workflow;
        item.taskId = failure.instance.taskId;
        item.repo = failure.instance.repo;
        item.category = failure.instance.category;
        item.error = failure.instance.error;
        item.finishedAtMs = failure.instance.finishedAtMs;
        overview.latestFailures.append(item);
    }
    m_post([t, overview](Backend& backend) { Q_EMIT backend.overviewFetched(t, overview); });
}

// ---- commands -----------------------------------------------------------------------

void LocalWorker::launchRun(Ticket t, const engine::RunRequest& request) {
    if (!ready(t))
        return;
    engine::Engine& engine = m_session->engine();
    workflow::Diagnostics diagnostics;
    const auto runId = engine.createRun(request, &diagnostics);
    if (!runId) {
        CommandResult result;
        result.diagnostics = diagnostics;
        result.message =
            diagnostics.isEmpty() ? tr("the workflow could not be launched") : diagnostics.first().format();
        return finish(t, result);
    }
    QString error;
    if (!engine.startRun(*runId, &error)) {
        CommandResult result;
        result.id = *runId;
        result.message = tr("run %1 was created but did not start: %2").arg(*runId, error);
        return finish(t, result);
    }
    finishOk(t, tr("run %1 started").arg(*runId), *runId);
}

void LocalWorker::cancelRun(Ticket t, const QString& runId) {
    if (!ready(t))
        return;
    QString error;
    if (!m_session->engine().cancelRun(runId, &error))
        return finishError(t, error);
    finishOk(t, tr("run %1 cancelled").arg(runId), runId);
}

void LocalWorker::resumeRun(Ticket t, const QString& runId) {
    if (!ready(t))
        return;
    QString error;
    if (!m_session->engine().resumeRun(runId, &error))
        return finishError(t, error);
    finishOk(t, tr("run %1 resumed").arg(runId), runId);
}

void LocalWorker::retryFailed(Ticket t, const QString& runId) {
    if (!ready(t))
        return;
    store::Store& store = m_session->store();
    m_relay->syncIfNeeded(); // a failure's dead letter may still be in the inbox
    QList<qint64> deadLetters;
    QList<int> plain;
    for (const InstanceRecord& instance : store.instances(runId)) {
        if (instance.status != InstanceStatus::Failed)
            continue;
        // Through its dead letter when it has one, so the entry records the outcome.
        if (const auto entry = store.dlqActiveEntryFor(runId, instance.index);
            entry && entry->status != dlq::DlqStatus::Retrying)
            deadLetters.append(entry->key);
        else if (!entry)
            plain.append(instance.index);
    }
    if (deadLetters.isEmpty() && plain.isEmpty())
        return finishError(t, tr("run %1 has no failed task to retry").arg(runId));
    QString error;
    if (!deadLetters.isEmpty() && !m_session->queue().retry(deadLetters, dlq::localActor(), &error))
        return finishError(t, error);
    if (!plain.isEmpty() && !m_session->engine().retryInstances(runId, plain, &error))
        return finishError(t, error);
    const int count = static_cast<int>(deadLetters.size() + plain.size());
    finishOk(t, tr("retrying %n failed task(s) of %1", nullptr, count).arg(runId), runId);
}

void LocalWorker::retryDeadLetters(Ticket t, const QList<qint64>& keys) {
    if (!ready(t))
        return;
    if (keys.isEmpty())
        return finishError(t, tr("no dead letters selected"));
    m_relay->syncIfNeeded();
    QString error;
    if (!m_session->queue().retry(keys, dlq::localActor(), &error))
        return finishError(t, error);
    finishOk(t,
             tr("retrying %n dead letter(s): %1", nullptr, static_cast<int>(keys.size())).arg(keyList(keys)));
}

void LocalWorker::editAndRetryDeadLetter(Ticket t, qint64 key, const dlq::LaunchRecipe& recipe) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded();
    dlq::RecipeEdit edit;
    edit.argv = recipe.argv;
    edit.env = recipe.env;
    edit.workingDir = recipe.workingDir;
    QString error;
    if (!m_session->queue().editAndRetry(key, edit, dlq::localActor(), &error))
        return finishError(t, error);
    finishOk(t, tr("%1 edited and retrying").arg(dlq::entryId(key)), dlq::entryId(key));
}

void LocalWorker::archiveDeadLetters(Ticket t, const QList<qint64>& keys) {
    if (!ready(t))
        return;
    if (keys.isEmpty())
        return finishError(t, tr("no dead letters selected"));
    m_relay->syncIfNeeded();
    QString error;
    const auto archived = m_session->queue().archive(keys, dlq::localActor(), &error);
    if (!archived)
        return finishError(t, error);
    finishOk(t, tr("%n dead letter(s) archived", nullptr, *archived));
}

void LocalWorker::purgeDeadLetters(Ticket t, const QList<qint64>& keys) {
    if (!ready(t))
        return;
    if (keys.isEmpty())
        return finishError(t, tr("no dead letters selected"));
    m_relay->syncIfNeeded();
    QString error;
    const auto purged = m_session->queue().purge(keys, dlq::localActor(), &error);
    if (!purged)
        return finishError(t, error);
    finishOk(t, tr("%n dead letter(s) purged", nullptr, *purged));
}

void LocalWorker::startDlqJob(Ticket t, dlq::BulkAction action, const dlq::DlqFilter& filter) {
    if (!ready(t))
        return;
    m_relay->syncIfNeeded(); // the job's entries are fixed now: include those just enqueued
    QString error;
    const QString selector = filter.isEmpty() ? tr("all entries (console)") : tr("console filter");
    const auto job = m_session->jobRunner().start(action, filter, selector, dlq::localActor(), &error);
    if (!job)
        return finishError(t, error);
    finishOk(t,
             tr("job %1 started: %2 %n entr(y/ies)", nullptr, static_cast<int>(job->total))
                 .arg(job->id(), dlq::toString(action)),
             job->id());
}

void LocalWorker::pauseDlqJob(Ticket t, qint64 jobKey) {
    controlDlqJob(t, jobKey, &dlq::BulkJobRunner::pause, tr("job %1 paused"));
}

void LocalWorker::resumeDlqJob(Ticket t, qint64 jobKey) {
    controlDlqJob(t, jobKey, &dlq::BulkJobRunner::resume, tr("job %1 resumed"));
}

void LocalWorker::cancelDlqJob(Ticket t, qint64 jobKey) {
    controlDlqJob(t, jobKey, &dlq::BulkJobRunner::cancel, tr("job %1 cancelled"));
}

void LocalWorker::controlDlqJob(Ticket t, qint64 jobKey, JobControl control, const QString& doneMessage) {
    if (!ready(t))
        return;
    QString error;
    if (!(m_session->jobRunner().*control)(jobKey, dlq::localActor(), &error))
        return finishError(t, error);
    finishOk(t, doneMessage.arg(dlq::jobId(jobKey)), dlq::jobId(jobKey));
}

void LocalWorker::setDlqSettings(Ticket t, const dlq::DlqSettings& settings) {
    if (!ready(t))
        return;
    QString error;
    if (!m_session->queue().setSettings(settings, dlq::localActor(), &error))
        return finishError(t, error);
    m_relay->markDlqSettingsChanged();
    finishOk(t, tr("dead letter queue settings saved"));
}

void LocalWorker::addRepository(Ticket t, const CatalogRepo& repo) {
    if (!ready(t))
        return;
    if (repo.name.trimmed().isEmpty())
        return finishError(t, tr("a repository needs a name"));
    if (!QFileInfo(repo.path).isDir())
        return finishError(t, tr("%1 is not a folder").arg(repo.path));
    CatalogRepo stored = repo;
    stored.path = QFileInfo(repo.path).absoluteFilePath();
    QString error;
    if (!m_session->store().upsertCatalogRepo(stored, &error))
        return finishError(t, error);
    m_relay->markRepositoriesChanged();
    finishOk(t, tr("repository %1 saved").arg(repo.name), repo.name);
}

void LocalWorker::removeRepository(Ticket t, const QString& name) {
    if (!ready(t))
        return;
    QString error;
    if (!m_session->store().removeCatalogRepo(name, &error))
        return finishError(t, error);
    m_relay->markRepositoriesChanged();
    finishOk(t, tr("repository %1 removed").arg(name), name);
}

void LocalWorker::setPoolCapacity(Ticket t, const QString& pool, int capacity) {
    if (!ready(t))
        return;
    pools::LocalLauncher* local = m_session->localPool();
    if (!local || m_session->engine().pool(pool) != local)
        return finishError(t, tr("pool %1 cannot be changed from here").arg(pool));
    if (capacity < 1 || capacity > 1024)
        return finishError(t, tr("capacity must be between 1 and 1024"));
    // The engine follows capacityChanged: more starts waiting instances, fewer lets running ones finish.
    local->setCapacity(capacity);
    m_relay->markPoolsChanged();
    finishOk(t, tr("pool %1: %n worker(s)", nullptr, capacity).arg(pool), pool);
}

void LocalWorker::setPoolPaused(Ticket t, const QString& pool, bool paused) {
    if (!ready(t))
        return;
    engine::Engine& engine = m_session->engine();
    if (!engine.pool(pool))
        return finishError(t, tr("no pool %1").arg(pool));
    engine.setPoolPaused(pool, paused);
    m_relay->markPoolsChanged();
    finishOk(t,
             paused ? tr("pool %1 paused: running tasks finish, new ones wait").arg(pool)
                    : tr("pool %1 resumed").arg(pool),
             pool);
}

} // namespace signalbox::ui
