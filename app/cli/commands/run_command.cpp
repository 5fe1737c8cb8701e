#include "commands/run_command.h"

#include "commands/engine_host.h"
#include "commands/run_handover.h"
#include "engine/stored_records.h"
#include "commands/run_view.h"
#include "engine/engine.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "store/store.h"
#include "workflow/parser.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QTimer>

namespace signalbox::cli {
namespace {

// A diagnostic with a position is printed exactly as `validate` prints it
// ("FILE:LINE:COL: error: MESSAGE", workflow.md); one about the whole file or the
// command line (--repo, --set, --tag, --pool) is a tool error line.
void reportDiagnostic(const CliContext& context, const workflow::Diagnostic& diagnostic) {
    if (diagnostic.line > 0)
        context.note(diagnostic.format());
    else if (diagnostic.file.isEmpty())
        context.fail(kExitBadInput, diagnostic.message);
    else
        context.fail(kExitBadInput, diagnostic.file + QStringLiteral(": ") + diagnostic.message);
}

// How long to retry while the holder neither takes the run nor lets the lock go
// (an exiting executor lets it go within moments).
constexpr int kHandoverDeadlineMs = 10'000;
constexpr int kRetryIntervalMs = 50;

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// This process holds the lock: create the run (unless it was recorded already, while
// another process held the lock) and run it here, or hand it to a background process.
template <typename ReportInvalid>
int executeWithLock(CliContext& context, EngineHost& host, const engine::RunRequest& request, int capacity,
                    bool detach, std::optional<QString> runId, ReportInvalid reportInvalid) {
    host.addLocalPool(capacity);
    EngineHost::StartMode mode = EngineHost::StartMode::Start;
    if (!runId) {
        workflow::Diagnostics diagnostics;
        runId = host.engine().createRun(request, &diagnostics);
        if (!runId)
            return reportInvalid(diagnostics);
        logs::info(QStringLiteral("run %1 created from %2").arg(*runId, request.workflowPath));
    } else {
        // Recorded earlier without the lock; crash recovery may just have marked it
        // interrupted (nothing executed it): resume it then, which runs every instance.
        const auto run = host.store().run(*runId);
        if (!run)
            return context.fail(kExitCannotProceed, QStringLiteral("run %1 was not recorded").arg(*runId));
        if (run->status != RunStatus::Queued)
            mode = EngineHost::StartMode::Resume;
    }

    if (!detach)
        return host.runForeground(*runId, mode);

    // Hand the run to a background process, which waits for this one to let the lock go.
    host.store().sync();
    QProcess child;
    child.setProgram(context.programPath());
    child.setArguments({QStringLiteral("--data-dir"), context.dataDir(), QStringLiteral("--log-level"),
                        logs::toString(context.options().logLevel), QStringLiteral("__execute"), *runId});
    child.setStandardInputFile(QProcess::nullDevice());
    child.setStandardOutputFile(QProcess::nullDevice());
    child.setStandardErrorFile(QProcess::nullDevice());
    child.setWorkingDirectory(QDir::currentPath());
    qint64 pid = 0;
    if (!child.startDetached(&pid)) {
        engine::recordCancelled(host.store(), *runId);
        return context.fail(kExitCannotProceed,
                            QStringLiteral("cannot start a background process for run %1: %2")
                                .arg(*runId, child.errorString()));
    }
    logs::info(QStringLiteral("run %1 handed to background process %2").arg(*runId).arg(pid));
    if (context.json())
        host.printRun(*runId);
    else
        context.print(*runId);
    host.releaseLock();
    return kExitOk;
}

} // namespace

QString RunCommand::description() const {
    return QStringLiteral(
        "Without --detach the run stays in the foreground until it ends; progress goes to\n"
        "stderr when stderr is a terminal; the run is printed on stdout (--json: the run\n"
        "object). Exit 0 when it succeeded, 1 when it failed or missed its quality gate,\n"
        "130 when it was cancelled\n"
        "(Ctrl-C cancels the run: its processes get SIGTERM, then SIGKILL after a grace period).\n"
        "--repo replaces the file's repos (repeat it to add more); --tag adds catalog repos\n"
        "with that tag. --detach records the run, hands it to a background process, prints\n"
        "its id (--json: the run object, status queued) and exits 0.\n"
        "Only one process executes runs of a data dir at a time. While a background process\n"
        "(run --detach) executes runs, run and run --detach hand their run to it (the\n"
        "foreground run follows it to the end, Ctrl-C cancels it); while a foreground run or\n"
        "runs resume executes, they exit 3 naming that process.");
}

QList<OptionSpec> RunCommand::options() const {
    return {
        {QStringLiteral("repo"), QStringLiteral("PATH"),
         QStringLiteral("run over this repo (replaces the file's list)"), true},
        {QStringLiteral("tag"), QStringLiteral("T"), QStringLiteral("add catalog repos with this tag"), true},
        {QStringLiteral("set"), QStringLiteral("NAME=VALUE"), QStringLiteral("override a workflow param"),
         true},
        {QStringLiteral("max-concurrent"), QStringLiteral("N"),
         QStringLiteral("at most N task instances at once")},
        {QStringLiteral("pool"), QStringLiteral("NAME"), QStringLiteral("run every task on this pool")},
        {QStringLiteral("detach"), {}, QStringLiteral("run in a background process; print the run id")},
    };
}

int RunCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString file = args.positional().constFirst();
    const QFileInfo info(file);
    if (!info.exists())
        return context.fail(kExitBadInput, QStringLiteral("%1: cannot read file: no such file").arg(file));
    if (info.isDir())
        return context.fail(kExitBadInput, QStringLiteral("%1: cannot read file: is a directory").arg(file));

