#include "models/log_line_format.h"

#include "widgets/status_colors.h"

#include <QCoreApplication>
#include <QDateTime>

namespace signalbox::ui::logformat {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("LogLines", text); }

} // namespace

QString streamName(LogStream stream) {
    switch (stream) {
    case LogStream::Stdout: return tr("out");
    case LogStream::Stderr: return tr("err");
    case LogStream::System: return tr("sys");
    }
    return {};
}

QVariant data(const LogLine& line, int column, int role, const QHash<int, QString>& labels) {
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn: return QDateTime::fromMSecsSinceEpoch(line.tsMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        case StreamColumn: return streamName(line.stream);
        case TaskColumn: return labels.value(line.index, QString::number(line.index));
        case TextColumn: return line.text;
        default: return {};
        }
    case Qt::ForegroundRole:
        if (line.stream == LogStream::Stderr)
            return statusColor(InstanceStatus::Failed);
        if (line.stream == LogStream::System)
            return statusColor(InstanceStatus::Skipped);
        return {};
    case Qt::ToolTipRole:
        if (column == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(line.tsMs).toString(Qt::ISODateWithMs);
        return {};
    default: return {};
    }
}

QVariant headerData(int section, Qt::Orientation orientation, int role) {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1; // line numbers, 1-based as editors show them
    switch (section) {
    case TimeColumn: return tr("Time");
    case StreamColumn: return tr("Stream");
    case TaskColumn: return tr("Task");
    case TextColumn: return tr("Text");
    default: return {};
    }
}

} // namespace signalbox::ui::logformat
