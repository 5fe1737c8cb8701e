#include "views/run_detail.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "charts/gantt_chart.h"
#include "models/attempts_model.h"
#include "models/instances_model.h"
#include "models/runs_model.h"
#include "views/links.h"
#include "widgets/dag_view.h"
#include "widgets/status_colors.h"
#include "widgets/task_matrix.h"
#include "widgets/task_matrix_model.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace signalbox::ui {

namespace {

QString shellQuote(const QString& text) {
    static const QString safe =
        QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@");
    bool plain = !text.isEmpty();
    for (const QChar c : text)
        plain = plain && safe.contains(c);
    if (plain)
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

RunDetailPane::RunDetailPane(Backend& backend, QWidget* parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_runRefresh(new Coalescer([this] { requestRun(); }, 100, this))
    , m_outputRefresh(new Coalescer([this] { requestOutput(); }, 100, this))
    , m_instances(new InstancesModel(this))
    , m_attempts(new AttemptsModel(this))
    , m_failures(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("runDetail"));
    m_failures->setSourceModel(m_instances);
    m_failures->setFilterRole(InstancesModel::StatusRole);
    m_failures->setFilterKeyColumn(0);
    m_failures->setFilterFixedString(QString::number(int(InstanceStatus::Failed)));

    m_cancel = new QAction(tr("Cancel run"), this);
    m_cancel->setObjectName(QStringLiteral("cancelRunAction"));
    m_resume = new QAction(tr("Resume run"), this);
    m_resume->setObjectName(QStringLiteral("resumeRunAction"));
    m_retryFailed = new QAction(tr("Re-run failed"), this);
    m_retryFailed->setObjectName(QStringLiteral("retryFailedAction"));
    connect(m_cancel, &QAction::triggered, this, [this] { runCommand(&Backend::cancelRun, tr("Cancel")); });
    connect(m_resume, &QAction::triggered, this, [this] { runCommand(&Backend::resumeRun, tr("Resume")); });
    connect(m_retryFailed, &QAction::triggered, this,
            [this] { runCommand(&Backend::retryFailed, tr("Re-run failed")); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildHeader());
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("detailSplitter"));
    m_splitter->addWidget(buildTabs());
    m_splitter->addWidget(buildInstancePane());
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);

    connect(&m_backend, &Backend::runFetched, this, &RunDetailPane::handleRunFetched);
    connect(&m_backend, &Backend::attemptsFetched, this, &RunDetailPane::handleAttemptsFetched);
    connect(&m_backend, &Backend::logIndexFetched, this, &RunDetailPane::handleLogIndexFetched);
    connect(&m_backend, &Backend::logLinesFetched, this, &RunDetailPane::handleLogLinesFetched);
    connect(&m_backend, &Backend::commandFinished, this, &RunDetailPane::handleCommandFinished);
    connect(&m_backend, &Backend::failed, this, &RunDetailPane::handleFailed);
    connect(&m_backend, &Backend::runChanged, this, [this](const QString& id) {
        if (id == m_runId)
            m_runRefresh->poke();
    });
    connect(&m_backend, &Backend::instanceChanged, this, [this](const QString& id, int) {
        if (id == m_runId)
            m_runRefresh->poke();
    });
    connect(&m_backend, &Backend::logAppended, this, [this](const QString& id) {
        if (id == m_runId && m_selected >= 0)
            m_outputRefresh->poke();
    });
    updateActions();
}

RunDetailPane::~RunDetailPane() = default;

QWidget* RunDetailPane::buildHeader() {
    auto* header = new QWidget(this);
    auto* row = new QHBoxLayout(header);
    row->setContentsMargins(4, 4, 4, 4);
    auto* back = new QToolButton(header);
    back->setObjectName(QStringLiteral("backButton"));
    back->setText(tr("Back to runs"));
    back->setToolTip(tr("Back to the runs table (Esc)"));
    back->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(back, &QToolButton::clicked, this, &RunDetailPane::backRequested);
    row->addWidget(back);
    m_header = new QLabel(header);
    m_header->setObjectName(QStringLiteral("runHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    row->addWidget(m_header, 1);
    for (QAction* action : {m_cancel, m_resume, m_retryFailed}) {
        auto* button = new QToolButton(header);
        button->setDefaultAction(action);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        row->addWidget(button);
    }
    return header;
}

QTableView* RunDetailPane::makeInstanceTable(const QString& objectName, QAbstractItemModel* model) {
    auto* table = new QTableView(this);
    table->setObjectName(objectName);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->horizontalHeader()->setStretchLastSection(true);
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    showInstance(current.data(InstancesModel::InstanceIndexRole).toInt());
            });
    installInstanceMenu(table, [table](const QPoint& pos) {
        const QModelIndex index = table->indexAt(pos);
        return index.isValid() ? index.data(InstancesModel::InstanceIndexRole).toInt() : -1;
    });
    return table;
}

QWidget* RunDetailPane::buildTabs() {
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));

    m_matrix = new TaskMatrix(m_tabs);
    m_matrix->setObjectName(QStringLiteral("taskMatrix"));
    connect(m_matrix, &TaskMatrix::instanceSelected, this, &RunDetailPane::showInstance);
    installInstanceMenu(m_matrix, [this](const QPoint& pos) {
        const QModelIndex index = m_matrix->indexAt(pos);
        return index.isValid() ? index.data(TaskMatrixModel::InstanceIndexRole).toInt() : -1;
    });
    m_tabs->addTab(m_matrix, tr("Matrix"));

    m_failuresTable = makeInstanceTable(QStringLiteral("failuresTable"), m_failures);
    m_tabs->addTab(m_failuresTable, tr("Failures"));

    m_gantt = new GanttChart;
    m_gantt->setObjectName(QStringLiteral("ganttChart"));
    connect(m_gantt, &GanttChart::instanceSelected, this, &RunDetailPane::showInstance);
    auto* ganttScroll = new QScrollArea(m_tabs);
    ganttScroll->setWidget(m_gantt);
    ganttScroll->setWidgetResizable(true);
    m_tabs->addTab(ganttScroll, tr("Timeline"));

    m_dag = new DagView;
    m_dag->setObjectName(QStringLiteral("dagView"));
    auto* dagScroll = new QScrollArea(m_tabs);
    dagScroll->setWidget(m_dag);
    dagScroll->setWidgetResizable(true);
    m_tabs->addTab(dagScroll, tr("Graph"));

    m_instancesTable = makeInstanceTable(QStringLiteral("instancesTable"), m_instances);
    m_tabs->addTab(m_instancesTable, tr("Instances"));

    m_metricsTable = makeInstanceTable(QStringLiteral("metricsTable"), m_instances);
    m_tabs->addTab(m_metricsTable, tr("Metrics"));
    connect(m_instances, &QAbstractItemModel::modelReset, this, &RunDetailPane::updateMetricColumns);
    updateMetricColumns();
    return m_tabs;
}

