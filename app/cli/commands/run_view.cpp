#include "commands/run_view.h"

#include "domain/clock.h"

#include <QMap>

namespace signalbox::cli {

QString formatTable(const QList<QStringList>& rows) {
    QList<qsizetype> widths;
    for (const QStringList& row : rows) {
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths.append(0);
            widths[c] = qMax(widths[c], row.at(c).size());
        }
    }
    QStringList lines;
    for (const QStringList& row : rows) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (c + 1 == row.size())
                line += row.at(c);
            else
                line += row.at(c).leftJustified(widths.at(c)) + QStringLiteral("  ");
        }
        lines << line;
    }
    for (QString& line : lines) {
        while (line.endsWith(u' '))
            line.chop(1);
    }
    return lines.join(u'\n');
}

QString formatDuration(qint64 ms) {
    if (ms <= 0)
        return QStringLiteral("-");
    if (ms < 1000)
        return QStringLiteral("%1ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString instanceLabel(const InstanceRecord& instance) {
    return instance.repo.isEmpty() ? instance.taskId
                                   : QStringLiteral("%1[%2]").arg(instance.taskId, instance.repo);
}

QString formatInstanceCounts(const QList<InstanceRecord>& instances) {
    QMap<int, int> counts;
    for (const InstanceRecord& instance : instances)
        ++counts[int(instance.status)];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(toString(InstanceStatus(it.key())));
    return parts.isEmpty() ? QStringLiteral("no instances") : parts.join(QStringLiteral(", "));
}

QString formatRunDetails(const RunRecord& run, const QList<InstanceRecord>& instances) {
    QStringList lines;
    lines << QStringLiteral("run %1  workflow %2  %3").arg(run.id, run.workflow, toString(run.status));
    QString times =
        QStringLiteral("started %1").arg(run.startedAtMs > 0 ? isoUtc(run.startedAtMs) : QStringLiteral("-"));
    if (run.finishedAtMs > 0) {
        times += QStringLiteral("  finished %1").arg(isoUtc(run.finishedAtMs));
        if (run.startedAtMs > 0)
            times += QStringLiteral("  (%1)").arg(formatDuration(run.finishedAtMs - run.startedAtMs));
    }
    lines << times;
    lines << QStringLiteral("instances: %1").arg(formatInstanceCounts(instances));
    if (run.qualityScore || run.qualityGate) {
        QString quality =
            QStringLiteral("quality: %1")
                .arg(run.qualityScore ? QString::number(*run.qualityScore, 'f', 1) : QStringLiteral("-"));
        if (run.qualityGate) {
            const bool passed = run.qualityScore && *run.qualityScore >= *run.qualityGate;
            quality += QStringLiteral(" (gate %1: %2)")
                           .arg(QString::number(*run.qualityGate),
                                passed ? QStringLiteral("passed") : QStringLiteral("missed"));
        }
        lines << quality;
    }
    if (!instances.isEmpty()) {
        QList<QStringList> rows;
        rows << QStringList{QStringLiteral("TASK"),     QStringLiteral("REPO"),
                            QStringLiteral("STATUS"),   QStringLiteral("EXIT"),
                            QStringLiteral("ATTEMPTS"), QStringLiteral("DURATION"),
                            QStringLiteral("CATEGORY"), QStringLiteral("ERROR")};
        for (const InstanceRecord& instance : instances) {
            rows << QStringList{instance.taskId,
                                instance.repo.isEmpty() ? QStringLiteral("-") : instance.repo,
                                toString(instance.status),
                                instance.exitCode ? QString::number(*instance.exitCode) : QStringLiteral("-"),
                                QString::number(instance.attempts),
                                formatDuration(instance.durationMs()),
                                instance.category == ErrorCategory::None ? QStringLiteral("-")
                                                                         : toString(instance.category),
                                instance.error};
        }
        lines << QString() << formatTable(rows);
    }
    return lines.join(u'\n');
}

QString formatRunList(const QList<RunRecord>& runs) {
    QList<QStringList> rows;
    rows << QStringList{QStringLiteral("ID"), QStringLiteral("WORKFLOW"), QStringLiteral("STATUS"),
                        QStringLiteral("STARTED"), QStringLiteral("DURATION")};
    for (const RunRecord& run : runs) {
        const qint64 duration =
            run.finishedAtMs > 0 && run.startedAtMs > 0 ? run.finishedAtMs - run.startedAtMs : 0;
        rows << QStringList{run.id, run.workflow, toString(run.status),
                            run.startedAtMs > 0 ? isoUtc(run.startedAtMs) : QStringLiteral("-"),
                            formatDuration(duration)};
    }
    return formatTable(rows);
}

} // namespace signalbox::cli
