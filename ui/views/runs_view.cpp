#include "views/runs_view.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "dialogs/launch_dialog.h"
#include "models/runs_model.h"
#include "views/links.h"
#include "views/run_detail.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace signalbox::ui {

namespace {
constexpr int tablePage = 0;
constexpr int detailPage = 1;
const RunStatus allStatuses[] = {RunStatus::Queued, RunStatus::Running,   RunStatus::Succeeded,
                                 RunStatus::Failed, RunStatus::Cancelled, RunStatus::Interrupted};
} // namespace

RunsView::RunsView(Backend& backend, QWidget* parent)
    : View(backend, parent)
    , m_model(new RunsModel(backend, this))
    , m_refresh(new Coalescer([this] { m_model->refresh(); }, 100, this))
    , m_filtersChanged(new Coalescer([this] { applyFilters(); }, 250, this)) {
    setObjectName(viewId());

    m_newRun = new QAction(tr("New run…"), this);
    m_newRun->setObjectName(QStringLiteral("newRunAction"));
    m_newRun->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    connect(m_newRun, &QAction::triggered, this, [this] { openLaunchDialog(); });
    m_refreshAction = new QAction(tr("Refresh runs"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshRunsAction"));
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        m_refresh->flush();
        if (m_stack->currentIndex() == detailPage)
            m_detail->showRun(m_detail->runId());
    });
    m_cancelRun = new QAction(tr("Cancel run"), this);
    m_cancelRun->setObjectName(QStringLiteral("cancelRunAction"));
    connect(m_cancelRun, &QAction::triggered, this, [this] { runCommand(&Backend::cancelRun); });
    m_resumeRun = new QAction(tr("Resume run"), this);
    m_resumeRun->setObjectName(QStringLiteral("resumeRunAction"));
    connect(m_resumeRun, &QAction::triggered, this, [this] { runCommand(&Backend::resumeRun); });
    m_retryFailed = new QAction(tr("Re-run failed"), this);
    m_retryFailed->setObjectName(QStringLiteral("retryFailedAction"));
    connect(m_retryFailed, &QAction::triggered, this, [this] { runCommand(&Backend::retryFailed); });
    for (QAction* action : {m_newRun, m_refreshAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("runsStack"));

    auto* tablePageWidget = new QWidget(m_stack);
    auto* tableLayout = new QVBoxLayout(tablePageWidget);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(buildFilterBar());
    m_table = new QTableView(tablePageWidget);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setColumnWidth(RunsModel::IdColumn, 200);
    m_table->setColumnWidth(RunsModel::WorkflowColumn, 180);
    m_table->setColumnWidth(RunsModel::StartedColumn, 150);
    connect(m_table, &QAbstractItemView::activated, this,
            [this](const QModelIndex& index) { openRun(index.data(RunsModel::RunIdRole).toString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunsView::updateActions);
    m_copy = new QAction(tr("Copy run id"), m_table);
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetShortcut);
    connect(m_copy, &QAction::triggered, this, &RunsView::copyRunId);
    m_table->addAction(m_copy);
    for (QAction* action : {m_cancelRun, m_resumeRun, m_retryFailed})
        m_table->addAction(action);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    tableLayout->addWidget(m_table, 1);
    m_stack->addWidget(tablePageWidget);

    m_detail = new RunDetailPane(backend, m_stack);
    m_stack->addWidget(m_detail);
    connect(m_detail, &RunDetailPane::backRequested, this, &RunsView::showTable);
    connect(m_detail, &RunDetailPane::linkActivated, this, &View::linkActivated);
    connect(m_detail, &RunDetailPane::errorOccurred, this, &View::errorOccurred);
    connect(m_detail, &RunDetailPane::statusMessage, this, &View::statusMessage);
    connect(m_detail, &RunDetailPane::runLoaded, this, &RunsView::updateActions);
    layout->addWidget(m_stack);

    connect(m_model, &RunsModel::errorOccurred, this, &View::errorOccurred);
    connect(m_model, &RunsModel::loaded, this, &RunsView::updateActions);
    connect(&backend, &Backend::runChanged, this, [this] { m_refresh->poke(); });
    connect(&backend, &Backend::instanceChanged, this, [this] { m_refresh->poke(); });
    connect(&backend, &Backend::commandFinished, this, &RunsView::handleCommandFinished);
    connect(&backend, &Backend::failed, this, &RunsView::handleFailed);
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state) {
        if (state == Backend::State::Ready)
            loadIfNeeded();
    });
    auto* clock = new QTimer(this);
    clock->setInterval(1000);
    connect(clock, &QTimer::timeout, this, [this] {
        if (m_table->isVisible())
            m_model->tickRunning();
    });
    clock->start();
    loadIfNeeded();
    updateActions();
}

