#include "commands/run_command.h"

#include "commands/engine_host.h"
#include "commands/run_records.h"
#include "engine/engine.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "store/store.h"
#include "workflow/parser.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

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
        "Only one process executes runs of a data dir at a time: another one exits 3.");
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

    EngineHost host(context);
    if (const int code = host.open(0, true); code != kExitOk)
        return code;
    host.addLocalPool(capacity);

    workflow::Diagnostics diagnostics;
    const auto runId = host.engine().createRun(request, &diagnostics);
    if (!runId) {
        for (const workflow::Diagnostic& diagnostic : diagnostics)
            reportDiagnostic(context, diagnostic);
        if (diagnostics.isEmpty())
            context.fail(kExitBadInput, QStringLiteral("%1: invalid workflow").arg(file));
        return kExitBadInput;
    }
    logs::info(QStringLiteral("run %1 created from %2").arg(*runId, request.workflowPath));

    if (!args.isSet(QStringLiteral("detach")))
        return host.runForeground(*runId, EngineHost::StartMode::Start);

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
        recordCancelled(host.store(), *runId);
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

} // namespace signalbox::cli
