#pragma once
// A run's output (or one instance's) as a table that can hold millions of lines: the row
// count comes from the backend's LogIndex, and rows are read in blocks of 1000 through
// fetchLogRange when they are first shown (data() on a missing block answers a
// placeholder and asks for the block). Recent blocks stay in an LRU cache; answers to
// requests made before the source changed are dropped by ticket.

#include "backend/backend_types.h"
#include "models/log_block_cache.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <optional>

namespace signalbox::ui {

class Backend;

class LogLinesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogLinesModel)
public:
    enum Role {
        StreamRole = Qt::UserRole + 1, // int(LogStream); invalid while the line is not loaded
        LoadedRole,                    // bool
    };
    static constexpr int BlockSize = 1000;

    explicit LogLinesModel(Backend& backend, QObject* parent = nullptr);

    // Shows the output of `runId` (every instance for index -1). An empty run id shows nothing.
    void setSource(const QString& runId, int index);
    QString runId() const { return m_runId; }
    int instanceIndex() const { return m_index; }
    // "task repo" per instance index, for the task column.
    void setInstanceLabels(const QHash<int, QString>& labels);
    // Reads the index again (new lines were appended): rows are added at the end.
    void refreshIndex();

    qint64 totalLines() const { return m_total; }
    bool isLoaded(int row) const;
    // The line's text, or an empty string while its block is not loaded.
    QString lineText(int row) const;
    // The line if its block is cached (does not ask for it).
    std::optional<LogLine> cachedLine(int row) const;
    int cachedBlocks() const { return m_cache.size(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // The index arrived (rows were added or the model was reset).
    void indexLoaded(qint64 total);
    void blockLoaded(int firstRow, int lastRow);
    // A block or the index could not be read (one line, for the window's message bar).
    void loadFailed(const QString& message);

private:
    void onIndexFetched(Ticket ticket, const LogIndex& index);
    void onLinesFetched(Ticket ticket, const QList<LogLine>& lines);
    void onFailed(Ticket ticket, const QString& message);
    // The line at `row` if its block is cached; otherwise asks for the block.
    const LogLine* line(int row) const;
    void requestBlock(int block) const;

    Backend& m_backend;
    QString m_runId;
    int m_index = -1;
    qint64 m_total = 0;
    quint64 m_generation = 0; // bumped on every index answer
    Ticket m_indexTicket = 0;
    QHash<int, QString> m_labels;
    // data() is const but fills the cache as rows come into view.
    mutable LogBlockCache m_cache;
    struct PendingBlock {
        int block = 0;
        quint64 generation = 0; // of the index when asked: the answer is no newer than that
    };
    mutable QHash<Ticket, PendingBlock> m_pendingBlocks;
    mutable QSet<int> m_requestedBlocks;
};

} // namespace signalbox::ui