QWidget* RunDetailPane::buildInstancePane() {
    auto* pane = new QWidget(this);
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* headerRow = new QHBoxLayout;
    m_instanceHeader =
        new QLabel(tr("Select an instance in the matrix, the failures or the timeline."), pane);
    m_instanceHeader->setObjectName(QStringLiteral("instanceHeader"));
    m_instanceHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    headerRow->addWidget(m_instanceHeader, 1);
    m_openInLogs = new QLabel(pane);
    m_openInLogs->setObjectName(QStringLiteral("openInLogs"));
    m_openInLogs->setTextFormat(Qt::RichText);
    m_openInLogs->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_openInLogs, &QLabel::linkActivated, this,
            [this](const QString& link) { Q_EMIT linkActivated(QUrl(link)); });
    headerRow->addWidget(m_openInLogs);
    layout->addLayout(headerRow);

    m_instanceSplitter = new QSplitter(Qt::Horizontal, pane);
    m_instanceSplitter->setObjectName(QStringLiteral("instanceSplitter"));
    m_attemptsTable = new QTableView(m_instanceSplitter);
    m_attemptsTable->setObjectName(QStringLiteral("attemptsTable"));
    m_attemptsTable->setModel(m_attempts);
    m_attemptsTable->verticalHeader()->hide();
    m_attemptsTable->horizontalHeader()->setStretchLastSection(true);
    m_attemptsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_output = new QPlainTextEdit(m_instanceSplitter);
    m_output->setObjectName(QStringLiteral("instanceOutput"));
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setPlaceholderText(tr("No output."));
    m_instanceSplitter->addWidget(m_attemptsTable);
    m_instanceSplitter->addWidget(m_output);
    m_instanceSplitter->setStretchFactor(1, 2);
    layout->addWidget(m_instanceSplitter, 1);
    return pane;
}

