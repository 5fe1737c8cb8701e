#include "commands/dlq_enqueue_command.h"

#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "dlq/audit.h"
#include "dlq/dead_letter_queue.h"
#include "engine/control_channel.h"
#include "store/store.h"

#include <QJsonObject>

namespace signalbox::cli {

QString DlqEnqueueCommand::description() const {
    return QStringLiteral(
        "For the manual strategy (or a failure that was not enqueued): makes a dead letter of\n"
        "a failed task instance of a run. --repo names the repo of a for_each task. Prints the\n"
        "new entry (--json: as dlq list). Exit 2 for an unknown run/task/repo or an instance\n"
        "that did not fail or already has an active entry; 3 when the process holding the data\n"
        "dir does not answer.");
}

QList<OptionSpec> DlqEnqueueCommand::options() const {
    return {{QStringLiteral("repo"), QStringLiteral("NAME"), QStringLiteral("the repo of a for_each task")}};
}

int DlqEnqueueCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().at(0);
    const QString taskId = args.positional().at(1);
    const QString repo = args.value(QStringLiteral("repo"));
    int code = kExitOk;
    std::optional<RunRecord> run;
    std::optional<int> index;
    {
        auto store = context.openStoreForRun(runId, &run, &code);
        if (!store)
            return code;
        QList<InstanceRecord> matches;
        QStringList repos;
        for (const InstanceRecord& instance : store->instances(runId)) {
            if (instance.taskId != taskId)
                continue;
            repos << instance.repo;
            if (args.isSet(QStringLiteral("repo")) ? instance.repo == repo : true)
                matches << instance;
        }
        if (repos.isEmpty())
            return context.fail(kExitBadInput,
                                QStringLiteral("run '%1' has no task '%2'").arg(runId, taskId));
        if (matches.isEmpty())
            return context.fail(kExitBadInput,
                                QStringLiteral("task '%1' of run '%2' has no repo '%3' (repos: %4)")
                                    .arg(taskId, runId, repo, repos.join(QStringLiteral(", "))));
        if (matches.size() > 1)
            return context.fail(kExitBadInput,
                                QStringLiteral("task '%1' runs in %2 repos; name one with --repo (%3)")
                                    .arg(taskId)
                                    .arg(matches.size())
                                    .arg(repos.join(QStringLiteral(", "))));
        if (matches.first().status != InstanceStatus::Failed)
            return context.fail(kExitBadInput,
                                QStringLiteral("%1 of run '%2' is %3; only failed instances can be "
                                               "enqueued")
                                    .arg(taskId, runId, toString(matches.first().status)));
        index = matches.first().index;
    }
    std::optional<qint64> key;
    QString busy;
    {
        EngineHost host(context);
        code = host.open(0, false, &busy);
        if (code != kExitOk && busy.isEmpty())
            return code;
        if (code == kExitOk) {
            host.addLocalPool(0); // the run is re-planned from its snapshot: its pools must exist
            QString error;
            key = host.queue().enqueueInstance(runId, *index, dlq::localActor(), &error);
            if (!key)
                return context.fail(kExitBadInput,
                                    error.isEmpty() ? QStringLiteral("cannot enqueue it") : error);
            host.store().sync();
        }
    }
    if (!key) {
        // Through the process that holds the data dir.
        QString error;
        const auto reply =
            engine::ControlClient::request(context.dataDir(),
                                           QJsonObject{{QStringLiteral("cmd"), QStringLiteral("dlq_enqueue")},
                                                       {QStringLiteral("run"), runId},
                                                       {QStringLiteral("index"), *index},
                                                       {QStringLiteral("actor"), dlq::localActor()}},
                                           10'000, &error);
        if (!reply)
            return context.fail(kExitCannotProceed,
                                QStringLiteral("dlq enqueue needs the engine: %1").arg(busy));
        if (!reply->value(QStringLiteral("ok")).toBool())
            return context.fail(kExitBadInput, reply->value(QStringLiteral("error")).toString());
        key = dlq::entryKeyFromId(reply->value(QStringLiteral("entry")).toString());
        if (!key)
            return context.fail(kExitCannotProceed,
                                QStringLiteral("the engine host answered without an entry id"));
    }
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const auto entry = store->dlqEntry(*key);
    if (!entry)
        return context.fail(kExitCannotProceed,
                            QStringLiteral("%1 was not recorded").arg(dlq::entryId(*key)));
    if (context.json())
        context.printJson(dlqEntryToJson(*entry));
    else
        context.print(formatDlqEntries({*entry}));
    return kExitOk;
}

} // namespace signalbox::cli