RunsView::~RunsView() = default;

QWidget* RunsView::buildFilterBar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(4, 4, 4, 0);
    m_status = new QComboBox(bar);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("Any status"), -1);
    for (RunStatus status : allStatuses)
        m_status->addItem(toString(status), int(status));
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] { m_filtersChanged->flush(); });
    m_workflow = new QLineEdit(bar);
    m_workflow->setObjectName(QStringLiteral("workflowFilter"));
    m_workflow->setPlaceholderText(tr("Workflow name"));
    m_workflow->setClearButtonEnabled(true);
    connect(m_workflow, &QLineEdit::textChanged, this, [this] { m_filtersChanged->poke(); });
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setPlaceholderText(tr("Search run id or workflow"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_filtersChanged->poke(); });
    auto* statusLabel = new QLabel(tr("&Status:"), bar);
    statusLabel->setBuddy(m_status);
    row->addWidget(statusLabel);
    row->addWidget(m_status);
    row->addWidget(m_workflow, 1);
    row->addWidget(m_search, 2);
    auto* newRun = new QToolButton(bar);
    newRun->setObjectName(QStringLiteral("newRunButton"));
    newRun->setDefaultAction(m_newRun);
    newRun->setToolButtonStyle(Qt::ToolButtonTextOnly);
    row->addWidget(newRun);
    auto* refresh = new QToolButton(bar);
    refresh->setDefaultAction(m_refreshAction);
    row->addWidget(refresh);
    return bar;
}

void RunsView::loadIfNeeded() {
    if (m_loaded || backend().state() != Backend::State::Ready)
        return;
    m_loaded = true;
    applyFilters();
}

void RunsView::applyFilters() {
    RunQuery query;
    const int status = m_status->currentData().toInt();
    if (status >= 0)
        query.statuses.append(RunStatus(status));
    query.workflow = m_workflow->text().trimmed();
    query.search = m_search->text().trimmed();
    if (backend().state() != Backend::State::Ready)
        return; // loadIfNeeded applies them once the backend is open
    m_loaded = true;
    m_model->setQuery(query);
}

void RunsView::activated() {
    loadIfNeeded();
}

QList<QAction*> RunsView::paletteActions() {
    return {m_newRun, m_refreshAction, m_cancelRun, m_resumeRun, m_retryFailed};
}

void RunsView::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("statusFilter"), m_status->currentData().toInt());
    settings.setValue(QStringLiteral("workflowFilter"), m_workflow->text());
    settings.setValue(QStringLiteral("search"), m_search->text());
    settings.setValue(QStringLiteral("tableHeader"), m_table->horizontalHeader()->saveState());
    settings.beginGroup(QStringLiteral("detail"));
    m_detail->saveState(settings);
    settings.endGroup();
}

void RunsView::restoreState(QSettings& settings) {
    const QSignalBlocker blockStatus(m_status);
    const QSignalBlocker blockWorkflow(m_workflow);
    const QSignalBlocker blockSearch(m_search);
    const int status = m_status->findData(settings.value(QStringLiteral("statusFilter"), -1).toInt());
    m_status->setCurrentIndex(status < 0 ? 0 : status);
    m_workflow->setText(settings.value(QStringLiteral("workflowFilter")).toString());
    m_search->setText(settings.value(QStringLiteral("search")).toString());
    m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("tableHeader")).toByteArray());
    settings.beginGroup(QStringLiteral("detail"));
    m_detail->restoreState(settings);
    settings.endGroup();
    applyFilters();
}

