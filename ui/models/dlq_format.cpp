#include "models/dlq_format.h"

#include "dlq/retry_policy.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

namespace signalbox::ui::dlqformat {

namespace {
QString tr(const char* text, int n = -1) {
    return QCoreApplication::translate("signalbox::ui::dlqformat", text, nullptr, n);
}
} // namespace

QString count(qint64 value) {
    return QLocale().toString(value);
}

QString entryCount(qint64 value) {
    return value == 1 ? tr("1 dead letter") : tr("%1 dead letters").arg(count(value));
}

QString timestamp(qint64 msSinceEpoch) {
    if (msSinceEpoch <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString attempts(const dlq::DeadLetter& entry) {
    // Retries done out of retries allowed, as `signalbox-cli dlq list` prints them.
    return QString::number(entry.retriesDone()) + QLatin1Char('/') + QString::number(entry.maxRetries);
}

QString nextRetry(const dlq::DeadLetter& entry, qint64 nowMs) {
    if (!entry.nextRetryAtMs)
        return {};
    const qint64 inMs = *entry.nextRetryAtMs - nowMs;
    if (inMs <= 0)
        return tr("due now");
    const qint64 minutes = (inMs + 59'999) / 60'000;
    if (minutes < 60)
        return tr("in %1 min").arg(minutes);
    return tr("in %1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QString shellCommand(const QStringList& argv) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    QStringList quoted;
    quoted.reserve(argv.size());
    for (const QString& arg : argv) {
        if (plain.match(arg).hasMatch()) {
            quoted << arg;
        } else {
            QString escaped = arg;
            escaped.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
            quoted << (QLatin1Char('\'') + escaped + QLatin1Char('\''));
        }
    }
    return quoted.join(QLatin1Char(' '));
}

QString describeFilter(const dlq::DlqFilter& filter) {
    QStringList parts;
    auto add = [&parts](const QString& name, const QString& value) {
        if (!value.isEmpty())
            parts << (name + QLatin1Char('=') + value);
    };
    if (!filter.keys.isEmpty()) {
        QStringList ids;
        for (qint64 key : filter.keys)
            ids << dlq::entryId(key);
        add(QStringLiteral("ids"), ids.join(QLatin1Char(',')));
    }
    QStringList statuses;
    for (dlq::DlqStatus status : filter.statuses)
        statuses << dlq::toString(status);
    add(QStringLiteral("status"), statuses.join(QLatin1Char(',')));
    QStringList categories;
    for (ErrorCategory category : filter.categories)
        categories << toString(category);
    add(QStringLiteral("category"), categories.join(QLatin1Char(',')));
    QStringList policies;
    for (dlq::RetryPolicy policy : filter.policies)
        policies << dlq::toString(policy);
    add(QStringLiteral("policy"), policies.join(QLatin1Char(',')));
    add(QStringLiteral("workflow"), filter.workflow);
    add(QStringLiteral("task"), filter.taskId);
    add(QStringLiteral("repo"), filter.repo);
    add(QStringLiteral("run"), filter.runId);
    add(QStringLiteral("group"), filter.signature);
    if (!filter.errorContains.isEmpty())
        add(QStringLiteral("error"), QLatin1Char('"') + filter.errorContains + QLatin1Char('"'));
    if (parts.isEmpty())
        return tr("everything");
    return parts.join(QStringLiteral(", "));
}

QString actionVerb(dlq::BulkAction action) {
    switch (action) {
    case dlq::BulkAction::Retry:
        return tr("Retry");
    case dlq::BulkAction::Archive:
        return tr("Archive");
    case dlq::BulkAction::Purge:
        return tr("Purge");
    }
    return {};
}

} // namespace signalbox::ui::dlqformat
