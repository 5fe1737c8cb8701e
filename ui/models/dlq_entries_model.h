#pragma once
// The dead letter table: keyset pages from Backend::fetchDeadLetters, fetched as the view
// scrolls (canFetchMore/fetchMore). Filtering and sorting happen in SQL: changing either
// resets the model and asks for the first page again. Only the answer to the latest
// request is used; an older one (a filter the user already changed) is dropped.

#include "backend/backend.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>
#include <optional>

namespace signalbox::ui {

class DlqEntriesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DlqEntriesModel)
public:
    enum Column {
        Id,
        Status,
        Category,
        Workflow,
        Task,
        Repo,
        Attempts,
        NextRetry,
        Error,
        Enqueued,
        ColumnCount
    };
    enum Role { KeyRole = Qt::UserRole + 1, StatusRole, SortKeyRole };

    explicit DlqEntriesModel(Backend& backend, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The SQL sort a column maps to; nullopt for columns SQL cannot sort (the error).
    static std::optional<dlq::DlqSortKey> sortKeyFor(int column);
    static int columnForSortKey(dlq::DlqSortKey key); // Enqueued for keys without a column

    void setFilter(const dlq::DlqFilter& filter); // resets and fetches the first page
    const dlq::DlqFilter& filter() const { return m_filter; }
    const dlq::DlqSort& sortOrder() const { return m_sort; }
    // Asks again for what is loaded (at least one page): the answer replaces the rows.
    void reload();

    const dlq::DeadLetter& entryAt(int row) const { return m_rows.at(row); }
    int rowOfKey(qint64 key) const; // -1 when not loaded
    bool isLoading() const { return m_pending != 0; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows) { m_pageSize = rows; }

Q_SIGNALS:
    // Rows arrived (a first page, a reload or one more page): views restore selection.
    void rowsLoaded();
    void loadFailed(const QString& message);

private:
    void handleFetched(Ticket ticket, const QList<dlq::DeadLetter>& entries);
    void handleFailed(Ticket ticket, const QString& message);
    void request(int limit, std::optional<dlq::DeadLetter> after, bool replace);

    Backend& m_backend;
    dlq::DlqFilter m_filter;
    dlq::DlqSort m_sort;
    QList<dlq::DeadLetter> m_rows;
    bool m_more = false;
    int m_pageSize = 200;
    Ticket m_pending = 0;   // the one request whose answer counts (0 = none in flight)
    bool m_replace = false; // the pending answer replaces the rows (first page, reload)
    int m_requested = 0;    // limit of the pending request
    QTimer m_clock;         // "in 4 min" counts down without a query
};

} // namespace signalbox::ui
