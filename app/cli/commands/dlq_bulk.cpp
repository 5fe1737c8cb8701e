#include "commands/dlq_bulk.h"

#include "commands/dlq_filter_flags.h"
#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "commands/run_handover.h"
#include "commands/signal_watcher.h"
#include "dlq/audit.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "domain/clock.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "engine/engine.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTimer>
#include <csignal>
#include <optional>
#include <unistd.h>

namespace signalbox::cli {
namespace {

constexpr int kRequestTimeoutMs = 10'000;
constexpr int kHandoverDeadlineMs = 10'000; // as `run`: an exiting holder lets go within moments
constexpr int kRetryIntervalMs = 50;
constexpr int kFollowIntervalMs = 200;
constexpr qint64 kOwnerlessGraceMs = 5'000;
constexpr int kSampleSize = 10;
constexpr int kTextItemLimit = 50;

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QString verbOf(dlq::BulkAction action) {
    return dlq::toString(action);
}

int printDryRun(CliContext& context, store::Store& store, const DlqBulkRequest& request, qint64 count) {
    dlq::DlqPageRequest page;
    page.limit = kSampleSize;
    const QList<dlq::DeadLetter> sample = store.dlqEntries(request.filter, page);
    if (context.json()) {
        QJsonArray entries;
        for (const dlq::DeadLetter& entry : sample)
            entries.append(dlqEntryToJson(entry));
        context.printJson(QJsonObject{{QStringLiteral("dry_run"), true},
                                      {QStringLiteral("action"), verbOf(request.action)},
                                      {QStringLiteral("count"), count},
                                      {QStringLiteral("selector"), request.selector},
                                      {QStringLiteral("sample"), entries}});
    } else {
        context.print(QStringLiteral("would %1 %2 dead letter(s) matching %3")
                          .arg(verbOf(request.action))
                          .arg(count)
                          .arg(request.selector));
        if (!sample.isEmpty())
            context.print(formatDlqEntries(sample));
        if (count > sample.size())
            context.print(QStringLiteral("... and %1 more").arg(count - sample.size()));
        if (!request.dryRun)
            context.note(QStringLiteral("nothing changed: add --yes to %1 them").arg(verbOf(request.action)));
    }
    return kExitOk;
}

enum class JobHandover { Accepted, Busy, Retry, Failed };

JobHandover handOverJob(const QString& dataDir, qint64 jobKey, QString* error) {
    QString why;
    const auto reply =
        engine::ControlClient::request(dataDir,
                                       QJsonObject{{QStringLiteral("cmd"), QStringLiteral("dlq_job")},
                                                   {QStringLiteral("job"), dlq::jobId(jobKey)}},
                                       kRequestTimeoutMs, &why);
    if (!reply) {
        logs::debug(QStringLiteral("job %1: hand-over not answered: %2").arg(dlq::jobId(jobKey), why));
        return JobHandover::Retry;
    }
    if (reply->value(QStringLiteral("ok")).toBool())
        return JobHandover::Accepted;
    *error = reply->value(QStringLiteral("error")).toString();
    if (reply->value(QStringLiteral("busy")).toBool())
        return JobHandover::Busy;
    if (reply->value(QStringLiteral("closing")).toBool())
        return JobHandover::Retry;
    return JobHandover::Failed;
}

// Records the job (its entries fixed now) without the lock, audited like
// BulkJobRunner::start does it.
std::optional<dlq::BulkJob> createJob(CliContext& context, store::Store& store, const DlqBulkRequest& request,
                                      int* exitCode) {
    dlq::BulkJob job;
    job.action = request.action;
    job.state = dlq::JobState::Queued;
    job.actor = dlq::localActor();
    job.selector = request.selector;
    job.createdAtMs = Clock::instance().nowMs();
    job.updatedAtMs = job.createdAtMs;
    QString error;
    auto created = store.dlqCreateJob(job, request.filter, &error);
    if (!created) {
        *exitCode =
            context.fail(kExitCannotProceed,
                         QStringLiteral("cannot record the %1 job: %2").arg(verbOf(request.action), error));
        return std::nullopt;
    }
    dlq::AuditRecord record;
    record.atMs = job.createdAtMs;
    record.actor = job.actor;
    record.action = QStringLiteral("job-start");
    record.target = created->id() + u' ' + created->selector; // as BulkJobRunner::start
    record.count = created->total;
    record.outcome =
        QStringLiteral("%1 of %2 entries (queued)").arg(verbOf(request.action)).arg(created->total);
    store.appendAudit(record);
    store.sync();
    logs::info(QStringLiteral("dlq job %1 recorded: %2 %3 entries (%4)")
                   .arg(created->id(), verbOf(request.action))
                   .arg(created->total)
                   .arg(request.selector));
    return created;
}

} // namespace

void settle(CliContext& context, EngineHost& host) {
    if (host.isIdle())
        return;
    logs::info(QStringLiteral("waiting for the runs this process resumed to end"));
    if (::isatty(STDERR_FILENO) == 1 && !context.json())
        context.note(QStringLiteral("waiting for the retried runs (and their dependents) to end ..."));
    host.waitUntilIdle();
}

namespace {

// This process holds the lock: run the job here and wait for it.
int runHere(CliContext& context, EngineHost& host, const DlqBulkRequest& request,
            std::optional<qint64> jobKey) {
    host.addLocalPool(0); // then the jobs left unfinished continue
    host.resumeJobs();
    dlq::BulkJobRunner& runner = host.jobRunner();
    const QString actor = dlq::localActor();
    QSet<qint64> finished;
    QEventLoop loop;
    qint64 key = jobKey.value_or(0);
    QObject::connect(&runner, &dlq::BulkJobRunner::jobFinished, &loop, [&](const dlq::BulkJob& job) {
        finished.insert(job.key);
        if (job.key == key)
            loop.quit();
    });
    bool interrupted = false;
    QObject::connect(&host, &EngineHost::interruptRequested, &loop, [&](int) {
        interrupted = true;
        if (key == 0)
            return;
        if (context.json() == false)
            context.note(QStringLiteral("cancelling job %1 ...").arg(dlq::jobId(key)));
        QString why;
        if (!runner.cancel(key, actor, &why))
            logs::warn(QStringLiteral("cannot cancel job %1: %2").arg(dlq::jobId(key), why));
        host.engine().cancelAll(); // retries in flight end now (their runs are recorded cancelled)
        loop.quit();
    });
    if (host.interruptSignal() != 0)
        return kExitInterrupted; // before anything started
    QString error;
    if (jobKey) {
        if (!runner.run(*jobKey, &error)) {
            // Resumed already by resumeJobs (it was queued), or finished meanwhile.
            const auto job = host.store().dlqJob(*jobKey);
            if (!job)
                return context.fail(kExitCannotProceed, error);
            if (job->state == dlq::JobState::Paused)
                return context.fail(kExitCannotProceed,
                                    QStringLiteral("job %1 is paused ('dlq job resume %1')").arg(job->id()));
            logs::debug(QStringLiteral("job %1: %2 (%3)").arg(job->id(), error, dlq::toString(job->state)));
        }
    } else {
        const auto job = runner.start(request.action, request.filter, request.selector, actor, &error);
        if (!job)
            return context.fail(
                kExitBadInput,
                error.isEmpty() ? QStringLiteral("no dead letters match %1").arg(request.selector) : error);
        key = job->key;
        logs::info(QStringLiteral("dlq job %1 started: %2 %3 entries")
                       .arg(job->id(), verbOf(request.action))
                       .arg(job->total));
    }
    auto isDone = [&]() {
        if (finished.contains(key))
            return true;
        host.store().sync();
        const auto job = host.store().dlqJob(key);
        return !job || dlq::isFinished(job->state);
    };
    // A safety net in case a finish is not announced: look at the store now and then.
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&]() {
        if (isDone() || interrupted)
            loop.quit();
    });
    poll.start(1000);
    while (!isDone() && !interrupted)
        loop.exec();
    if (interrupted)
        host.waitUntilIdle(); // the cancelled runs end; the queue records their entries
    else
        settle(context, host);
    host.store().sync();
    return printDlqJobResult(context, host.store(), key, interrupted);
}

