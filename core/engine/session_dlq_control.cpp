#include "engine/session_dlq_control.h"
#include "engine/stored_records.h"

#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "dlq/dlq_settings.h"
#include "domain/clock.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QJsonArray>
#include <unistd.h>

namespace signalbox::engine {
namespace {

QJsonObject error(const QString& message) {
    return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
}

QJsonObject busy() {
    return QJsonObject{
        {QStringLiteral("ok"), false},
        {QStringLiteral("busy"), true},
        {QStringLiteral("error"),
         QStringLiteral("pid %1 executes a foreground run and takes no other work").arg(::getpid())}};
}

QJsonObject editAndRetry(const DlqControlTarget& target, const QJsonObject& request, const QString& actor) {
    // Starts a retry: only a host that stays until its work is done takes it.
    if (target.foreground || target.closing)
        return busy();
    const QString entry = request.value(QStringLiteral("entry")).toString();
    const auto key = dlq::entryKeyFromId(entry);
    if (!key)
        return error(QStringLiteral("unknown dead letter '%1'").arg(entry));
    dlq::RecipeEdit edit;
    if (request.contains(QStringLiteral("argv"))) {
        QStringList argv;
        for (const QJsonValue& arg : request.value(QStringLiteral("argv")).toArray())
            argv << arg.toString();
        edit.argv = argv;
    }
    if (request.contains(QStringLiteral("env"))) {
        QMap<QString, QString> env;
        const QJsonObject json = request.value(QStringLiteral("env")).toObject();
        for (auto it = json.constBegin(); it != json.constEnd(); ++it)
            env.insert(it.key(), it.value().toString());
        edit.env = env;
    }
    if (request.contains(QStringLiteral("working_dir")))
        edit.workingDir = request.value(QStringLiteral("working_dir")).toString();
    QString why;
    if (!target.queue.editAndRetry(*key, edit, actor, &why))
        return error(why.isEmpty() ? QStringLiteral("cannot edit %1").arg(entry) : why);
    target.store.sync();
    return QJsonObject{{QStringLiteral("ok"), true}};
}

QJsonObject jobCommand(const DlqControlTarget& target, const QString& cmd, const QJsonObject& request,
                       const QString& actor) {
    const QString id = request.value(QStringLiteral("job")).toString();
    const auto key = dlq::jobKeyFromId(id);
    if (!key)
        return error(QStringLiteral("unknown job '%1'").arg(id));
    QString why;
    if (cmd == u"dlq_job") {
        if (target.foreground)
            return busy();
        if (target.closing)
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("closing"), true},
                               {QStringLiteral("error"), QStringLiteral("the engine is exiting")}};
        if (!target.runner.run(*key, &why))
            return error(why.isEmpty() ? QStringLiteral("cannot run job '%1'").arg(id) : why);
        logs::info(QStringLiteral("dlq job %1: handed over through the control channel").arg(id));
        return QJsonObject{{QStringLiteral("ok"), true},
                           {QStringLiteral("state"), QStringLiteral("running")}};
    }
    bool done = false;
    if (cmd == u"dlq_job_pause") {
        done = target.runner.pause(*key, actor, &why);
        if (!done) // not running here (queued): record it paused
            done = pauseJobInStore(target.store, *key, actor, &why);
    } else if (cmd == u"dlq_job_resume") {
        if (target.foreground) // it would be cut short when the foreground run ends
            return busy();
        done = target.runner.resume(*key, actor, &why);
    } else if (cmd == u"dlq_job_cancel") {
        done = target.runner.cancel(*key, actor, &why);
    } else {
        return error(QStringLiteral("unknown command '%1'").arg(cmd));
    }
    if (!done)
        return error(why.isEmpty() ? QStringLiteral("cannot change job '%1'").arg(id) : why);
    target.store.sync();
    QJsonObject reply{{QStringLiteral("ok"), true}};
    if (const auto job = target.store.dlqJob(*key))
        reply.insert(QStringLiteral("state"), dlq::toString(job->state));
    return reply;
}

} // namespace

QJsonObject handleDlqControl(const DlqControlTarget& target, const QString& cmd, const QJsonObject& request) {
    QString actor = request.value(QStringLiteral("actor")).toString();
    if (actor.isEmpty())
        actor = dlq::localActor();
    if (cmd == u"dlq_settings") {
        QString why;
        const auto settings =
            dlq::DlqSettings::fromJson(request.value(QStringLiteral("settings")).toObject(), &why);
        if (!settings || !target.queue.setSettings(*settings, actor, &why))
            return error(why);
        logs::info(QStringLiteral("dlq settings changed through the control channel by %1").arg(actor));
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("settings"), settings->toJson()}};
    }
    if (cmd == u"dlq_enqueue") {
        QString why;
        const auto key =
            target.queue.enqueueInstance(request.value(QStringLiteral("run")).toString(),
                                         request.value(QStringLiteral("index")).toInt(-1), actor, &why);
        if (!key)
            return error(why.isEmpty() ? QStringLiteral("cannot enqueue it") : why);
        target.store.sync();
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("entry"), dlq::entryId(*key)}};
    }
    if (cmd == u"dlq_edit")
        return editAndRetry(target, request, actor);
    return jobCommand(target, cmd, request, actor);
}

} // namespace signalbox::engine
