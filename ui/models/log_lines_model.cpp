#include "models/log_lines_model.h"

#include "backend/backend.h"
#include "models/log_line_format.h"

#include <algorithm>
#include <limits>

namespace signalbox::ui {

LogLinesModel::LogLinesModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::logIndexFetched, this, &LogLinesModel::onIndexFetched);
    connect(&m_backend, &Backend::logLinesFetched, this, &LogLinesModel::onLinesFetched);
    connect(&m_backend, &Backend::failed, this, &LogLinesModel::onFailed);
}

void LogLinesModel::setSource(const QString& runId, int index) {
    beginResetModel();
    m_runId = runId;
    m_index = index;
    m_total = 0;
    m_cache.clear();
    m_pendingBlocks.clear(); // answers still on their way belong to the old source
    m_requestedBlocks.clear();
    m_indexTicket = 0;
    endResetModel();
    refreshIndex();
}

void LogLinesModel::setInstanceLabels(const QHash<int, QString>& labels) {
    m_labels = labels;
    if (m_total > 0)
        Q_EMIT dataChanged(this->index(0, logformat::TaskColumn), this->index(rowCount() - 1, logformat::TaskColumn));
}

void LogLinesModel::refreshIndex() {
    if (m_runId.isEmpty())
        return;
    m_indexTicket = m_backend.fetchLogIndex(m_runId, m_index, BlockSize);
}

void LogLinesModel::onIndexFetched(Ticket ticket, const LogIndex& logIndex) {
    if (ticket != m_indexTicket)
        return;
    m_indexTicket = 0;
    // A QTableView counts rows in int; 2^31 lines is far beyond what a run writes.
    const qint64 total = std::min<qint64>(logIndex.total, std::numeric_limits<int>::max());
    ++m_generation;
    m_requestedBlocks.clear(); // a block read before the log grew may be read once more
    if (total > m_total) {
        beginInsertRows({}, int(m_total), int(total - 1));
        m_total = total;
        endInsertRows();
    } else if (total < m_total) {
        // Only when the output was replaced (a resumed run rewrites nothing, but be safe).
        beginResetModel();
        m_total = total;
        m_cache.clear();
        m_pendingBlocks.clear();
        endResetModel();
    }
    Q_EMIT indexLoaded(m_total);
}

void LogLinesModel::onLinesFetched(Ticket ticket, const QList<LogLine>& lines) {
    const auto it = m_pendingBlocks.constFind(ticket);
    if (it == m_pendingBlocks.cend())
        return;
    const int block = it->block;
    const quint64 generation = it->generation;
    m_pendingBlocks.erase(it);
    m_requestedBlocks.remove(block);
    QList<LogLine> kept = lines;
    for (LogLine& line : kept)
        line.runId.clear(); // the model knows its run: 200,000 copies of it are waste
    m_cache.insert(block, std::move(kept), generation);
    const int first = block * BlockSize;
    const int last = std::min(first + BlockSize, rowCount()) - 1;
    if (last >= first) {
        Q_EMIT dataChanged(index(first, 0), index(last, logformat::ColumnCount - 1));
        Q_EMIT blockLoaded(first, last);
    }
}

void LogLinesModel::onFailed(Ticket ticket, const QString& message) {
    if (ticket == m_indexTicket) {
        m_indexTicket = 0;
        Q_EMIT loadFailed(message);
        return;
    }
    // The block stays "requested" until the index is read again, so a block that cannot
    // be read is not asked for on every repaint.
    if (m_pendingBlocks.remove(ticket) > 0)
        Q_EMIT loadFailed(message);
}

const LogLine* LogLinesModel::line(int row) const {
    if (row < 0 || row >= m_total)
        return nullptr;
    const int block = row / BlockSize;
    const int offset = row % BlockSize;
    const LogBlockCache::Block* cached = m_cache.use(block);
    if (cached && offset < cached->lines.size())
        return &cached->lines[offset];
    if (!cached || cached->generation < m_generation)
        requestBlock(block);
    return nullptr;
}

void LogLinesModel::requestBlock(int block) const {
    if (m_requestedBlocks.contains(block))
        return;
    m_requestedBlocks.insert(block);
    const Ticket ticket = m_backend.fetchLogRange(m_runId, m_index, qint64(block) * BlockSize, BlockSize);
    m_pendingBlocks.insert(ticket, PendingBlock{block, m_generation});
}

bool LogLinesModel::isLoaded(int row) const {
    const LogBlockCache::Block* cached = m_cache.use(row / BlockSize);
    return cached && row % BlockSize < cached->lines.size();
}

QString LogLinesModel::lineText(int row) const {
    const LogBlockCache::Block* cached = m_cache.use(row / BlockSize);
    if (!cached || row % BlockSize >= cached->lines.size())
        return {};
    return cached->lines[row % BlockSize].text;
}

std::optional<LogLine> LogLinesModel::cachedLine(int row) const {
    const LogBlockCache::Block* cached = m_cache.use(row / BlockSize);
    if (!cached || row % BlockSize >= cached->lines.size())
        return std::nullopt;
    return cached->lines[row % BlockSize];
}

int LogLinesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_total);
}

int LogLinesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(logformat::ColumnCount);
}

QVariant LogLinesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ForegroundRole && role != Qt::ToolTipRole
        && role != StreamRole && role != LoadedRole)
        return {};
    const LogLine* logLine = line(index.row());
    if (role == LoadedRole)
        return logLine != nullptr;
    if (!logLine) {
        if (role == Qt::DisplayRole && index.column() == logformat::TextColumn)
            return QStringLiteral("…");
        return {};
    }
    if (role == StreamRole)
        return int(logLine->stream);
    return logformat::data(*logLine, index.column(), role, m_labels);
}

QVariant LogLinesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    return logformat::headerData(section, orientation, role);
}

} // namespace signalbox::ui
