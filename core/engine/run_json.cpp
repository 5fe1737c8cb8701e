#include "engine/run_json.h"

#include "domain/clock.h"

#include <QJsonArray>
#include <QJsonValue>

namespace signalbox::engine {
namespace {

QJsonValue timeOrNull(qint64 ms) {
    return ms > 0 ? QJsonValue(isoUtc(ms)) : QJsonValue(QJsonValue::Null);
}

QJsonValue numberOrNull(const std::optional<double>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject instanceToJson(const InstanceRecord& instance) {
    QJsonObject metrics;
    for (auto it = instance.metrics.cbegin(); it != instance.metrics.cend(); ++it)
        metrics.insert(it.key(), it.value());
    const bool failed = instance.status == InstanceStatus::Failed && instance.category != ErrorCategory::None;
    return QJsonObject{
        {QStringLiteral("task"), instance.taskId},
        {QStringLiteral("repo"),
         instance.repo.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(instance.repo)},
        {QStringLiteral("status"), toString(instance.status)},
        {QStringLiteral("exit_code"),
         instance.exitCode ? QJsonValue(*instance.exitCode) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("attempts"), instance.attempts},
        {QStringLiteral("duration_ms"), instance.durationMs()},
        {QStringLiteral("category"),
         failed ? QJsonValue(toString(instance.category)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("metrics"), metrics},
    };
}

QJsonObject runToJson(const RunRecord& run, const QList<InstanceRecord>* instances) {
    QJsonObject object{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("workflow"), run.workflow},
        {QStringLiteral("status"), toString(run.status)},
        {QStringLiteral("started_at"), timeOrNull(run.startedAtMs)},
        {QStringLiteral("finished_at"), timeOrNull(run.finishedAtMs)},
    };
    if (instances) {
        QJsonArray tasks;
        for (const InstanceRecord& instance : *instances)
            tasks.append(instanceToJson(instance));
        object.insert(QStringLiteral("tasks"), tasks);
    }
    QJsonValue passed(QJsonValue::Null);
    if (run.qualityScore)
        passed = !run.qualityGate || *run.qualityScore >= *run.qualityGate;
    object.insert(QStringLiteral("quality"),
                  QJsonObject{{QStringLiteral("score"), numberOrNull(run.qualityScore)},
                              {QStringLiteral("gate"), numberOrNull(run.qualityGate)},
                              {QStringLiteral("passed"), passed}});
    return object;
}

} // namespace signalbox::engine
