#pragma once
// A run's output restricted to some streams (only stderr, say). The backend's line ranges
// are by line number over every stream, so a filtered view cannot be virtual the same
// way: this model reads the run's lines in pages on the backend thread and keeps the
// matching ones, up to MaxLines (then says so through truncated()). Follow works the same:
// refresh() reads what was appended after the last line seen.

#include "backend/backend_types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

namespace signalbox::ui {

class Backend;

class LogStreamFilterModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogStreamFilterModel)
public:
    static constexpr int PageSize = 20'000;
    static constexpr int MaxLines = 200'000;

    explicit LogStreamFilterModel(Backend& backend, QObject* parent = nullptr);

    void setSource(const QString& runId, int index, const QSet<LogStream>& streams);
    void setInstanceLabels(const QHash<int, QString>& labels);
    // Reads the lines appended since the last one seen.
    void refresh();

    QString runId() const { return m_runId; }
    const QList<LogLine>& lines() const { return m_lines; }
    QString lineText(int row) const { return row >= 0 && row < m_lines.size() ? m_lines[row].text : QString(); }
    bool truncated() const { return m_truncated; }
    bool isLoading() const { return m_ticket != 0; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void linesAppended(int count);
    // Every line written so far has been read.
    void caughtUp();
    void loadFailed(const QString& message);

private:
    void fetchPage();
    void onFetched(Ticket ticket, const QList<LogLine>& lines);

    Backend& m_backend;
    QString m_runId;
    int m_index = -1;
    QSet<LogStream> m_streams;
    QHash<int, QString> m_labels;
    QList<LogLine> m_lines;
    qint64 m_lastId = 0;
    Ticket m_ticket = 0;
    bool m_fetchAgain = false;
    bool m_truncated = false;
};

} // namespace signalbox::ui
