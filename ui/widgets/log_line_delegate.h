#pragma once
// Paints log rows, marking the rows that match the current search. The marks live here
// rather than in the models so the three log models (engine, whole run, stream-filtered)
// share one way of showing them.

#include <QList>
#include <QStyledItemDelegate>

namespace signalbox::ui {

class LogLineDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogLineDelegate)
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Rows to mark, ascending.
    void setMarkedRows(const QList<qint64>& rows) { m_marked = rows; }
    bool isMarked(int row) const;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    QList<qint64> m_marked;
};

} // namespace signalbox::ui
