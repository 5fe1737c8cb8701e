#include "widgets/log_line_delegate.h"

#include <QPainter>
#include <algorithm>

namespace signalbox::ui {

bool LogLineDelegate::isMarked(int row) const {
    return std::binary_search(m_marked.cbegin(), m_marked.cend(), qint64(row));
}

void LogLineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    if (isMarked(index.row())) {
        // Translucent amber: readable under both themes' text colors and under selection.
        painter->fillRect(option.rect, QColor(0xff, 0xc1, 0x07, 90));
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace signalbox::ui
