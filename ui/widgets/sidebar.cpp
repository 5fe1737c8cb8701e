#include "widgets/sidebar.h"

namespace signalbox::ui {
namespace {
constexpr int kViewIdRole = Qt::UserRole + 1;
}

Sidebar::Sidebar(QWidget* parent)
    : QListWidget(parent) {
    setObjectName(QStringLiteral("sidebar"));
    setAccessibleName(tr("Views"));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setIconSize(QSize(20, 20));
    setFrameShape(QFrame::NoFrame);
    setSpacing(2);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
}

void Sidebar::addView(const QString& viewId, const QString& title, const QIcon& icon,
                      const QString& shortcutText) {
    auto* item = new QListWidgetItem(icon, title, this);
    item->setData(kViewIdRole, viewId);
    item->setToolTip(shortcutText.isEmpty() ? title : tr("%1 (%2)").arg(title, shortcutText));
    item->setSizeHint(QSize(0, 32));
}

QString Sidebar::viewIdAt(int row) const {
    const QListWidgetItem* it = item(row);
    return it ? it->data(kViewIdRole).toString() : QString();
}

int Sidebar::rowOf(const QString& viewId) const {
    for (int row = 0; row < count(); ++row) {
        if (item(row)->data(kViewIdRole).toString() == viewId)
            return row;
    }
    return -1;
}

QSize Sidebar::sizeHint() const {
    int width = 0;
    for (int row = 0; row < count(); ++row)
        width = std::max(width, fontMetrics().horizontalAdvance(item(row)->text()));
    return QSize(width + iconSize().width() + 48, QListWidget::sizeHint().height());
}

} // namespace signalbox::ui