// After a followed retry job: the runs of its successful retries go on in the holder
// (dependents that were skipped run now). Waits until they are recorded ended, so the
// caller sees the runs' final status, as long as a process holds the data dir.
void waitForRetriedRuns(CliContext& context, store::Store& store, qint64 jobKey, const bool& interrupted) {
    QSet<QString> runIds;
    for (const dlq::BulkJobItem& item : store.dlqJobItems(jobKey, dlq::ItemResult::Succeeded, 0, 10'000)) {
        if (const auto entry = store.dlqEntry(item.entryKey))
            runIds.insert(entry->runId);
    }
    QElapsedTimer ownerless;
    while (!runIds.isEmpty()) {
        for (auto it = runIds.begin(); it != runIds.end();) {
            const auto run = store.run(*it);
            if (!run || isTerminal(run->status))
                it = runIds.erase(it);
            else
                ++it;
        }
        if (runIds.isEmpty() || interrupted || InterruptGuard::raised())
            return;
        if (engine::DataDirLock(context.dataDir()).holder()) {
            ownerless.invalidate();
        } else if (!ownerless.isValid()) {
            ownerless.start();
        } else if (ownerless.elapsed() > kOwnerlessGraceMs) {
            return;
        }
        waitMs(kFollowIntervalMs);
    }
}

// The holder runs the job: follow it from the store until it ends.
int follow(CliContext& context, store::Store& store, qint64 jobKey) {
    SignalWatcher watcher({SIGINT, SIGTERM});
    bool interrupted = InterruptGuard::raised();
    bool cancelSent = false;
    QObject::connect(&watcher, &SignalWatcher::signalReceived, &watcher, [&](int) { interrupted = true; });
    QElapsedTimer ownerless;
    for (;;) {
        if (interrupted && !cancelSent) {
            cancelSent = true;
            QString error;
            const auto reply = engine::ControlClient::request(
                context.dataDir(),
                QJsonObject{{QStringLiteral("cmd"), QStringLiteral("dlq_job_cancel")},
                            {QStringLiteral("job"), dlq::jobId(jobKey)},
                            {QStringLiteral("actor"), dlq::localActor()}},
                kRequestTimeoutMs, &error);
            if (!reply || !reply->value(QStringLiteral("ok")).toBool())
                logs::warn(QStringLiteral("cannot cancel job %1: %2")
                               .arg(dlq::jobId(jobKey),
                                    reply ? reply->value(QStringLiteral("error")).toString() : error));
        }
        const auto job = store.dlqJob(jobKey);
        if (!job)
            return context.fail(kExitCannotProceed,
                                QStringLiteral("job %1 disappeared from the store").arg(dlq::jobId(jobKey)));
        if (dlq::isFinished(job->state)) {
            if (job->action == dlq::BulkAction::Retry && !interrupted)
                waitForRetriedRuns(context, store, jobKey, interrupted);
            return printDlqJobResult(context, store, jobKey, interrupted);
        }
        if (engine::DataDirLock(context.dataDir()).holder()) {
            ownerless.invalidate();
        } else if (!ownerless.isValid()) {
            ownerless.start();
        } else if (ownerless.elapsed() > kOwnerlessGraceMs) {
            return context.fail(
                kExitCannotProceed,
                QStringLiteral("the process running job %1 is gone; the job is left %2 (%3/%4 "
                               "done) and continues with 'signalbox-cli dlq process "
                               "--once' (or 'dlq job resume %5')")
                    .arg(job->id(), dlq::toString(job->state))
                    .arg(job->done)
                    .arg(job->total)
                    .arg(job->id()));
        }
        waitMs(kFollowIntervalMs);
    }
}

int printDetached(CliContext& context, const store::Store& store, qint64 jobKey) {
    const auto job = store.dlqJob(jobKey);
    if (context.json() && job)
        context.printJson(dlqJobToJson(*job));
    else
        context.print(dlq::jobId(jobKey));
    return kExitOk;
}

// Starts `dlq process --once --jobs-only` in the background for a job nobody runs.
bool startBackgroundProcessor(CliContext& context, QString* error) {
    QProcess child;
    child.setProgram(context.programPath());
    child.setArguments({QStringLiteral("--data-dir"), context.dataDir(), QStringLiteral("--log-level"),
                        logs::toString(context.options().logLevel), QStringLiteral("dlq"),
                        QStringLiteral("process"), QStringLiteral("--once"), QStringLiteral("--jobs-only"),
                        QStringLiteral("--detached")});
    child.setStandardInputFile(QProcess::nullDevice());
    child.setStandardOutputFile(QProcess::nullDevice());
    child.setStandardErrorFile(QProcess::nullDevice());
    child.setWorkingDirectory(QDir::currentPath());
    qint64 pid = 0;
    if (!child.startDetached(&pid)) {
        *error = child.errorString();
        return false;
    }
    logs::info(QStringLiteral("background dlq processor started (pid %1)").arg(pid));
    return true;
}

QString staysQueued(qint64 jobKey) {
    return QStringLiteral("; job %1 stays queued and runs when the engine is free "
                          "('signalbox-cli dlq process --once' or 'dlq job resume %1')")
        .arg(dlq::jobId(jobKey));
}

} // namespace

