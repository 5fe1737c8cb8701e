#include "commands/dlq_json.h"

#include "commands/run_view.h"
#include "dlq/history.h"
#include "domain/clock.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QJsonDocument>

namespace signalbox::cli {
namespace {

QJsonValue nullable(const QString& text) {
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue nullableInt(const std::optional<int>& value) {
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue timeOrNull(qint64 ms) {
    return ms > 0 ? QJsonValue(isoUtc(ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject envToJson(const QMap<QString, QString>& env) {
    QJsonObject json;
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

QJsonObject countsToJson(const QMap<QString, qint64>& counts) {
    QJsonObject json;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

QString orDash(const QString& text) {
    return text.isEmpty() ? QStringLiteral("-") : text;
}

// "2026-11-23 10:00:00" (UTC) for tables.
QString shortTime(qint64 ms) {
    if (ms <= 0)
        return QStringLiteral("-");
    QString iso = isoUtc(ms);
    iso.replace(u'T', u' ');
    return iso.left(19);
}

QString clip(const QString& text, int width) {
    return text.size() <= width ? text : text.left(width - 3) + QStringLiteral("...");
}

QString shellJoin(const QStringList& argv) {
    QStringList quoted;
    for (const QString& arg : argv) {
        const bool plain = !arg.isEmpty() && !arg.contains(u' ') && !arg.contains(u'\'') &&
                           !arg.contains(u'"') && !arg.contains(u'\n') && !arg.contains(u'$');
        quoted << (plain ? arg : u'\'' + QString(arg).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
    }
    return quoted.join(u' ');
}

} // namespace

QJsonObject dlqEntryToJson(const dlq::DeadLetter& entry) {
    return QJsonObject{
        {QStringLiteral("id"), entry.id()},
        {QStringLiteral("run_id"), entry.runId},
        {QStringLiteral("workflow"), entry.workflow},
        {QStringLiteral("task"), entry.taskId},
        {QStringLiteral("repo"), nullable(entry.repo)},
        {QStringLiteral("status"), dlq::toString(entry.status)},
        {QStringLiteral("category"), nullable(toString(entry.category))},
        {QStringLiteral("policy"), dlq::toString(entry.policy)},
        {QStringLiteral("attempts"), entry.attempts},
        {QStringLiteral("max_retries"), entry.maxRetries},
        {QStringLiteral("error"), entry.error},
        {QStringLiteral("signature"), entry.signature},
        {QStringLiteral("enqueued_at"), timeOrNull(entry.enqueuedAtMs)},
        {QStringLiteral("next_retry_at"),
         entry.nextRetryAtMs ? QJsonValue(isoUtc(*entry.nextRetryAtMs)) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject dlqEntryDetailsToJson(const dlq::DeadLetter& entry, const QList<AttemptRecord>& attempts) {
    QJsonObject json = dlqEntryToJson(entry);
    json.insert(QStringLiteral("index"), entry.index);
    json.insert(QStringLiteral("updated_at"), timeOrNull(entry.updatedAtMs));
    json.insert(QStringLiteral("exit_code"), nullableInt(entry.exitCode));
    json.insert(QStringLiteral("signal"), nullableInt(entry.signal));
    // What the entry was created with; an edit-and-retry recipe is `edited` (and in history).
    json.insert(QStringLiteral("command"), QJsonArray::fromStringList(entry.original.argv));
    json.insert(QStringLiteral("env"), envToJson(entry.original.env));
    json.insert(QStringLiteral("working_dir"), entry.original.workingDir);
    json.insert(QStringLiteral("pool"), entry.original.pool);
    json.insert(QStringLiteral("original"), dlq::toJson(entry.original));
    json.insert(QStringLiteral("edited"),
                entry.edited ? QJsonValue(dlq::toJson(*entry.edited)) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("output_tail"), entry.outputTail);
    QJsonArray history;
    for (const dlq::HistoryEvent& event : dlq::parseHistory(entry.historyJson))
        history.append(dlq::toJson(event));
    json.insert(QStringLiteral("history"), history);
    QJsonArray runAttempts;
    for (const AttemptRecord& attempt : attempts) {
        runAttempts.append(QJsonObject{
            {QStringLiteral("attempt"), attempt.attempt},
            {QStringLiteral("started_at"), timeOrNull(attempt.startedAtMs)},
            {QStringLiteral("finished_at"), timeOrNull(attempt.finishedAtMs)},
            {QStringLiteral("exit_code"), nullableInt(attempt.exitCode)},
            {QStringLiteral("signal"), nullableInt(attempt.signal)},
            {QStringLiteral("category"), nullable(toString(attempt.category))},
            {QStringLiteral("error"), nullable(attempt.error)},
        });
    }
    json.insert(QStringLiteral("run_attempts"), runAttempts);
    return json;
}

QJsonObject dlqGroupToJson(const dlq::DlqGroup& group) {
    QJsonArray ids;
    for (qint64 key : group.sampleKeys)
        ids.append(dlq::entryId(key));
    return QJsonObject{
        {QStringLiteral("signature"), group.signature},
        {QStringLiteral("sample_error"), group.sampleError},
        {QStringLiteral("count"), group.count},
        {QStringLiteral("ids"), ids},
        {QStringLiteral("task"), group.taskId},
        {QStringLiteral("newest"), timeOrNull(group.newestEnqueuedAtMs)},
        {QStringLiteral("oldest"), timeOrNull(group.oldestEnqueuedAtMs)},
    };
}

QJsonObject dlqStatsToJson(const dlq::DlqStats& stats, const dlq::DlqSettings& settings) {
    const dlq::DlqCounters& life = stats.lifetime;
    return QJsonObject{
        {QStringLiteral("size"), stats.size},
        {QStringLiteral("max_size"), stats.maxSize},
        {QStringLiteral("utilization"), stats.utilization},
        {QStringLiteral("by_status"), countsToJson(stats.byStatus)},
        {QStringLiteral("by_category"), countsToJson(stats.byCategory)},
        {QStringLiteral("by_policy"), countsToJson(stats.byPolicy)},
        {QStringLiteral("lifetime"), QJsonObject{{QStringLiteral("enqueued"), life.enqueued},
                                                 {QStringLiteral("retry_success"), life.retrySuccess},
                                                 {QStringLiteral("retry_failed"), life.retryFailed},
                                                 {QStringLiteral("exhausted"), life.exhausted},
                                                 {QStringLiteral("manual_retries"), life.manualRetries},
                                                 {QStringLiteral("archived"), life.archived}}},
        // Extras, outside cli.md's `lifetime` object: entries deleted for good.
        {QStringLiteral("removed"),
         QJsonObject{{QStringLiteral("purged"), life.purged}, {QStringLiteral("evicted"), life.evicted}}},
        {QStringLiteral("strategy"), dlq::toString(settings.strategy)},
        {QStringLiteral("processor"),
         QJsonObject{{QStringLiteral("enabled"), settings.processorEnabled},
                     {QStringLiteral("interval_seconds"), settings.intervalSeconds},
                     {QStringLiteral("parallelism"), settings.parallelism}}},
        {QStringLiteral("over_capacity"), stats.maxSize > 0 && stats.size > stats.maxSize},
    };
}

QJsonObject dlqJobToJson(const dlq::BulkJob& job) {
    return QJsonObject{
        {QStringLiteral("id"), job.id()},
        {QStringLiteral("action"), dlq::toString(job.action)},
        {QStringLiteral("state"), dlq::toString(job.state)},
        {QStringLiteral("actor"), job.actor},
        {QStringLiteral("selector"), job.selector},
        {QStringLiteral("created_at"), timeOrNull(job.createdAtMs)},
        {QStringLiteral("updated_at"), timeOrNull(job.updatedAtMs)},
        {QStringLiteral("finished_at"), timeOrNull(job.finishedAtMs)},
        {QStringLiteral("total"), job.total},
        {QStringLiteral("done"), job.done},
        {QStringLiteral("succeeded"), job.succeeded},
        {QStringLiteral("failed"), job.failed},
    };
}

QJsonObject dlqJobItemToJson(const dlq::BulkJobItem& item) {
    return QJsonObject{
        {QStringLiteral("id"), dlq::entryId(item.entryKey)},
        {QStringLiteral("result"), dlq::toString(item.result)},
        {QStringLiteral("message"), nullable(item.message)},
    };
}

QJsonObject dlqAuditToJson(const dlq::AuditRecord& record) {
    return QJsonObject{
        {QStringLiteral("at"), timeOrNull(record.atMs)}, {QStringLiteral("actor"), record.actor},
        {QStringLiteral("action"), record.action},       {QStringLiteral("target"), record.target},
        {QStringLiteral("count"), record.count},         {QStringLiteral("outcome"), record.outcome},
    };
}

QString formatDlqEntries(const QList<dlq::DeadLetter>& entries) {
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("STATUS"), QStringLiteral("TASK"),
                             QStringLiteral("REPO"), QStringLiteral("CATEGORY"), QStringLiteral("POLICY"),
                             QStringLiteral("ATTEMPTS"), QStringLiteral("RETRIES"),
                             QStringLiteral("ENQUEUED"), QStringLiteral("NEXT RETRY"), QStringLiteral("RUN"),
                             QStringLiteral("ERROR")}};
    for (const dlq::DeadLetter& entry : entries) {
        rows << QStringList{entry.id(),
                            dlq::toString(entry.status),
                            entry.taskId,
                            orDash(entry.repo),
                            orDash(toString(entry.category)),
                            dlq::toString(entry.policy),
                            QString::number(entry.attempts),
                            QStringLiteral("%1/%2").arg(entry.retriesDone()).arg(entry.maxRetries),
                            shortTime(entry.enqueuedAtMs),
                            entry.nextRetryAtMs ? shortTime(*entry.nextRetryAtMs) : QStringLiteral("-"),
                            entry.runId,
                            clip(entry.error, 60)};
    }
    return formatTable(rows);
}

QString formatDlqGroups(const QList<dlq::DlqGroup>& groups) {
    QList<QStringList> rows{{QStringLiteral("COUNT"), QStringLiteral("SIGNATURE"), QStringLiteral("TASK"),
                             QStringLiteral("NEWEST"), QStringLiteral("SAMPLE ERROR")}};
    for (const dlq::DlqGroup& group : groups) {
        rows << QStringList{QString::number(group.count), group.signature, group.taskId,
                            shortTime(group.newestEnqueuedAtMs), clip(group.sampleError, 70)};
    }
    return formatTable(rows);
}

QString formatDlqEntryDetails(const dlq::DeadLetter& entry, const QList<AttemptRecord>& attempts) {
    QStringList lines;
    lines << QStringLiteral("%1  %2").arg(entry.id(), dlq::toString(entry.status));
    lines << QStringLiteral("run:          %1 (workflow %2, instance %3)")
                 .arg(entry.runId, entry.workflow)
                 .arg(entry.index);
    lines << QStringLiteral("task:         %1%2")
                 .arg(entry.taskId,
                      entry.repo.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(entry.repo));
    lines << QStringLiteral("error:        %1").arg(entry.error);
    QString exit = entry.exitCode ? QStringLiteral("exit code %1").arg(*entry.exitCode) : QString();
    if (entry.signal)
        exit += (exit.isEmpty() ? QString() : QStringLiteral(", ")) +
                QStringLiteral("signal %1").arg(*entry.signal);
    if (!exit.isEmpty())
        lines << QStringLiteral("exit:         %1").arg(exit);
    lines << QStringLiteral("category:     %1 (policy %2)")
                 .arg(orDash(toString(entry.category)), dlq::toString(entry.policy));
    lines << QStringLiteral("attempts:     %1 (max retries %2)").arg(entry.attempts).arg(entry.maxRetries);
    lines << QStringLiteral("next retry:   %1")
                 .arg(entry.nextRetryAtMs ? isoUtc(*entry.nextRetryAtMs) : QStringLiteral("-"));
    lines << QStringLiteral("enqueued:     %1").arg(isoUtc(entry.enqueuedAtMs));
    lines << QStringLiteral("updated:      %1").arg(isoUtc(entry.updatedAtMs));
    lines << QStringLiteral("signature:    %1").arg(entry.signature);
    auto recipeLines = [&lines](const QString& title, const dlq::LaunchRecipe& recipe) {
        lines << title;
        lines << QStringLiteral("  command:    %1").arg(shellJoin(recipe.argv));
        lines << QStringLiteral("  working dir: %1").arg(orDash(recipe.workingDir));
        lines << QStringLiteral("  pool:       %1").arg(orDash(recipe.pool));
        for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it)
            lines << QStringLiteral("  env:        %1=%2").arg(it.key(), it.value());
    };
    recipeLines(QStringLiteral("original:"), entry.original);
    if (entry.edited)
        recipeLines(QStringLiteral("edited (used for retries):"), *entry.edited);
    if (!attempts.isEmpty()) {
        lines << QStringLiteral("run attempts:");
        for (const AttemptRecord& attempt : attempts) {
            lines << QStringLiteral("  #%1  %2  %3")
                         .arg(attempt.attempt)
                         .arg(shortTime(attempt.startedAtMs),
                              attempt.error.isEmpty() ? QStringLiteral("ok") : attempt.error);
        }
    }
    const QList<dlq::HistoryEvent> history = dlq::parseHistory(entry.historyJson);
    if (!history.isEmpty()) {
        lines << QStringLiteral("history:");
        for (const dlq::HistoryEvent& event : history) {
            QString line = QStringLiteral("  %1  %2").arg(shortTime(event.atMs), event.event);
            if (!event.actor.isEmpty())
                line += QStringLiteral(" by %1").arg(event.actor);
            if (!event.detail.isEmpty())
                line += QStringLiteral(": %1").arg(event.detail);
            if (event.recipe)
                line += QStringLiteral(" [%1 in %2]")
                            .arg(shellJoin(event.recipe->argv), orDash(event.recipe->workingDir));
            if (!event.runStatus.isEmpty())
                line += QStringLiteral(" (run %1)").arg(event.runStatus);
            lines << line;
        }
    }
    if (!entry.outputTail.isEmpty()) {
        lines << QStringLiteral("output (tail):");
        for (const QString& line : entry.outputTail.split(u'\n')) {
            if (!line.isEmpty())
                lines << QStringLiteral("  ") + line;
        }
    }
    return lines.join(u'\n');
}

QString formatDlqStats(const dlq::DlqStats& stats, const dlq::DlqSettings& settings) {
    QStringList lines;
    lines << QStringLiteral("entries:      %1 of %2 (%3%)%4")
                 .arg(stats.size)
                 .arg(stats.maxSize)
                 .arg(stats.utilization * 100.0, 0, 'f', 1)
                 .arg(stats.maxSize > 0 && stats.size > stats.maxSize ? QStringLiteral("  OVER CAPACITY")
                                                                      : QString());
    auto counts = [](const QMap<QString, qint64>& map) {
        QStringList parts;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
        return parts.join(QStringLiteral(", "));
    };
    lines << QStringLiteral("by status:    %1").arg(counts(stats.byStatus));
    lines << QStringLiteral("by category:  %1").arg(counts(stats.byCategory));
    lines << QStringLiteral("by policy:    %1").arg(counts(stats.byPolicy));
    const dlq::DlqCounters& life = stats.lifetime;
    lines << QStringLiteral(
                 "lifetime:     %1 enqueued, %2 retries succeeded, %3 retries failed, %4 exhausted, "
                 "%5 manual retries, %6 archived, %7 purged, %8 evicted")
                 .arg(life.enqueued)
                 .arg(life.retrySuccess)
                 .arg(life.retryFailed)
                 .arg(life.exhausted)
                 .arg(life.manualRetries)
                 .arg(life.archived)
                 .arg(life.purged)
                 .arg(life.evicted);
    lines << QStringLiteral("strategy:     %1").arg(dlq::toString(settings.strategy));
    lines << QStringLiteral("processor:    %1, every %2 s, %3 at once")
                 .arg(settings.processorEnabled ? QStringLiteral("enabled") : QStringLiteral("disabled"))
                 .arg(settings.intervalSeconds)
                 .arg(settings.parallelism);
    return lines.join(u'\n');
}

QString formatDlqJobs(const QList<dlq::BulkJob>& jobs) {
    QList<QStringList> rows{{QStringLiteral("JOB"), QStringLiteral("ACTION"), QStringLiteral("STATE"),
                             QStringLiteral("DONE"), QStringLiteral("OK"), QStringLiteral("FAILED"),
                             QStringLiteral("BY"), QStringLiteral("CREATED"), QStringLiteral("SELECTOR")}};
    for (const dlq::BulkJob& job : jobs) {
        rows << QStringList{job.id(),
                            dlq::toString(job.action),
                            dlq::toString(job.state),
                            QStringLiteral("%1/%2").arg(job.done).arg(job.total),
                            QString::number(job.succeeded),
                            QString::number(job.failed),
                            job.actor,
                            shortTime(job.createdAtMs),
                            clip(job.selector, 60)};
    }
    return formatTable(rows);
}

QString formatDlqJob(const dlq::BulkJob& job) {
    return QStringLiteral("job %1 (%2 %3): %4, %5/%6 done, %7 succeeded, %8 failed")
        .arg(job.id(), dlq::toString(job.action), job.selector, dlq::toString(job.state))
        .arg(job.done)
        .arg(job.total)
        .arg(job.succeeded)
        .arg(job.failed);
}

QString formatDlqAudit(const QList<dlq::AuditRecord>& records) {
    QList<QStringList> rows{{QStringLiteral("AT"), QStringLiteral("ACTOR"), QStringLiteral("ACTION"),
                             QStringLiteral("TARGET"), QStringLiteral("COUNT"), QStringLiteral("OUTCOME")}};
    for (const dlq::AuditRecord& record : records) {
        rows << QStringList{
            shortTime(record.atMs),        record.actor,  record.action, clip(record.target, 50),
            QString::number(record.count), record.outcome};
    }
    return formatTable(rows);
}

dlq::DlqSettings storedDlqSettings(const store::Store& store) {
    const auto bytes = store.setting(QStringLiteral("dlq"));
    if (!bytes || bytes->isEmpty())
        return {};
    QString error;
    const auto settings = dlq::DlqSettings::fromJson(QJsonDocument::fromJson(*bytes).object(), &error);
    if (!settings) {
        logs::warn(
            QStringLiteral("stored dlq settings are unreadable (%1); showing the defaults").arg(error));
        return {};
    }
    return *settings;
}

dlq::DlqStats dlqStatsFromStore(const store::Store& store, const dlq::DlqSettings& settings) {
    dlq::DlqStats stats = store.dlqStats();
    stats.maxSize = settings.maxSize;
    stats.utilization = settings.maxSize > 0 ? double(stats.size) / double(settings.maxSize) : 0.0;
    return stats;
}

} // namespace signalbox::cli
