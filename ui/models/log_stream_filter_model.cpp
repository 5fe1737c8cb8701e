#include "models/log_stream_filter_model.h"

#include "backend/backend.h"
#include "models/log_line_format.h"

namespace signalbox::ui {

LogStreamFilterModel::LogStreamFilterModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::logLinesFetched, this, &LogStreamFilterModel::onFetched);
    connect(&m_backend, &Backend::failed, this, [this](Ticket ticket, const QString& message) {
        if (ticket != m_ticket)
            return;
        m_ticket = 0;
        Q_EMIT loadFailed(message);
    });
}

void LogStreamFilterModel::setSource(const QString& runId, int index, const QSet<LogStream>& streams) {
    beginResetModel();
    m_runId = runId;
    m_index = index;
    m_streams = streams;
    m_lines.clear();
    m_lastId = 0;
    m_ticket = 0; // an answer for the previous source is dropped by its ticket
    m_fetchAgain = false;
    m_truncated = false;
    endResetModel();
    fetchPage();
}

void LogStreamFilterModel::setInstanceLabels(const QHash<int, QString>& labels) {
    m_labels = labels;
    if (!m_lines.isEmpty())
        Q_EMIT dataChanged(index(0, logformat::TaskColumn), index(rowCount() - 1, logformat::TaskColumn));
}

void LogStreamFilterModel::refresh() {
    if (m_ticket != 0) {
        m_fetchAgain = true;
        return;
    }
    fetchPage();
}

void LogStreamFilterModel::fetchPage() {
    if (m_runId.isEmpty() || m_truncated)
        return;
    LogRequest request;
    request.runId = m_runId;
    request.index = m_index;
    request.afterId = m_lastId;
    request.limit = PageSize;
    m_ticket = m_backend.fetchLogLines(request);
}

void LogStreamFilterModel::onFetched(Ticket ticket, const QList<LogLine>& lines) {
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    QList<LogLine> kept;
    for (const LogLine& line : lines) {
        if (m_streams.contains(line.stream))
            kept.append(line);
    }
    if (!lines.isEmpty())
        m_lastId = lines.constLast().id;
    if (m_lines.size() + kept.size() > MaxLines) {
        kept.resize(MaxLines - m_lines.size());
        m_truncated = true;
    }
    if (!kept.isEmpty()) {
        beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + kept.size() - 1));
        m_lines.append(kept);
        endInsertRows();
        Q_EMIT linesAppended(int(kept.size()));
    }
    // A full page means more are waiting: read on until caught up.
    if (lines.size() >= PageSize || m_fetchAgain) {
        m_fetchAgain = false;
        fetchPage();
    } else {
        Q_EMIT caughtUp();
    }
}

int LogStreamFilterModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogStreamFilterModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(logformat::ColumnCount);
}

QVariant LogStreamFilterModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return logformat::data(m_lines.at(index.row()), index.column(), role, m_labels);
}

QVariant LogStreamFilterModel::headerData(int section, Qt::Orientation orientation, int role) const {
    return logformat::headerData(section, orientation, role);
}

} // namespace signalbox::ui