QList<OptionSpec> dlqBulkActionOptions(bool withDetach) {
    QList<OptionSpec> options = dlqBulkFilterOptions();
    options << OptionSpec{QStringLiteral("dry-run"),
                          {},
                          QStringLiteral("say how many entries it would touch; change nothing")}
            << OptionSpec{
                   QStringLiteral("yes"), {}, QStringLiteral("act on filters/groups (bulk actions need it)")};
    if (withDetach)
        options << OptionSpec{
            QStringLiteral("detach"), {}, QStringLiteral("run as a background job; print its id and exit")};
    return options;
}

int parseDlqSelection(CliContext& context, const ParsedArgs& args,
                      const QList<dlq::DlqStatus>& defaultStatuses, DlqBulkRequest* request) {
    QString error;
    bool filtered = false;
    if (!parseDlqBulkFilters(args, &request->filter, &filtered, &error))
        return context.fail(kExitBadInput, error);
    const QStringList ids = args.positional();
    if (filtered && !ids.isEmpty())
        return context.fail(kExitBadInput, QStringLiteral("give entry ids or --filter-* flags, not both"));
    if (!filtered && ids.isEmpty())
        return context.fail(
            kExitBadInput,
            QStringLiteral("give entry ids (d_12 ...) or --filter-* flags (see 'dlq %1 --help')")
                .arg(dlq::toString(request->action)));
    if (!ids.isEmpty()) {
        const auto keys = parseDlqIds(ids, &error);
        if (!keys)
            return context.fail(kExitBadInput, error);
        request->filter.keys = *keys;
    } else {
        request->bulk = true;
        if (request->filter.statuses.isEmpty())
            request->filter.statuses = defaultStatuses;
    }
    request->selector = describeDlqFilter(request->filter);
    request->dryRun = args.isSet(QStringLiteral("dry-run"));
    request->yes = args.isSet(QStringLiteral("yes"));
    request->detach = args.isSet(QStringLiteral("detach"));
    return kExitOk;
}

