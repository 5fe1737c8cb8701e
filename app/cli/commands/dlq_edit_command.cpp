#include "commands/dlq_edit_command.h"

#include "commands/dlq_bulk.h"
#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "commands/run_handover.h"
#include "dlq/audit.h"
#include "dlq/dead_letter_queue.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace signalbox::cli {

QString DlqEditCommand::description() const {
    return QStringLiteral(
        "Edit-and-retry: changes what runs for this entry and retries it at once.\n"
        "  --working-dir DIR   an existing directory (inside the allowed roots)\n"
        "  --env K=V           set a variable (repeatable); --unset-env K removes one\n"
        "  -- ARGV...          the new command line (everything after --)\n"
        "Unset parts keep the entry's current recipe. The edit is validated like a workflow\n"
        "file (exit 2 with the reason, nothing changes); the original recipe stays in the entry\n"
        "and every edit is kept in its history ('dlq show'). Waits for the retry: exit 0 when it\n"
        "succeeded, 1 when it failed. While `dlq process` or the background executor holds the\n"
        "data dir the edit goes through it; while a foreground run does: exit 3.");
}

QList<OptionSpec> DlqEditCommand::options() const {
    return {
        {QStringLiteral("working-dir"), QStringLiteral("DIR"), QStringLiteral("run in this directory")},
        {QStringLiteral("env"), QStringLiteral("K=V"), QStringLiteral("set an environment variable"), true},
        {QStringLiteral("unset-env"), QStringLiteral("K"), QStringLiteral("remove an environment variable"),
         true},
    };
}

namespace {

constexpr int kRequestTimeoutMs = 10'000;
constexpr int kFollowIntervalMs = 200;
constexpr qint64 kOwnerlessGraceMs = 5'000;

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

int printEntry(CliContext& context, const store::Store& store, qint64 key) {
    const auto entry = store.dlqEntry(key);
    if (!entry)
        return context.fail(kExitCannotProceed,
                            QStringLiteral("%1 disappeared from the store").arg(dlq::entryId(key)));
    const QList<AttemptRecord> attempts = store.attempts(entry->runId, entry->index);
    if (context.json())
        context.printJson(dlqEntryDetailsToJson(*entry, attempts));
    else
        context.print(formatDlqEntryDetails(*entry, attempts));
    return kExitOk;
}

QJsonObject editRequest(const QString& id, const dlq::RecipeEdit& edit) {
    QJsonObject request{{QStringLiteral("cmd"), QStringLiteral("dlq_edit")},
                        {QStringLiteral("entry"), id},
                        {QStringLiteral("actor"), dlq::localActor()}};
    if (edit.argv)
        request.insert(QStringLiteral("argv"), QJsonArray::fromStringList(*edit.argv));
    if (edit.env) {
        QJsonObject env;
        for (auto it = edit.env->cbegin(); it != edit.env->cend(); ++it)
            env.insert(it.key(), it.value());
        request.insert(QStringLiteral("env"), env);
    }
    if (edit.workingDir)
        request.insert(QStringLiteral("working_dir"), *edit.workingDir);
    return request;
}

// The holder retries the entry: follow it (and its run) from the store.
int followEdit(CliContext& context, store::Store& store, qint64 key) {
    QElapsedTimer ownerless;
    for (;;) {
        const auto entry = store.dlqEntry(key);
        if (!entry)
            return context.fail(kExitCannotProceed,
                                QStringLiteral("%1 disappeared from the store").arg(dlq::entryId(key)));
        bool ended = entry->status != dlq::DlqStatus::Retrying;
        if (ended && entry->status == dlq::DlqStatus::Completed) {
            const auto run = store.run(entry->runId); // its dependents run now
            ended = !run || isTerminal(run->status);
        }
        if (ended || InterruptGuard::raised()) {
            printEntry(context, store, key);
            if (InterruptGuard::raised())
                return kExitInterrupted;
            return entry->status == dlq::DlqStatus::Completed ? kExitOk : kExitFailed;
        }
        if (engine::DataDirLock(context.dataDir()).holder()) {
            ownerless.invalidate();
        } else if (!ownerless.isValid()) {
            ownerless.start();
        } else if (ownerless.elapsed() > kOwnerlessGraceMs) {
            return context.fail(kExitCannotProceed,
                                QStringLiteral("the process retrying %1 is gone; the entry is "
                                               "retried again by 'signalbox-cli dlq process'")
                                    .arg(dlq::entryId(key)));
        }
        waitMs(kFollowIntervalMs);
    }
}

} // namespace

int DlqEditCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString id = args.positional().constFirst();
    const auto key = dlq::entryKeyFromId(id);
    if (!key)
        return context.fail(kExitBadInput, QStringLiteral("unknown dead letter '%1'").arg(id));
    const QStringList argv = args.positional().mid(1);
    const bool envChanged = args.isSet(QStringLiteral("env")) || args.isSet(QStringLiteral("unset-env"));
    if (argv.isEmpty() && !envChanged && !args.isSet(QStringLiteral("working-dir")))
        return context.fail(kExitBadInput,
                            QStringLiteral("nothing to edit: give --working-dir, --env, --unset-env "
                                           "or -- ARGV..."));
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const auto entry = store->dlqEntry(*key);
    if (!entry)
        return context.fail(kExitBadInput, QStringLiteral("unknown dead letter '%1'").arg(id));
    if (entry->status == dlq::DlqStatus::Completed)
        return context.fail(kExitBadInput,
                            QStringLiteral("%1 is completed; there is nothing to retry").arg(id));

    dlq::RecipeEdit edit;
    if (!argv.isEmpty())
        edit.argv = argv;
    if (args.isSet(QStringLiteral("working-dir")))
        edit.workingDir = args.value(QStringLiteral("working-dir"));
    if (envChanged) {
        QMap<QString, QString> env = entry->recipe().env;
        for (const QString& name : args.values(QStringLiteral("unset-env")))
            env.remove(name);
        for (const QString& assignment : args.values(QStringLiteral("env"))) {
            const qsizetype eq = assignment.indexOf(u'=');
            if (eq <= 0)
                return context.fail(
                    kExitBadInput,
                    QStringLiteral("invalid value '%1' for --env: expected NAME=VALUE").arg(assignment));
            env.insert(assignment.left(eq), assignment.mid(eq + 1));
        }
        edit.env = env;
    }

    QString busy;
    {
        EngineHost host(context);
        code = host.open(0, true, &busy);
        if (code != kExitOk && busy.isEmpty())
            return code;
        if (code == kExitOk) {
            host.addLocalPool(0); // then the jobs left unfinished continue
            host.resumeJobs();
            QEventLoop loop;
            std::optional<bool> succeeded;
            QString failure;
            QObject::connect(&host.queue(), &dlq::DeadLetterQueue::retryFinished, &loop,
                             [&](qint64 finishedKey, bool ok, const QString& error) {
                                 if (finishedKey != *key)
                                     return;
                                 succeeded = ok;
                                 failure = error;
                                 loop.quit();
                             });
            bool interrupted = false;
            QObject::connect(&host, &EngineHost::interruptRequested, &loop, [&](int) {
                interrupted = true;
                loop.quit();
            });
            QString error;
            if (!host.queue().editAndRetry(*key, edit, dlq::localActor(), &error))
                return context.fail(kExitBadInput,
                                    error.isEmpty() ? QStringLiteral("cannot edit %1").arg(id) : error);
            logs::info(QStringLiteral("%1: edited, retrying").arg(id));
            if (!succeeded && !interrupted)
                loop.exec();
            if (interrupted)
                host.waitUntilIdle(); // cancels the retry; the queue records it
            else
                settle(context, host); // the run's dependents, now unblocked
            host.store().sync();
            printEntry(context, host.store(), *key);
            if (interrupted)
                return kExitInterrupted;
            if (!succeeded.value_or(false)) {
                context.note(QStringLiteral("%1: the retry failed: %2").arg(id, failure));
                return kExitFailed;
            }
            return kExitOk;
        }
    }
    // Another process holds the data dir: `dlq process` and the background executor take
    // the edit; a foreground run does not.
    const InterruptGuard interruptGuard;
    QString error;
    const auto reply =
        engine::ControlClient::request(context.dataDir(), editRequest(id, edit), kRequestTimeoutMs, &error);
    if (!reply)
        return context.fail(kExitCannotProceed, QStringLiteral("dlq edit needs the engine: %1").arg(busy));
    if (!reply->value(QStringLiteral("ok")).toBool()) {
        if (reply->value(QStringLiteral("busy")).toBool())
            return context.fail(kExitCannotProceed,
                                QStringLiteral("dlq edit needs the engine: %1").arg(busy));
        return context.fail(kExitBadInput, reply->value(QStringLiteral("error")).toString());
    }
    logs::info(QStringLiteral("%1: edit handed to the engine host, retrying").arg(id));
    return followEdit(context, *store, *key);
}

} // namespace signalbox::cli
