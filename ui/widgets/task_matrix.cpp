#include "widgets/task_matrix.h"

#include "widgets/task_matrix_model.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>

namespace signalbox::ui {

namespace {

// Keeps the status color visible on the selected cell: the selection is a frame, not a
// fill (a highlighted failed cell must still read as failed).
class StatusCellDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const QVariant background = index.data(Qt::BackgroundRole);
        if (!background.isValid()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        const QRect cell = option.rect.adjusted(1, 1, -1, -1);
        painter->save();
        painter->fillRect(cell, background.value<QColor>());
        painter->setPen(index.data(Qt::ForegroundRole).value<QColor>());
        painter->drawText(cell, Qt::AlignCenter, index.data(Qt::DisplayRole).toString());
        if (option.state & QStyle::State_Selected) {
            painter->setPen(QPen(option.palette.color(QPalette::Text), 3));
            painter->drawRect(cell.adjusted(1, 1, -2, -2));
        }
        painter->restore();
    }
};

} // namespace

TaskMatrix::TaskMatrix(QWidget* parent)
    : QTableView(parent)
    , m_model(new TaskMatrixModel(this)) {
    setModel(m_model);
    setItemDelegate(new StatusCellDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setDefaultSectionSize(96);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { handleCurrentChanged(current); });
    // A click on the already-current cell re-selects it (e.g. after a refresh).
    connect(this, &QAbstractItemView::clicked, this,
            [this](const QModelIndex& index) { handleCurrentChanged(index); });
}

void TaskMatrix::selectInstance(int instanceIndex) {
    const QModelIndex index = m_model->indexOfInstance(instanceIndex);
    if (index.isValid() && index != currentIndex())
        setCurrentIndex(index);
}

void TaskMatrix::handleCurrentChanged(const QModelIndex& current) {
    const int instanceIndex =
        current.isValid() ? current.data(TaskMatrixModel::InstanceIndexRole).toInt() : -1;
    if (instanceIndex >= 0)
        Q_EMIT instanceSelected(instanceIndex);
}

} // namespace signalbox::ui