int checkDlqIds(CliContext& context, const store::Store& store, const QList<qint64>& keys,
                const std::function<QString(const dlq::DeadLetter&)>& refuse) {
    for (qint64 key : keys) {
        const auto entry = store.dlqEntry(key);
        if (!entry)
            return context.fail(kExitBadInput,
                                QStringLiteral("unknown dead letter '%1'").arg(dlq::entryId(key)));
        if (const QString why = refuse(*entry); !why.isEmpty())
            return context.fail(kExitBadInput, why);
    }
    return kExitOk;
}

int printDlqJobResult(CliContext& context, const store::Store& store, qint64 jobKey, bool interrupted) {
    const auto job = store.dlqJob(jobKey);
    if (!job)
        return context.fail(kExitCannotProceed,
                            QStringLiteral("job %1 was not recorded").arg(dlq::jobId(jobKey)));
    QList<dlq::BulkJobItem> items;
    for (qint64 after = 0;;) {
        const QList<dlq::BulkJobItem> page = store.dlqJobItems(jobKey, std::nullopt, after, 5000);
        items += page;
        if (page.size() < 5000)
            break;
        after = page.last().entryKey;
    }
    if (context.json()) {
        QJsonArray array;
        for (const dlq::BulkJobItem& item : items)
            array.append(dlqJobItemToJson(item));
        context.printJson(QJsonObject{{QStringLiteral("job"), job->id()},
                                      {QStringLiteral("action"), dlq::toString(job->action)},
                                      {QStringLiteral("state"), dlq::toString(job->state)},
                                      {QStringLiteral("selector"), job->selector},
                                      {QStringLiteral("total"), job->total},
                                      {QStringLiteral("done"), job->done},
                                      {QStringLiteral("succeeded"), job->succeeded},
                                      {QStringLiteral("failed"), job->failed},
                                      {QStringLiteral("items"), array}});
    } else {
        context.print(formatDlqJob(*job));
        int shown = 0;
        for (const dlq::BulkJobItem& item : items) {
            const bool notable = item.result != dlq::ItemResult::Succeeded;
            if (!notable && items.size() > kTextItemLimit)
                continue;
            if (shown++ >= kTextItemLimit) {
                context.print(QStringLiteral("... (see 'signalbox-cli dlq job %1 --items')").arg(job->id()));
                break;
            }
            QString line =
                QStringLiteral("  %1  %2").arg(dlq::entryId(item.entryKey), dlq::toString(item.result));
            if (!item.message.isEmpty())
                line += QStringLiteral("  ") + item.message;
            context.print(line);
        }
    }
    if (interrupted)
        return kExitInterrupted;
    if (job->state != dlq::JobState::Done || job->failed > 0 || job->succeeded < job->total)
        return kExitFailed;
    return kExitOk;
}

