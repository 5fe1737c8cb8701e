#pragma once
// The engine's own log (the spdlog ring buffer behind Backend::fetchEngineLog) as a table:
// time, level, logger, message. It is small (the backend keeps a few thousand entries),
// so it lives in memory; the level filter works here rather than on the backend.

#include "backend/backend_types.h"

#include <QAbstractTableModel>

namespace signalbox::ui {

class Backend;

class EngineLogModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineLogModel)
public:
    enum Column { TimeColumn, LevelColumn, LoggerColumn, MessageColumn, ColumnCount };
    enum Role { LevelRole = Qt::UserRole + 1 };
    // More than this and the oldest entries go (a console left open for weeks).
    static constexpr int MaxEntries = 50'000;

    explicit EngineLogModel(Backend& backend, QObject* parent = nullptr);

    // Reads the entries appended since the last answer (all of them the first time).
    void fetchNew();
    // Shows entries at `level` or above.
    void setMinimumLevel(logs::Level level);
    logs::Level minimumLevel() const { return m_minimumLevel; }

    const logs::LogEntry& entry(int row) const { return m_shown.at(row); }
    const QList<logs::LogEntry>& shownEntries() const { return m_shown; }
    QString lineText(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void entriesAppended(int count);

private:
    void onFetched(Ticket ticket, const QList<logs::LogEntry>& entries);
    void onFailed(Ticket ticket);
    bool shows(const logs::LogEntry& entry) const { return entry.level >= m_minimumLevel; }

    Backend& m_backend;
    QList<logs::LogEntry> m_all;
    QList<logs::LogEntry> m_shown;
    logs::Level m_minimumLevel = logs::Level::Trace;
    qint64 m_lastId = 0;
    Ticket m_ticket = 0;
    bool m_fetchAgain = false; // new entries arrived while a fetch was on its way
};

} // namespace signalbox::ui
