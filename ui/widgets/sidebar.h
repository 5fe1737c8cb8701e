#pragma once
// The list of views on the window's left: one row per view, in the order they were
// added, reachable with the arrow keys (the row is the stack index).

#include <QListWidget>

namespace signalbox::ui {

class Sidebar final : public QListWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sidebar)
public:
    explicit Sidebar(QWidget* parent = nullptr);

    void addView(const QString& viewId, const QString& title, const QIcon& icon, const QString& shortcutText);
    QString viewIdAt(int row) const;
    int rowOf(const QString& viewId) const; // -1 when unknown

    QSize sizeHint() const override;
};

} // namespace signalbox::ui