int runDlqBulk(CliContext& context, store::Store& store, const DlqBulkRequest& request) {
    const qint64 count = store.dlqCount(request.filter);
    if (count == 0)
        return context.fail(kExitBadInput, QStringLiteral("no dead letters match %1").arg(request.selector));
    if (request.dryRun || (request.bulk && !request.yes))
        return printDryRun(context, store, request, count);

    std::optional<qint64> jobKey; // recorded without the lock, not yet taken by anyone
    const QDeadlineTimer deadline(kHandoverDeadlineMs);
    QString busy;
    for (;;) {
        if (!request.detach) {
            EngineHost host(context);
            busy.clear();
            const int code = host.open(0, true, &busy);
            if (code != kExitOk && busy.isEmpty())
                return code;
            if (busy.isEmpty())
                return runHere(context, host, request, jobKey);
        }
        // Another process holds the lock (or --detach: the job goes to a background process).
        const InterruptGuard interruptGuard;
        if (InterruptGuard::raised() && !jobKey)
            return kExitInterrupted;
        if (!jobKey) {
            int code = kExitOk;
            const auto job = createJob(context, store, request, &code);
            if (!job)
                return code;
            jobKey = job->key;
        }
        const auto holder = engine::DataDirLock(context.dataDir()).holder();
        if (request.detach && !holder) {
            QString error;
            if (!startBackgroundProcessor(context, &error))
                return context.fail(kExitCannotProceed,
                                    QStringLiteral("cannot start a background process: %1").arg(error) +
                                        staysQueued(*jobKey));
            return printDetached(context, store, *jobKey);
        }
        if (busy.isEmpty() && holder)
            busy = QStringLiteral("data dir %1 is in use by %2")
                       .arg(QDir::toNativeSeparators(context.dataDir()), holder->describe());
        const HolderKind kind = probeHolder(context.dataDir());
        if (kind == HolderKind::Foreground)
            break;
        if (kind == HolderKind::Executor) {
            QString why;
            const JobHandover result = handOverJob(context.dataDir(), *jobKey, &why);
            if (result == JobHandover::Accepted) {
                logs::info(QStringLiteral("job %1 handed over to the engine host").arg(dlq::jobId(*jobKey)));
                if (request.detach)
                    return printDetached(context, store, *jobKey);
                return follow(context, store, *jobKey);
            }
            if (result == JobHandover::Busy)
                break;
            if (result == JobHandover::Failed)
                return context.fail(
                    kExitCannotProceed,
                    QStringLiteral("the engine host cannot run job %1: %2").arg(dlq::jobId(*jobKey), why));
        }
        if (InterruptGuard::raised())
            return kExitInterrupted;
        if (deadline.hasExpired())
            break;
        waitMs(kRetryIntervalMs);
    }
    if (busy.isEmpty())
        busy = QStringLiteral("data dir %1 is in use").arg(QDir::toNativeSeparators(context.dataDir()));
    return context.fail(kExitCannotProceed, busy + staysQueued(*jobKey));
}

} // namespace signalbox::cli