void RunsView::navigate(const QUrl& link) {
    const QStringList segments = links::segments(link);
    if (segments.isEmpty()) {
        showTable();
        return;
    }
    if (segments.constFirst() == QLatin1String("launch")) {
        openLaunchDialog(QUrlQuery(link).queryItemValue(QStringLiteral("file"), QUrl::FullyDecoded));
        return;
    }
    int index = -1;
    if (segments.size() > 1) {
        bool ok = false;
        index = segments.at(1).toInt(&ok);
        if (!ok || index < 0) {
            Q_EMIT errorOccurred(
                tr("Not an instance of run %1: %2").arg(segments.constFirst(), segments.at(1)));
            index = -1;
        }
    }
    openRun(segments.constFirst(), index);
}

void RunsView::openRun(const QString& runId, int instanceIndex) {
    if (runId.isEmpty())
        return;
    m_detail->showRun(runId);
    if (instanceIndex >= 0)
        m_detail->selectInstance(instanceIndex);
    m_stack->setCurrentIndex(detailPage);
    updateActions();
}

void RunsView::showTable() {
    m_stack->setCurrentIndex(tablePage);
    const int row = m_model->rowOf(m_detail->runId());
    if (row >= 0)
        m_table->setCurrentIndex(m_model->index(row, RunsModel::IdColumn));
    m_table->setFocus();
    updateActions();
}

LaunchDialog* RunsView::openLaunchDialog(const QString& workflowPath) {
    if (!m_launchDialog) {
        m_launchDialog = new LaunchDialog(backend(), this);
        m_launchDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_launchDialog, &LaunchDialog::launched, this, [this](const QString& runId) {
            Q_EMIT statusMessage(tr("Run %1 launched").arg(runId));
            m_refresh->poke();
            openRun(runId);
        });
    }
    if (!workflowPath.isEmpty())
        m_launchDialog->setWorkflowPath(workflowPath);
    m_launchDialog->open();
    m_launchDialog->raise();
    m_launchDialog->activateWindow();
    return m_launchDialog;
}

LaunchDialog* RunsView::launchDialog() const {
    return m_launchDialog.data();
}

QString RunsView::currentRunId() const {
    if (m_stack->currentIndex() == detailPage)
        return m_detail->runId();
    return m_table->currentIndex().data(RunsModel::RunIdRole).toString();
}

RunStatus RunsView::currentRunStatus() const {
    if (m_stack->currentIndex() == detailPage)
        return m_detail->detail().run.status;
    return RunStatus(m_table->currentIndex().data(RunsModel::StatusRole).toInt());
}

void RunsView::updateActions() {
    const bool haveRun =
        !currentRunId().isEmpty() &&
        (m_stack->currentIndex() == tablePage ? m_table->currentIndex().isValid() : m_detail->hasRun());
    const RunStatus status = currentRunStatus();
    m_cancelRun->setEnabled(haveRun && (status == RunStatus::Queued || status == RunStatus::Running));
    m_resumeRun->setEnabled(haveRun && (status == RunStatus::Interrupted || status == RunStatus::Cancelled));
    // The table knows the failed count; the detail its instances (its own action says).
    bool anyFailed = false;
    if (m_stack->currentIndex() == tablePage) {
        const int row = m_table->currentIndex().row();
        anyFailed = row >= 0 && row < m_model->rowCount() && m_model->runAt(row).failed > 0;
    } else {
        anyFailed = m_detail->retryFailedAction()->isEnabled();
    }
    m_retryFailed->setEnabled(haveRun && isTerminal(status) && anyFailed);
    m_copy->setEnabled(haveRun);
}

void RunsView::runCommand(Ticket (Backend::*command)(const QString&)) {
    const QString runId = currentRunId();
    if (runId.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a run first."));
        return;
    }
    m_commands.insert((backend().*command)(runId));
}

void RunsView::handleCommandFinished(Ticket ticket, const CommandResult& result) {
    if (!m_commands.remove(ticket))
        return;
    if (result.ok)
        Q_EMIT statusMessage(result.message);
    else
        Q_EMIT errorOccurred(result.message);
    m_refresh->poke();
}

void RunsView::handleFailed(Ticket ticket, const QString& message) {
    if (m_commands.remove(ticket))
        Q_EMIT errorOccurred(message);
}

void RunsView::copyRunId() {
    const QString runId = currentRunId();
    if (runId.isEmpty())
        return;
    QApplication::clipboard()->setText(runId);
    Q_EMIT statusMessage(tr("Copied %1").arg(runId));
}

} // namespace signalbox::ui