    engine::RunRequest request;
    request.workflowPath = info.absoluteFilePath();
    request.displayName = file;
    request.repoPaths = args.values(QStringLiteral("repo"));
    request.catalogTags = args.values(QStringLiteral("tag"));
    request.pool = args.value(QStringLiteral("pool"));
    for (const QString& assignment : args.values(QStringLiteral("set"))) {
        const qsizetype eq = assignment.indexOf(u'=');
        if (eq <= 0)
            return context.fail(
                kExitBadInput,
                QStringLiteral("invalid value '%1' for --set: expected NAME=VALUE").arg(assignment));
        request.params.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    QString error;
    if (args.isSet(QStringLiteral("max-concurrent"))) {
        const auto n = parsePositiveInt(QStringLiteral("max-concurrent"),
                                        args.value(QStringLiteral("max-concurrent")), &error);
        if (!n)
            return context.fail(kExitBadInput, error);
        request.maxConcurrent = *n;
    }
    // The pool's capacity: --max-concurrent, else the file's max_concurrent, else one per CPU.
    int capacity = request.maxConcurrent;
    if (capacity <= 0) {
        workflow::ParseOptions options; // --repo/--tag replace the file's repos
        options.checkRepoPaths = request.repoPaths.isEmpty() && request.catalogTags.isEmpty();
        const workflow::ParseResult parsed = workflow::parseWorkflowFile(request.workflowPath, file, options);
        if (parsed.workflow)
            capacity = parsed.workflow->maxConcurrent;
    }

    const bool detach = args.isSet(QStringLiteral("detach"));
    auto reportInvalid = [&](const workflow::Diagnostics& diagnostics) {
        for (const workflow::Diagnostic& diagnostic : diagnostics)
            reportDiagnostic(context, diagnostic);
        if (diagnostics.isEmpty())
            context.fail(kExitBadInput, QStringLiteral("%1: invalid workflow").arg(file));
        return kExitBadInput;
    };

    // Either this process takes the data dir's lock, or it goes through the background
    // executor that holds it (run_handover.h). An executor that is exiting does not
    // answer: retry (it lets the lock go right after) within a bound.
    std::unique_ptr<LocklessEngine> lockless;
    std::optional<QString> runId; // recorded without the lock, not yet handed over
    const QDeadlineTimer deadline(kHandoverDeadlineMs);
    QString busy;
    for (;;) {
        {
            EngineHost host(context);
            busy.clear();
            if (const int code = host.open(0, true, &busy); code != kExitOk && busy.isEmpty()) {
                if (lockless && runId)
                    lockless->abandon(*runId);
                return code;
            }
            if (busy.isEmpty())
                return executeWithLock(context, host, request, capacity, detach, runId, reportInvalid);
        }
        // Another process holds the lock.
        const InterruptGuard interruptGuard;
        const HolderKind holder = probeHolder(context.dataDir());
        if (holder == HolderKind::Foreground)
            break;
        if (holder == HolderKind::Executor) {
            if (!lockless) {
                lockless = std::make_unique<LocklessEngine>(context);
                if (const int code = lockless->open(); code != kExitOk)
                    return code;
            }
            if (!runId) {
                workflow::Diagnostics diagnostics;
                runId = lockless->createRun(request, &diagnostics);
                if (!runId)
                    return reportInvalid(diagnostics);
                logs::info(QStringLiteral("run %1 created from %2 (without the lock)")
                               .arg(*runId, request.workflowPath));
            }
            const auto before = lockless->store().run(*runId);
            if (!before)
                return context.fail(kExitCannotProceed,
                                    QStringLiteral("run %1 was not recorded").arg(*runId));
            if (InterruptGuard::raised() && before->status != RunStatus::Running) {
                // Ctrl-C before the run was handed over: it never starts.
                lockless->abandon(*runId);
                if (const auto run = lockless->store().run(*runId);
                    run && run->status == RunStatus::Cancelled) {
                    const QList<InstanceRecord> instances = lockless->store().instances(*runId);
                    if (context.json())
                        context.printJson(engine::runToJson(*run, &instances));
                    else
                        context.print(formatRunDetails(*run, instances));
                    return kExitInterrupted;
                }
            }
            QString why;
            // Already running or ended: an earlier request was executed though its
            // answer got lost. Queued: start it; interrupted (by the crash recovery of
            // an engine that started meanwhile; it never ran): resume it.
            const HandoverResult result =
                before->status != RunStatus::Queued && before->status != RunStatus::Interrupted
                    ? HandoverResult::Accepted
                    : handOver(context.dataDir(),
                               before->status == RunStatus::Queued ? QStringLiteral("start")
                                                                   : QStringLiteral("resume"),
                               *runId, &why);
            if (result == HandoverResult::Accepted) {
                if (!detach)
                    return lockless->follow(*runId, before);
                if (context.json()) {
                    const QList<InstanceRecord> instances = lockless->store().instances(*runId);
                    context.printJson(engine::runToJson(*before, &instances));
                } else {
                    context.print(*runId);
                }
                return kExitOk;
            }
            if (result == HandoverResult::Busy)
                break;
            if (result == HandoverResult::Failed) {
                lockless->abandon(*runId);
                return context.fail(
                    kExitCannotProceed,
                    QStringLiteral("the background process cannot execute run %1: %2").arg(*runId, why));
            }
        }
        // Unreachable or exiting: retry.
        if (InterruptGuard::raised()) {
            if (lockless && runId)
                lockless->abandon(*runId);
            return kExitInterrupted;
        }
        if (deadline.hasExpired())
            break;
        waitMs(kRetryIntervalMs);
    }
    if (lockless && runId)
        lockless->abandon(*runId);
    return context.fail(kExitCannotProceed, busy);
}

} // namespace signalbox::cli