void RunDetailPane::installInstanceMenu(QAbstractItemView* view,
                                        const std::function<int(const QPoint&)>& instanceAt) {
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, [this, view, instanceAt](const QPoint& pos) {
        const InstanceRecord* instance = m_instances->instance(instanceAt(pos));
        if (!instance)
            return;
        const InstanceRecord record = *instance;
        QMenu menu(view);
        menu.addAction(tr("Copy id"), this, [this, record] {
            copyText(record.runId + QLatin1Char('/') + QString::number(record.index));
        });
        menu.addAction(tr("Copy command"), this, [this, record] { copyText(commandFor(record)); });
        QAction* openRepo = menu.addAction(tr("Open repo folder"), this, [record] {
            QDesktopServices::openUrl(QUrl::fromLocalFile(record.repoPath));
        });
        openRepo->setEnabled(!record.repoPath.isEmpty());
        QAction* reveal = menu.addAction(tr("Reveal workflow file"), this, [this] {
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(QFileInfo(m_detail.run.workflowPath).absolutePath()));
        });
        reveal->setEnabled(!m_detail.run.workflowPath.isEmpty());
        menu.addAction(tr("Open in Logs"), this,
                       [this, record] { Q_EMIT linkActivated(links::logs(record.runId, record.index)); });
        menu.exec(view->viewport()->mapToGlobal(pos));
    });
}

QString RunDetailPane::commandFor(const InstanceRecord& instance) const {
    // The CLI line that prints this instance's output (cli.md: runs logs).
    QString command = QStringLiteral("signalbox-cli runs logs ") + instance.runId +
                      QStringLiteral(" --task ") + shellQuote(instance.taskId);
    if (!instance.repo.isEmpty())
        command += QStringLiteral(" --repo ") + shellQuote(instance.repo);
    return command;
}

void RunDetailPane::copyText(const QString& text) {
    QApplication::clipboard()->setText(text);
    Q_EMIT statusMessage(tr("Copied %1").arg(text));
}

void RunDetailPane::showRun(const QString& runId) {
    if (runId != m_runId) {
        m_runId = runId;
        m_loaded = false;
        m_selected = -1;
        m_pendingSelect = -1;
        m_detail = RunDetail();
        m_detail.run.id = runId;
        m_instances->setInstances({});
        m_matrix->matrixModel()->setInstances({}, {});
        m_gantt->setInstances({}, 0);
        m_dag->setGraph({}, {});
        m_attempts->clear();
        m_output->clear();
        m_openInLogs->clear();
        m_attemptsTicket = m_logIndexTicket = m_logRangeTicket = 0;
        m_header->setText(tr("Loading %1…").arg(runId));
        updateInstanceHeader();
        updateActions();
    }
    m_runRefresh->flush();
}

void RunDetailPane::selectInstance(int instanceIndex) {
    if (!m_loaded) {
        m_pendingSelect = instanceIndex;
        return;
    }
    showInstance(instanceIndex);
}

void RunDetailPane::requestRun() {
    if (!m_runId.isEmpty())
        m_runTicket = m_backend.fetchRun(m_runId);
}

void RunDetailPane::handleRunFetched(Ticket ticket, const RunDetail& detail) {
    if (ticket != m_runTicket)
        return;
    m_runTicket = 0;
    // The selected instance's attempts change only with its status or attempt count.
    bool selectedChanged = false;
    if (const InstanceRecord* before = m_instances->instance(m_selected)) {
        for (const InstanceRecord& after : detail.instances) {
            if (after.index == m_selected)
                selectedChanged = after.status != before->status || after.attempts != before->attempts;
        }
    }
    m_detail = detail;
    m_loaded = true;
    QStringList taskOrder;
    for (const TaskNode& task : detail.tasks)
        taskOrder.append(task.id);
    m_instances->setInstances(detail.instances);
    m_matrix->matrixModel()->setInstances(taskOrder, detail.instances);
    m_gantt->setInstances(detail.instances, QDateTime::currentMSecsSinceEpoch());
    m_dag->setGraph(detail.tasks, detail.instances);
    updateHeader();
    updateActions();
    if (m_pendingSelect >= 0) {
        const int pending = m_pendingSelect;
        m_pendingSelect = -1;
        showInstance(pending);
    } else if (selectedChanged) {
        requestAttempts();
        requestOutput();
    }
    updateInstanceHeader();
    Q_EMIT runLoaded(m_runId);
}

