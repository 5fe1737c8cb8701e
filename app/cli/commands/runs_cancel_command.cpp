#include "commands/runs_cancel_command.h"

#include "engine/stored_records.h"
#include "commands/run_view.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

namespace signalbox::cli {
namespace {

constexpr int kRequestTimeoutMs = 10'000;
constexpr int kConnectRetryMs = 3'000; // an engine that just took the lock may not listen yet
constexpr int kWaitForEndMs = 60'000;  // SIGTERM, grace period, SIGKILL

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

int printResult(CliContext& context, const store::Store& store, const QString& runId) {
    const auto run = store.run(runId);
    if (context.json()) {
        const QList<InstanceRecord> instances = store.instances(runId);
        context.printJson(engine::runToJson(*run, &instances));
    } else {
        context.print(QStringLiteral("run %1: %2").arg(runId, toString(run->status)));
    }
    return kExitOk;
}

} // namespace

QString RunsCancelCommand::description() const {
    return QStringLiteral(
        "A run executed by a live process (run, runs resume, run --detach, the console) is\n"
        "cancelled through that process: its task processes get SIGTERM, then SIGKILL after a\n"
        "grace period; this command waits until the run is recorded cancelled.\n"
        "A run that no process executes (queued, or interrupted by a crash) is recorded\n"
        "cancelled directly, so it will not be resumed by accident.\n"
        "Exit 0 when the run is (or already was) cancelled; 2 for an unknown run or one\n"
        "that has already ended otherwise; 3 when the owning process cannot be reached.");
}

int RunsCancelCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    int code = kExitOk;
    std::optional<RunRecord> run;
    auto store = context.openStoreForRun(runId, &run, &code);
    if (!store)
        return code;
    if (run->status == RunStatus::Cancelled) {
        if (!context.json())
            context.note(QStringLiteral("run %1 was already cancelled").arg(runId));
        return printResult(context, *store, runId);
    }
    if (isTerminal(run->status) && run->status != RunStatus::Interrupted)
        return context.fail(kExitBadInput,
                            QStringLiteral("run '%1' has already ended (%2); nothing to cancel")
                                .arg(runId, toString(run->status)));

    const QJsonObject request{{QStringLiteral("cmd"), QStringLiteral("cancel")},
                              {QStringLiteral("run"), runId}};
    const QDeadlineTimer connectDeadline(kConnectRetryMs);
    for (;;) {
        QString error;
        const auto reply =
            engine::ControlClient::request(context.dataDir(), request, kRequestTimeoutMs, &error);
        if (reply) {
            if (!reply->value(QStringLiteral("ok")).toBool()) {
                const QString status = reply->value(QStringLiteral("status")).toString();
                if (status == u"cancelled")
                    return printResult(context, *store, runId);
                return context.fail(kExitBadInput, reply->value(QStringLiteral("error")).toString());
            }
            // Wait until the owner has recorded the run's end.
            const QDeadlineTimer deadline(kWaitForEndMs);
            while (!deadline.hasExpired()) {
                run = store->run(runId);
                if (run && isTerminal(run->status))
                    return printResult(context, *store, runId);
                waitMs(100);
            }
            return context.fail(
                kExitCannotProceed,
                QStringLiteral("run '%1' was asked to cancel but has not ended yet").arg(runId));
        }
        // Nobody answers: if nobody holds the lock either, nothing executes the run.
        engine::DataDirLock lock(context.dataDir());
        QString lockError;
        if (lock.tryLock(0, &lockError)) {
            run = store->run(runId);
            if (run && (!isTerminal(run->status) || run->status == RunStatus::Interrupted)) {
                engine::recordCancelled(*store, runId);
                if (!context.json())
                    context.note(
                        QStringLiteral("run %1 was not being executed; recorded as cancelled").arg(runId));
            }
            lock.unlock();
            return printResult(context, *store, runId);
        }
        if (connectDeadline.hasExpired())
            return context.fail(
                kExitCannotProceed,
                QStringLiteral("%1, and its control channel does not answer (%2)").arg(lockError, error));
        logs::debug(QStringLiteral("runs cancel: %1; retrying").arg(error));
        waitMs(100);
    }
}

} // namespace signalbox::cli
