#include "main_window.h"

#include "views/dead_letters_view.h"
#include "views/links.h"
#include "views/logs_view.h"
#include "views/overview_view.h"
#include "views/pools_view.h"
#include "views/repositories_view.h"
#include "views/runs_view.h"
#include "views/settings_view.h"
#include "widgets/command_palette.h"
#include "widgets/console_icons.h"
#include "widgets/console_settings.h"
#include "widgets/engine_status_bar.h"
#include "widgets/message_bar.h"
#include "widgets/sidebar.h"
#include "widgets/theme.h"
#include "widgets/tray_notifier.h"
#include "widgets/workflow_drop.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace signalbox::ui {
namespace {

QString windowGroup() {
    return QStringLiteral("window");
}
QString geometryKey() {
    return QStringLiteral("geometry");
}
QString windowStateKey() {
    return QStringLiteral("state");
}
QString splitterKey() {
    return QStringLiteral("splitter");
}
QString currentViewKey() {
    return QStringLiteral("currentView");
}

QIcon icon(const QString& name) {
    return consoleIcon(name);
}

} // namespace

MainWindow::MainWindow(Backend& backend, QWidget* parent)
    : QMainWindow(parent)
    , m_backend(backend) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Signalbox"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/signalbox.svg"))); // in color: no selected variant
    setAcceptDrops(true);
    resize(1280, 800);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_messageBar = new MessageBar(central);
    layout->addWidget(m_messageBar);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_sidebar = new Sidebar(m_splitter);
    m_stack = new QStackedWidget(m_splitter);
    m_stack->setObjectName(QStringLiteral("viewStack"));
    // A view with a wide toolbar must not make the whole window wider than a laptop
    // screen: below this the current view is clipped instead.
    m_stack->setMinimumSize(480, 320);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_stack);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    addView(new OverviewView(backend, m_stack), QStringLiteral("overview"));
    addView(new RunsView(backend, m_stack), QStringLiteral("runs"));
    addView(new PoolsView(backend, m_stack), QStringLiteral("pools"));
    addView(new DeadLettersView(backend, m_stack), QStringLiteral("dead-letters"));
    addView(new RepositoriesView(backend, m_stack), QStringLiteral("repositories"));
    addView(new LogsView(backend, m_stack), QStringLiteral("logs"));
    addView(new SettingsView(backend, m_stack), QStringLiteral("settings"));
    m_sidebar->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_splitter->setSizes({m_sidebar->sizeHint().width(), width() - m_sidebar->sizeHint().width()});

    m_palette = new CommandPalette(central);
    // A view's action chosen from elsewhere acts on that view: show it first.
    connect(m_palette, &CommandPalette::aboutToTrigger, this, [this](QAction* action) {
        for (View* v : std::as_const(m_views)) {
            if (v->paletteActions().contains(action)) {
                setCurrentView(v->viewId());
                return;
            }
        }
    });
    createActions();
    createToolBar();

    m_statusBar = new EngineStatusBar(backend, statusBar());
    m_tray = new TrayNotifier(backend, windowIcon(), this);
    connect(m_statusBar, &EngineStatusBar::summaryUpdated, m_tray,
            [this](int, qint64 dlqDepth) { m_tray->setDlqDepth(dlqDepth); });
    connect(m_tray, &TrayNotifier::openRequested, this, [this](const QUrl& link) {
        bringToFront();
        if (link.isValid())
            openLink(link);
        m_tray->clearBadge();
    });

    connect(m_sidebar, &QListWidget::currentRowChanged, this, &MainWindow::handleCurrentRowChanged);
    connect(&backend, &Backend::failed, this, [this](Ticket, const QString& message) { showError(message); });
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state, const QString& message) {
        if (state == Backend::State::Failed)
            showError(message.isEmpty() ? tr("The engine could not start.")
                                        : tr("The engine could not start: %1").arg(message));
    });

    // Line edits claim Ctrl+K ("delete to end of line"); the palette must open from anywhere.
    qApp->installEventFilter(this);

    m_sidebar->setCurrentRow(0);
    restoreSettings();
}

MainWindow::~MainWindow() {
    qApp->removeEventFilter(this);
    saveSettings();
}

void MainWindow::addView(View* view, const QString& iconName) {
    view->setObjectName(view->viewId());
    const int number = int(m_views.size()) + 1;
    const QKeySequence shortcut(QKeyCombination(Qt::ControlModifier, Qt::Key(Qt::Key_0 + number)));
    m_views.append(view);
    m_stack->addWidget(view);
    m_sidebar->addView(view->viewId(), view->title(), icon(iconName),
                       shortcut.toString(QKeySequence::NativeText));

    auto* goTo = new QAction(icon(iconName), tr("Go to %1").arg(view->title()), this);
    goTo->setObjectName(QStringLiteral("goTo_") + view->viewId());
    goTo->setShortcut(shortcut);
    const QString viewId = view->viewId();
    connect(goTo, &QAction::triggered, this, [this, viewId] { setCurrentView(viewId); });
    addAction(goTo);
    m_goToActions.append(goTo);

    connect(view, &View::linkActivated, this, &MainWindow::openLink);
    connect(view, &View::errorOccurred, this, &MainWindow::showError);
    connect(view, &View::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
}

void MainWindow::createActions() {
    m_paletteAction = new QAction(icon(QStringLiteral("command-palette")), tr("Command palette…"), this);
    m_paletteAction->setObjectName(QStringLiteral("commandPaletteAction"));
    m_paletteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_paletteAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_paletteAction, &QAction::triggered, this, &MainWindow::showCommandPalette);
    addAction(m_paletteAction);

    auto* dismiss = new QAction(tr("Dismiss message"), this);
    dismiss->setObjectName(QStringLiteral("dismissMessageAction"));
    connect(dismiss, &QAction::triggered, m_messageBar, &MessageBar::dismiss);
    m_goToActions.append(dismiss);

    const QList<std::pair<ThemeMode, QString>> themes{{ThemeMode::System, tr("Theme: follow system")},
                                                      {ThemeMode::Light, tr("Theme: light")},
                                                      {ThemeMode::Dark, tr("Theme: dark")}};
    for (const auto& [mode, text] : themes) {
        auto* action = new QAction(text, this);
        action->setObjectName(QStringLiteral("theme_") + toString(mode));
        connect(action, &QAction::triggered, this, [mode] {
            ConsoleSettings::setTheme(mode);
            theme::apply(mode);
        });
        m_goToActions.append(action);
    }

    auto* quit = new QAction(tr("Quit"), this);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QMainWindow::close);
    addAction(quit);
    m_goToActions.append(quit);
}

