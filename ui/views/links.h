#pragma once
// signalbox:// links between views (see view.h).

#include <QString>
#include <QUrl>
#include <optional>

namespace signalbox::ui::links {

inline QUrl run(const QString& runId) { return QUrl(QStringLiteral("signalbox://runs/") + runId); }
inline QUrl instance(const QString& runId, int index) {
    return QUrl(QStringLiteral("signalbox://runs/") + runId + QLatin1Char('/') + QString::number(index));
}
inline QUrl deadLetter(qint64 key) { return QUrl(QStringLiteral("signalbox://dlq/") + QString::number(key)); }
inline QUrl logs(const QString& runId, int index = -1) {
    QString url = QStringLiteral("signalbox://logs/") + runId;
    if (index >= 0)
        url += QLatin1Char('/') + QString::number(index);
    return QUrl(url);
}
inline QUrl engineLog() { return QUrl(QStringLiteral("signalbox://logs/engine")); }
inline QUrl view(const QString& viewId) { return QUrl(QStringLiteral("signalbox://") + viewId); }

// The path segments after the host ("runs/r_1/3" -> {"r_1", "3"}).
inline QStringList segments(const QUrl& link) {
    return link.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

} // namespace signalbox::ui::links
