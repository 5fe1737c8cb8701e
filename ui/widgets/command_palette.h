#pragma once
// Ctrl+K: a filterable list of every action the console has ("Go to <view>" and each
// view's palette actions), with their shortcuts. Typing filters, Up/Down choose, Enter
// triggers, Esc closes. An overlay inside the window (not a separate top-level window),
// so it follows the window around, takes its theme and shows up in a window grab.

#include <QFrame>
#include <QList>
#include <QPointer>

class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace signalbox::ui {

class CommandPalette final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandPalette)
public:
    explicit CommandPalette(QWidget* parent);

    // Shows the palette over its parent with these actions (disabled ones are left out).
    void popup(const QList<QAction*>& actions);
    // Triggers the selected action (or the first one shown) and closes.
    void triggerCurrent();

    QLineEdit* filterEdit() const { return m_filter; }
    int visibleCount() const;

Q_SIGNALS:
    void closed();
    // Emitted just before `action` is triggered (the window shows the view that owns it).
    void aboutToTrigger(QAction* action);

public Q_SLOTS:
    void close();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void place();
    void applyFilter(const QString& text);
    void selectRow(int row);

    QLineEdit* m_filter = nullptr;
    QTreeView* m_list = nullptr;
    QStandardItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QList<QPointer<QAction>> m_actions;
    QPointer<QWidget> m_previousFocus;
};

} // namespace signalbox::ui
