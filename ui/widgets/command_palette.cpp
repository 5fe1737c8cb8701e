#include "widgets/command_palette.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace signalbox::ui {
namespace {

constexpr int kActionIndexRole = Qt::UserRole + 1;

QString plainText(const QAction* action) {
    QString text = action->text();
    text.remove(QRegularExpression(QStringLiteral("&(?!&)"))); // mnemonics
    text.replace(QStringLiteral("&&"), QStringLiteral("&"));
    return text;
}

// Every word typed must appear somewhere, in any order ("dead go" finds "Go to Dead Letters").
QRegularExpression wordsPattern(const QString& text) {
    QString pattern = QStringLiteral("^");
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& word : words)
        pattern += QStringLiteral("(?=.*") + QRegularExpression::escape(word) + QLatin1Char(')');
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

} // namespace

CommandPalette::CommandPalette(QWidget* parent)
    : QFrame(parent)
    , m_filter(new QLineEdit(this))
    , m_list(new QTreeView(this))
    , m_model(new QStandardItemModel(this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("commandPalette"));
    setFrameShape(QFrame::StyledPanel);
    setFrameShadow(QFrame::Raised);
    setAutoFillBackground(true);
    setAccessibleName(tr("Command palette"));

    m_filter->setObjectName(QStringLiteral("paletteFilter"));
    m_filter->setPlaceholderText(tr("Type a command or a view…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->installEventFilter(this);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(0);
    m_list->setObjectName(QStringLiteral("paletteList"));
    m_list->setModel(m_proxy);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderHidden(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setFocusPolicy(Qt::NoFocus); // keys stay in the filter; Up/Down are forwarded
    m_list->header()->setStretchLastSection(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);

    connect(m_filter, &QLineEdit::textChanged, this, &CommandPalette::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &CommandPalette::triggerCurrent);
    connect(m_list, &QTreeView::activated, this, [this](const QModelIndex& index) {
        selectRow(index.row());
        triggerCurrent();
    });
    hide();
}

void CommandPalette::popup(const QList<QAction*>& actions) {
    m_model->clear();
    m_model->setColumnCount(2);
    m_actions.clear();
    for (QAction* action : actions) {
        if (!action || !action->isEnabled() || action->text().isEmpty())
            continue;
        auto* title = new QStandardItem(action->icon(), plainText(action));
        title->setData(int(m_actions.size()), kActionIndexRole);
        title->setToolTip(action->toolTip());
        auto* shortcut = new QStandardItem(action->shortcut().toString(QKeySequence::NativeText));
        shortcut->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        shortcut->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        m_model->appendRow({title, shortcut});
        m_actions.append(action);
    }
    // Set once the columns exist (clear() removed them): titles stretch, shortcuts fit.
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_previousFocus = QApplication::focusWidget();
    m_filter->clear();
    applyFilter(QString());
    place();
    show();
    raise();
    m_filter->setFocus(Qt::PopupFocusReason);
}

void CommandPalette::triggerCurrent() {
    QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        index = m_proxy->index(0, 0);
    if (!index.isValid())
        return; // nothing matches: stay open so the text can be corrected
    const int actionIndex = m_proxy->index(index.row(), 0).data(kActionIndexRole).toInt();
    const QPointer<QAction> action = m_actions.value(actionIndex);
    close();
    if (action)
        Q_EMIT aboutToTrigger(action);
    if (action)
        action->trigger();
}

int CommandPalette::visibleCount() const {
    return m_proxy->rowCount();
}

void CommandPalette::close() {
    if (!isVisible())
        return;
    hide();
    if (m_previousFocus)
        m_previousFocus->setFocus(Qt::PopupFocusReason);
    Q_EMIT closed();
}

bool CommandPalette::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : 0;
        switch (key->key()) {
        case Qt::Key_Down:
            selectRow(row + 1);
            return true;
        case Qt::Key_Up:
            selectRow(row - 1);
            return true;
        case Qt::Key_PageDown:
            selectRow(row + 10);
            return true;
        case Qt::Key_PageUp:
            selectRow(row - 10);
            return true;
        case Qt::Key_Escape:
            close();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void CommandPalette::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QFrame::keyPressEvent(event);
}

void CommandPalette::place() {
    const QWidget* host = parentWidget();
    if (!host)
        return;
    const int width =
        std::clamp(host->width() / 2, std::min(420, host->width()), std::min(720, host->width()));
    const int height = std::min(420, std::max(160, host->height() * 2 / 3));
    setGeometry((host->width() - width) / 2, std::min(64, host->height() / 10), width, height);
}

void CommandPalette::applyFilter(const QString& text) {
    m_proxy->setFilterRegularExpression(wordsPattern(text));
    selectRow(0);
}

void CommandPalette::selectRow(int row) {
    const int rows = m_proxy->rowCount();
    if (rows == 0) {
        m_list->setCurrentIndex(QModelIndex());
        return;
    }
    const QModelIndex index = m_proxy->index(std::clamp(row, 0, rows - 1), 0);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

} // namespace signalbox::ui
