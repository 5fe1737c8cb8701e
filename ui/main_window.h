#pragma once
// The console's window: the sidebar of views, the stack that shows one of them, a
// toolbar with the connection selector, the status bar, the message bar for errors,
// the command palette, the tray, and link routing between views. Knows the views only
// through ui::View; talks to the engine only through the Backend.

#include "backend/backend.h"

#include <QList>
#include <QMainWindow>
#include <QUrl>

class QAction;
class QComboBox;
class QSplitter;
class QStackedWidget;

namespace signalbox::ui {

class CommandPalette;
class EngineStatusBar;
class MessageBar;
class Sidebar;
class TrayNotifier;
class View;

class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(Backend& backend, QWidget* parent = nullptr);
    // Saves the window's and every view's state.
    ~MainWindow() override;

    QList<View*> views() const { return m_views; }
    View* view(const QString& viewId) const; // nullptr when unknown
    View* currentView() const;
    void setCurrentView(const QString& viewId);

    // Every action the palette offers: "Go to <view>" for each view, then the views' own.
    QList<QAction*> paletteActions() const;
    CommandPalette* commandPalette() const { return m_palette; }
    MessageBar* messageBar() const { return m_messageBar; }
    EngineStatusBar* engineStatusBar() const { return m_statusBar; }
    TrayNotifier* trayNotifier() const { return m_tray; }

    // Geometry, splitter, current view and each view's saveState (QSettings group per viewId).
    void saveSettings() const;
    void restoreSettings();

public Q_SLOTS:
    // Shows the view whose viewId is the link's host and lets it navigate to the link.
    void openLink(const QUrl& link);
    void showCommandPalette();
    void showError(const QString& message);

Q_SIGNALS:
    void linkOpened(const QUrl& link);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void addView(View* view, const QString& iconName);
    void createActions();
    void createToolBar();
    void handleCurrentRowChanged(int row);
    void bringToFront();

    Backend& m_backend;
    Sidebar* m_sidebar = nullptr;
    QStackedWidget* m_stack = nullptr;
    QSplitter* m_splitter = nullptr;
    MessageBar* m_messageBar = nullptr;
    CommandPalette* m_palette = nullptr;
    EngineStatusBar* m_statusBar = nullptr;
    TrayNotifier* m_tray = nullptr;
    QComboBox* m_connection = nullptr;
    QList<View*> m_views;
    QList<QAction*> m_goToActions;
    QAction* m_paletteAction = nullptr;
    bool m_saved = false;
};

} // namespace signalbox::ui