void RunDetailPane::updateHeader() {
    const RunRecord& run = m_detail.run;
    QStringList parts;
    parts << QStringLiteral("<b style=\"color:%1\">%2</b>")
                 .arg(statusColor(run.status).name(), toString(run.status).toHtmlEscaped());
    parts << QStringLiteral("<b>%1</b>").arg(run.workflow.toHtmlEscaped());
    parts << run.id.toHtmlEscaped();
    if (run.startedAtMs > 0)
        parts << tr("started %1").arg(timeText(run.startedAtMs));
    if (run.finishedAtMs > 0)
        parts << tr("finished %1 (%2)")
                     .arg(timeText(run.finishedAtMs), durationText(run.finishedAtMs - run.startedAtMs));
    RunSummary summary;
    for (const InstanceRecord& instance : m_detail.instances) {
        ++summary.total;
        summary.failed += instance.status == InstanceStatus::Failed ? 1 : 0;
        summary.finished += isTerminal(instance.status) ? 1 : 0;
    }
    parts << runProgressText(summary);
    if (run.qualityScore)
        parts << tr("score %1").arg(*run.qualityScore, 0, 'f', 2);
    if (run.qualityGate)
        parts << tr("gate %1").arg(*run.qualityGate, 0, 'f', 2);
    m_header->setText(parts.join(QStringLiteral(" · ")));
}

void RunDetailPane::updateActions() {
    const RunStatus status = m_detail.run.status;
    bool anyFailed = false;
    for (const InstanceRecord& instance : m_detail.instances)
        anyFailed = anyFailed || instance.status == InstanceStatus::Failed;
    m_cancel->setEnabled(m_loaded && (status == RunStatus::Queued || status == RunStatus::Running));
    m_resume->setEnabled(m_loaded && (status == RunStatus::Interrupted || status == RunStatus::Cancelled));
    m_retryFailed->setEnabled(m_loaded && isTerminal(status) && anyFailed);
}

void RunDetailPane::updateMetricColumns() {
    // The Metrics pane: which instance (task, repo) and its metrics; Instances: the rest.
    const int columns = m_instances->columnCount();
    for (int column = 0; column < columns; ++column) {
        const bool isMetric = column >= InstancesModel::FixedColumnCount;
        const bool isWho = column == InstancesModel::TaskColumn || column == InstancesModel::RepoColumn;
        m_metricsTable->setColumnHidden(column, !(isMetric || isWho));
        m_instancesTable->setColumnHidden(column, isMetric);
        m_failuresTable->setColumnHidden(column, !(isWho || column == InstancesModel::ErrorColumn ||
                                                   column == InstancesModel::ExitColumn));
    }
}

void RunDetailPane::showInstance(int instanceIndex) {
    const InstanceRecord* instance = m_instances->instance(instanceIndex);
    if (!instance || instanceIndex == m_selected)
        return;
    m_selected = instanceIndex;
    m_matrix->selectInstance(instanceIndex);
    m_gantt->setSelectedInstance(instanceIndex);
    m_attempts->clear();
    m_output->clear();
    m_openInLogs->setText(
        QStringLiteral("<a href=\"%1\">%2</a>")
            .arg(links::logs(m_runId, instanceIndex).toString().toHtmlEscaped(), tr("Open in Logs")));
    updateInstanceHeader();
    requestAttempts();
    m_outputRefresh->flush();
}

void RunDetailPane::updateInstanceHeader() {
    const InstanceRecord* instance = m_instances->instance(m_selected);
    if (!instance) {
        m_instanceHeader->setText(tr("Select an instance in the matrix, the failures or the timeline."));
        return;
    }
    QString text = QStringLiteral("#%1 %2").arg(instance->index).arg(instance->taskId);
    if (!instance->repo.isEmpty())
        text += QStringLiteral(" @ ") + instance->repo;
    text += QStringLiteral(" · ") + toString(instance->status);
    if (!instance->error.isEmpty())
        text += QStringLiteral(" · ") + instance->error;
    m_instanceHeader->setText(text);
}