void MainWindow::createToolBar() {
    auto* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    auto* label = new QLabel(tr("Connection:"), toolBar);
    label->setContentsMargins(6, 0, 6, 0);
    m_connection = new QComboBox(toolBar);
    m_connection->setObjectName(QStringLiteral("connectionSelector"));
    m_connection->addItem(m_backend.name());
    m_connection->setItemData(0, m_backend.description(), Qt::ToolTipRole);
    m_connection->setToolTip(m_backend.description());
    m_connection->setAccessibleName(tr("Connection"));
    label->setBuddy(m_connection);
    toolBar->addWidget(label);
    toolBar->addWidget(m_connection);
    auto* spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    toolBar->addAction(m_paletteAction);
}

View* MainWindow::view(const QString& viewId) const {
    for (View* candidate : m_views) {
        if (candidate->viewId() == viewId)
            return candidate;
    }
    return nullptr;
}

View* MainWindow::currentView() const {
    return qobject_cast<View*>(m_stack->currentWidget());
}

void MainWindow::setCurrentView(const QString& viewId) {
    const int row = m_sidebar->rowOf(viewId);
    if (row < 0)
        return;
    m_sidebar->setCurrentRow(row); // handleCurrentRowChanged switches the stack
}

void MainWindow::handleCurrentRowChanged(int row) {
    if (row < 0 || row >= m_views.size())
        return;
    m_stack->setCurrentIndex(row);
    m_views[row]->activated();
}

QList<QAction*> MainWindow::paletteActions() const {
    QList<QAction*> actions = m_goToActions.mid(0, m_views.size());
    for (View* v : m_views)
        actions += v->paletteActions();
    actions += m_goToActions.mid(m_views.size());
    return actions;
}

void MainWindow::openLink(const QUrl& link) {
    View* target = view(link.host().toLower());
    if (link.scheme() != QLatin1String("signalbox") || !target) {
        showError(tr("Nothing to show for the link %1.").arg(link.toDisplayString()));
        return;
    }
    setCurrentView(target->viewId());
    target->navigate(link);
    Q_EMIT linkOpened(link);
}

void MainWindow::showCommandPalette() {
    m_palette->popup(paletteActions());
}

void MainWindow::showError(const QString& message) {
    if (!message.trimmed().isEmpty())
        m_messageBar->showError(message);
}

void MainWindow::saveSettings() const {
    auto settings = ConsoleSettings::open();
    settings->beginGroup(windowGroup());
    settings->setValue(geometryKey(), saveGeometry());
    settings->setValue(windowStateKey(), saveState());
    settings->setValue(splitterKey(), m_splitter->saveState());
    if (const View* current = currentView())
        settings->setValue(currentViewKey(), current->viewId());
    settings->endGroup();
    for (const View* v : m_views) {
        settings->beginGroup(v->viewId());
        v->saveState(*settings);
        settings->endGroup();
    }
}

void MainWindow::restoreSettings() {
    auto settings = ConsoleSettings::open();
    settings->beginGroup(windowGroup());
    restoreGeometry(settings->value(geometryKey()).toByteArray());
    restoreState(settings->value(windowStateKey()).toByteArray());
    m_splitter->restoreState(settings->value(splitterKey()).toByteArray());
    const QString current = settings->value(currentViewKey()).toString();
    settings->endGroup();
    for (View* v : m_views) {
        settings->beginGroup(v->viewId());
        v->restoreState(*settings);
        settings->endGroup();
    }
    if (!current.isEmpty())
        setCurrentView(current);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_palette->close();
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!workflow_drop::workflowFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (!workflow_drop::workflowFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString file = workflow_drop::workflowFile(event->mimeData());
    if (file.isEmpty()) {
        showError(tr("Only workflow files (.yaml, .yml) can be dropped here."));
        return;
    }
    event->acceptProposedAction();
    openLink(workflow_drop::launchLink(file));
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow() && m_tray)
        m_tray->clearBadge();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType() &&
        static_cast<QWidget*>(watched)->window() == this) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (m_paletteAction->shortcut().matches(QKeySequence(key->keyCombination())) ==
            QKeySequence::ExactMatch) {
            event->ignore(); // not overridden: the shortcut map gives it to the palette action
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::bringToFront() {
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

} // namespace signalbox::ui
