#include "commands/dlq_process_command.h"

#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "domain/clock.h"
#include "engine/engine.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace signalbox::cli {
namespace {

// A safety net only: every change that matters emits a signal the loop wakes on.
constexpr int kCheckIntervalMs = 1000;
constexpr int kLockWaitDetachedMs = 10'000;
constexpr int kMaxOnceRetries = 10'000; // retries one `--once` cycle starts at most

} // namespace

QString DlqProcessCommand::description() const {
    return QStringLiteral(
        "Hosts the engine of the data dir and runs the dead letter retry processor: every\n"
        "`interval` (dlq settings) it retries the entries whose retry is due, at most\n"
        "`parallelism` at once, through the local pool. Bulk jobs left unfinished (by a\n"
        "process that died, or queued while the data dir was busy) continue, and other\n"
        "processes hand it their runs and bulk jobs like the background executor of\n"
        "run --detach. Runs until SIGINT/SIGTERM, then shuts down cleanly (exit 0).\n"
        "--once: one processor cycle: every entry due now is retried once (in waves of\n"
        "`parallelism`); waits for those retries and the unfinished jobs, prints a summary,\n"
        "then exits 0.\n"
        "Exit 3 when another process holds the data dir.");
}

QList<OptionSpec> DlqProcessCommand::options() const {
    return {
        {QStringLiteral("once"), {}, QStringLiteral("one cycle: retry what is due, finish jobs, exit")},
        {QStringLiteral("jobs-only"), {}, QStringLiteral("(internal) only run unfinished jobs"), false, true},
        {QStringLiteral("detached"), {}, QStringLiteral("(internal) started by --detach"), false, true},
    };
}

int DlqProcessCommand::execute(CliContext& context, const ParsedArgs& args) {
    const bool once = args.isSet(QStringLiteral("once"));
    const bool jobsOnly = args.isSet(QStringLiteral("jobs-only"));
    if (args.isSet(QStringLiteral("detached"))) {
        ::setsid(); // Ctrl-C in the shell that started `dlq retry --detach` must not reach it
        ::signal(SIGHUP, SIG_IGN);
    }
    EngineHost host(context);
    host.setRole(EngineHost::Role::Processor);
    QString busy;
    const int code = host.open(args.isSet(QStringLiteral("detached")) ? kLockWaitDetachedMs : 0, true, &busy);
    if (code != kExitOk) {
        if (busy.isEmpty())
            return code;
        return context.fail(kExitCannotProceed, busy);
    }
    host.addLocalPool(0); // then the jobs left unfinished continue
    host.resumeJobs();
    dlq::DeadLetterQueue& queue = host.queue();
    dlq::BulkJobRunner& runner = host.jobRunner();
    engine::Engine& engine = host.engine();

    QEventLoop loop;
    bool stopping = false;
    int retriesStarted = 0;
    int retriesSucceeded = 0;
    int retriesFailed = 0;
    QObject::connect(&queue, &dlq::DeadLetterQueue::retryFinished, &loop,
                     [&](qint64, bool ok, const QString&) {
                         ++(ok ? retriesSucceeded : retriesFailed);
                         loop.quit();
                     });
    QObject::connect(&runner, &dlq::BulkJobRunner::jobFinished, &loop, [&](const dlq::BulkJob& job) {
        logs::info(QStringLiteral("dlq job %1 %2: %3 succeeded, %4 failed")
                       .arg(job.id(), dlq::toString(job.state))
                       .arg(job.succeeded)
                       .arg(job.failed));
        loop.quit();
    });
    QObject::connect(&engine, &engine::Engine::runFinished, &loop, &QEventLoop::quit);
    QObject::connect(&host, &EngineHost::interruptRequested, &loop, [&](int signalNumber) {
        logs::info(QStringLiteral("signal %1: the dlq processor shuts down").arg(signalNumber));
        stopping = true;
        loop.quit();
    });
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, &QEventLoop::quit);
    check.start(kCheckIntervalMs);

    if (!once) {
        queue.startProcessor();
        logs::info(QStringLiteral("dlq processor started (every %1 s, %2 at once)%3")
                       .arg(queue.settings().intervalSeconds)
                       .arg(queue.settings().parallelism)
                       .arg(queue.settings().processorEnabled
                                ? QString()
                                : QStringLiteral("; disabled in the settings")));
        if (!context.json())
            context.note(QStringLiteral("dlq processor running on %1 (pid %2); Ctrl-C stops it")
                             .arg(context.dataDir())
                             .arg(::getpid()));
        while (!stopping)
            loop.exec();
    } else {
        // One cycle: the entries due now, in waves of `parallelism` (earliest due first),
        // each retried once: at most as many retries as were due when it began (a retry that
        // fails again, even with the immediate policy, waits for the next cycle).
        const int dueAtStart =
            jobsOnly ? 0 : int(host.store().dlqDue(Clock::instance().nowMs(), kMaxOnceRetries).size());
        bool wavesDone = retriesStarted >= dueAtStart;
        for (;;) {
            if (!stopping && !wavesDone && queue.retriesInFlight() < queue.settings().parallelism) {
                const int started = queue.processDue();
                retriesStarted += started;
                // Done when the due entries have all been started, or none can be started
                // (and none is in flight to make room for more).
                wavesDone = retriesStarted >= dueAtStart || (started == 0 && queue.retriesInFlight() == 0);
            }
            if (stopping || (wavesDone && host.isIdle()))
                break;
            loop.exec();
        }
    }

    // Shut down: no more work from others, no new retries; what runs is cancelled (the
    // entries it retried are recovered as pending by the next host).
    host.stopAccepting();
    queue.stopProcessor();
    if (stopping) {
        engine.cancelAll();
        while (!engine.activeRuns().isEmpty())
            loop.exec();
    }
    host.store().sync();
    if (once) {
        const dlq::DlqSettings settings = storedDlqSettings(host.store());
        if (context.json()) {
            context.printJson(
                QJsonObject{{QStringLiteral("retries_started"), retriesStarted},
                            {QStringLiteral("retries_succeeded"), retriesSucceeded},
                            {QStringLiteral("retries_failed"), retriesFailed},
                            {QStringLiteral("stats"),
                             dlqStatsToJson(dlqStatsFromStore(host.store(), settings), settings)}});
        } else {
            context.print(QStringLiteral("dlq process: %1 retries started, %2 succeeded, %3 failed")
                              .arg(retriesStarted)
                              .arg(retriesSucceeded)
                              .arg(retriesFailed));
        }
    }
    return kExitOk;
}

} // namespace signalbox::cli