void RunDetailPane::requestAttempts() {
    if (m_selected >= 0)
        m_attemptsTicket = m_backend.fetchAttempts(m_runId, m_selected);
}

void RunDetailPane::requestOutput() {
    if (m_selected < 0)
        return;
    // Two steps: how many lines the instance has, then the last outputLines of them.
    m_outputFor = m_selected;
    m_logRangeTicket = 0;
    m_logIndexTicket = m_backend.fetchLogIndex(m_runId, m_selected, 1000);
}

void RunDetailPane::handleAttemptsFetched(Ticket ticket, const QList<AttemptRecord>& attempts) {
    if (ticket != m_attemptsTicket)
        return;
    m_attemptsTicket = 0;
    m_attempts->setAttempts(attempts);
}

void RunDetailPane::handleLogIndexFetched(Ticket ticket, const LogIndex& index) {
    if (ticket != m_logIndexTicket)
        return;
    m_logIndexTicket = 0;
    if (m_outputFor != m_selected)
        return;
    const qint64 first = std::max<qint64>(0, index.total - outputLines);
    m_logRangeTicket = m_backend.fetchLogRange(m_runId, m_selected, first, outputLines);
}

void RunDetailPane::handleLogLinesFetched(Ticket ticket, const QList<LogLine>& lines) {
    if (ticket != m_logRangeTicket)
        return;
    m_logRangeTicket = 0;
    if (m_outputFor != m_selected)
        return;
    QStringList text;
    text.reserve(lines.size());
    for (const LogLine& line : lines)
        text.append(line.text);
    const bool atEnd = m_output->verticalScrollBar()->value() == m_output->verticalScrollBar()->maximum();
    m_output->setPlainText(text.join(QLatin1Char('\n')));
    if (atEnd)
        m_output->verticalScrollBar()->setValue(m_output->verticalScrollBar()->maximum());
    Q_EMIT outputShown(m_selected);
}

void RunDetailPane::runCommand(Ticket (Backend::*command)(const QString&), const QString& what) {
    if (m_runId.isEmpty())
        return;
    m_commands.insert((m_backend.*command)(m_runId));
    Q_EMIT statusMessage(tr("%1: %2 sent").arg(what, m_runId));
}

void RunDetailPane::handleCommandFinished(Ticket ticket, const CommandResult& result) {
    if (!m_commands.remove(ticket))
        return;
    if (result.ok)
        Q_EMIT statusMessage(result.message);
    else
        Q_EMIT errorOccurred(result.message);
    m_runRefresh->poke();
}

void RunDetailPane::handleFailed(Ticket ticket, const QString& message) {
    if (m_commands.remove(ticket)) {
        Q_EMIT errorOccurred(message);
        return;
    }
    if (ticket == m_runTicket) {
        m_runTicket = 0;
        m_header->setText(tr("Run %1: %2").arg(m_runId, message));
        Q_EMIT errorOccurred(message);
    } else if (ticket == m_attemptsTicket) {
        m_attemptsTicket = 0;
    } else if (ticket == m_logIndexTicket || ticket == m_logRangeTicket) {
        m_logIndexTicket = m_logRangeTicket = 0;
        m_output->setPlainText(tr("Output unavailable: %1").arg(message));
    }
}

void RunDetailPane::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("detailSplitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("instanceSplitter"), m_instanceSplitter->saveState());
    settings.setValue(QStringLiteral("detailTab"), m_tabs->currentIndex());
    settings.setValue(QStringLiteral("instancesHeader"), m_instancesTable->horizontalHeader()->saveState());
}

void RunDetailPane::restoreState(QSettings& settings) {
    m_splitter->restoreState(settings.value(QStringLiteral("detailSplitter")).toByteArray());
    m_instanceSplitter->restoreState(settings.value(QStringLiteral("instanceSplitter")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("detailTab"), 0).toInt());
    m_instancesTable->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("instancesHeader")).toByteArray());
    updateMetricColumns();
}

} // namespace signalbox::ui
