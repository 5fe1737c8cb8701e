#include "commands/dlq_jobs_command.h"

#include "commands/dlq_bulk.h"
#include "engine/stored_records.h"
#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "dlq/audit.h"
#include "dlq/bulk_job_runner.h"
#include "engine/control_channel.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace signalbox::cli {
namespace {

constexpr int kRequestTimeoutMs = 10'000;

int printJob(CliContext& context, const store::Store& store, qint64 key, bool withItems) {
    const auto job = store.dlqJob(key);
    if (!job)
        return context.fail(kExitBadInput, QStringLiteral("unknown job '%1'").arg(dlq::jobId(key)));
    QList<dlq::BulkJobItem> items;
    if (withItems) {
        for (qint64 after = 0;;) {
            const QList<dlq::BulkJobItem> page = store.dlqJobItems(key, std::nullopt, after, 5000);
            items += page;
            if (page.size() < 5000)
                break;
            after = page.last().entryKey;
        }
    }
    if (context.json()) {
        QJsonObject json = dlqJobToJson(*job);
        if (withItems) {
            QJsonArray array;
            for (const dlq::BulkJobItem& item : items)
                array.append(dlqJobItemToJson(item));
            json.insert(QStringLiteral("items"), array);
        }
        context.printJson(json);
    } else {
        context.print(formatDlqJob(*job));
        for (const dlq::BulkJobItem& item : items) {
            QString line =
                QStringLiteral("  %1  %2").arg(dlq::entryId(item.entryKey), dlq::toString(item.result));
            if (!item.message.isEmpty())
                line += QStringLiteral("  ") + item.message;
            context.print(line);
        }
    }
    return kExitOk;
}

} // namespace

QString DlqJobsCommand::description() const {
    return QStringLiteral(
        "Bulk jobs (dlq retry/archive/purge), newest first: queued, running and paused ones,\n"
        "or every job with --all. --json: an array of {\"id\",\"action\",\"state\",\"actor\",\n"
        "\"selector\",\"created_at\",\"updated_at\",\"finished_at\",\"total\",\"done\",\n"
        "\"succeeded\",\"failed\"}.");
}

QList<OptionSpec> DlqJobsCommand::options() const {
    return {
        {QStringLiteral("all"), {}, QStringLiteral("finished jobs too")},
        {QStringLiteral("limit"), QStringLiteral("N"), QStringLiteral("at most N jobs (default 50)")},
    };
}

int DlqJobsCommand::execute(CliContext& context, const ParsedArgs& args) {
    int limit = 50;
    QString error;
    if (args.isSet(QStringLiteral("limit"))) {
        const auto n = parsePositiveInt(QStringLiteral("limit"), args.value(QStringLiteral("limit")), &error);
        if (!n)
            return context.fail(kExitBadInput, error);
        limit = *n;
    }
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const QList<dlq::BulkJob> jobs = store->dlqJobs(!args.isSet(QStringLiteral("all")), limit);
    if (context.json()) {
        QJsonArray array;
        for (const dlq::BulkJob& job : jobs)
            array.append(dlqJobToJson(job));
        context.printJson(array);
    } else if (jobs.isEmpty()) {
        context.note(args.isSet(QStringLiteral("all"))
                         ? QStringLiteral("no jobs")
                         : QStringLiteral("no unfinished jobs (--all lists every job)"));
    } else {
        context.print(formatDlqJobs(jobs));
    }
    return kExitOk;
}

QString DlqJobCommand::description() const {
    return QStringLiteral(
        "dlq job JOB_ID prints the job (--items: with each entry's result).\n"
        "dlq job pause JOB_ID stops taking new entries (those in flight finish); resume\n"
        "continues it; cancel ends it (entries not reached stay as they are). Acts through the\n"
        "process that holds the data dir; when nobody does, pause/cancel are recorded directly\n"
        "and resume runs the job here until it ends (printing its results, exit 0/1).\n"
        "Unknown job or a change its state does not allow: exit 2.");
}

QList<OptionSpec> DlqJobCommand::options() const {
    return {{QStringLiteral("items"), {}, QStringLiteral("list each entry's result")}};
}

int DlqJobCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QStringList positional = args.positional();
    const QString verb = positional.size() == 2 ? positional.at(0) : QString();
    const QString id = positional.last();
    if (positional.size() == 2 && verb != u"pause" && verb != u"resume" && verb != u"cancel")
        return context.fail(
            kExitBadInput,
            QStringLiteral("unknown job action '%1' (expected pause, resume or cancel)").arg(verb));
    const auto key = dlq::jobKeyFromId(id);
    if (!key)
        return context.fail(kExitBadInput, QStringLiteral("unknown job '%1'").arg(id));
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const auto job = store->dlqJob(*key);
    if (!job)
        return context.fail(kExitBadInput, QStringLiteral("unknown job '%1'").arg(id));
    if (verb.isEmpty())
        return printJob(context, *store, *key, args.isSet(QStringLiteral("items")));
    if (dlq::isFinished(job->state))
        return context.fail(kExitBadInput, QStringLiteral("job %1 has already ended (%2); nothing to %3")
                                               .arg(id, dlq::toString(job->state), verb));

    const QString actor = dlq::localActor();
    {
        EngineHost host(context);
        QString busy;
        code = host.open(0, verb == u"resume", &busy);
        if (code != kExitOk && busy.isEmpty())
            return code;
        if (code == kExitOk) {
            QString error;
            dlq::BulkJobRunner& runner = host.jobRunner();
            if (verb == u"resume") {
                host.addLocalPool(0); // then the jobs left unfinished continue
                host.resumeJobs();
                QEventLoop loop;
                bool finished = false;
                bool interrupted = false;
                QObject::connect(&runner, &dlq::BulkJobRunner::jobFinished, &loop,
                                 [&](const dlq::BulkJob& done) {
                                     if (done.key == *key) {
                                         finished = true;
                                         loop.quit();
                                     }
                                 });
                QObject::connect(&host, &EngineHost::interruptRequested, &loop, [&](int) {
                    interrupted = true;
                    QString why;
                    runner.cancel(*key, actor, &why);
                    loop.quit();
                });
                host.store().sync();
                const auto current = host.store().dlqJob(*key);
                if (current && current->state == dlq::JobState::Paused && !runner.resume(*key, actor, &error))
                    return context.fail(kExitBadInput, error);
                QTimer poll;
                QObject::connect(&poll, &QTimer::timeout, &loop, [&]() {
                    const auto now = host.store().dlqJob(*key);
                    if (!now || dlq::isFinished(now->state)) {
                        finished = true;
                        loop.quit();
                    }
                });
                poll.start(1000);
                while (!finished && !interrupted)
                    loop.exec();
                if (!interrupted)
                    settle(context, host);
                host.store().sync();
                return printDlqJobResult(context, host.store(), *key, interrupted);
            }
            bool ok =
                verb == u"pause" ? runner.pause(*key, actor, &error) : runner.cancel(*key, actor, &error);
            if (!ok && verb == u"pause") // nobody runs it: record it paused
                ok = engine::pauseJobInStore(host.store(), *key, actor, &error);
            if (!ok)
                return context.fail(kExitBadInput, error.isEmpty()
                                                       ? QStringLiteral("cannot %1 job %2").arg(verb, id)
                                                       : error);
            host.store().sync();
            return printJob(context, host.store(), *key, false);
        }
    }
    // Through the holder.
    QString error;
    const auto reply = engine::ControlClient::request(
        context.dataDir(),
        QJsonObject{{QStringLiteral("cmd"), QString(QStringLiteral("dlq_job_") + verb)},
                    {QStringLiteral("job"), id},
                    {QStringLiteral("actor"), actor}},
        kRequestTimeoutMs, &error);
    if (!reply)
        return context.fail(
            kExitCannotProceed,
            QStringLiteral("the process holding the data dir does not answer (%1); job %2 unchanged")
                .arg(error, id));
    if (!reply->value(QStringLiteral("ok")).toBool())
        return context.fail(
            reply->value(QStringLiteral("busy")).toBool() ? kExitCannotProceed : kExitBadInput,
            reply->value(QStringLiteral("error")).toString() +
                (reply->value(QStringLiteral("busy")).toBool() ? QStringLiteral("; job %1 unchanged").arg(id)
                                                               : QString()));
    return printJob(context, *store, *key, false);
}

} // namespace signalbox::cli
