#include "views/logs_view.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "models/engine_log_model.h"
#include "models/log_first_error_finder.h"
#include "models/log_line_format.h"
#include "models/log_lines_model.h"
#include "models/log_stream_filter_model.h"
#include "views/links.h"
#include "widgets/log_line_delegate.h"
#include "widgets/log_search_bar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <memory>

namespace signalbox::ui {

namespace {

constexpr int SearchLimit = 100'000;
constexpr int CopyLimit = 100'000;

// The engine log's level filter choices, in the order of the combo box.
const logs::Level LevelChoices[] = {logs::Level::Trace, logs::Level::Debug, logs::Level::Info, logs::Level::Warn,
                                    logs::Level::Error};

QSet<LogStream> streamsFor(int choice) {
    switch (choice) {
    case 1: return {LogStream::Stdout};
    case 2: return {LogStream::Stderr};
    case 3: return {LogStream::System};
    default: return {LogStream::Stdout, LogStream::Stderr, LogStream::System};
    }
}

} // namespace

LogsView::LogsView(Backend& backend, QWidget* parent)
    : View(backend, parent) {
    setObjectName(viewId());
    m_engine = new EngineLogModel(backend, this);
    m_lines = new LogLinesModel(backend, this);
    m_streams = new LogStreamFilterModel(backend, this);
    m_errorFinder = new LogFirstErrorFinder(backend, this);

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("sourceCombo"));
    m_source->setMinimumContentsLength(32);
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->addItem(tr("Engine log"), QString());
    m_source->setToolTip(tr("Whose output to show: the engine's own log or a run's"));
    m_instanceBox = new QComboBox(this);
    m_instanceBox->setObjectName(QStringLiteral("instanceCombo"));
    m_instanceBox->setMinimumContentsLength(20);
    m_instanceBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_instanceBox->setToolTip(tr("Every instance of the run, or one task on one repo"));
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("streamFilter"));
    m_follow = new QToolButton(this);
    m_follow->setObjectName(QStringLiteral("followButton"));
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(m_following);
    m_follow->setToolTip(tr("Keep the newest line in view (End); scrolling up stops following"));
    m_firstError = new QToolButton(this);
    m_firstError->setObjectName(QStringLiteral("firstErrorButton"));
    m_firstError->setText(tr("First error"));
    m_firstError->setToolTip(tr("Jump to the first line that looks like an error (Ctrl+J)"));
    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setText(tr("Export…"));
    m_searchBar = new LogSearchBar(this);
    m_searchBar->setObjectName(QStringLiteral("logSearchBar"));
    m_linesLabel = new QLabel(this);
    m_linesLabel->setObjectName(QStringLiteral("linesLabel"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform rows: a fixed height lets the view place row 4,000,000 without measuring any.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(QFontMetrics(m_table->font()).height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_delegate = new LogLineDelegate(m_table);
    m_table->setItemDelegate(m_delegate);
    m_table->installEventFilter(this);

    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(new QLabel(tr("Source:"), this));
    sourceRow->addWidget(m_source, 2);
    sourceRow->addWidget(m_instanceBox, 1);
    sourceRow->addWidget(m_filter);
    sourceRow->addWidget(m_follow);
    sourceRow->addWidget(m_firstError);
    sourceRow->addWidget(m_export);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_searchBar, 1);
    statusRow->addWidget(m_linesLabel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sourceRow);
    layout->addLayout(statusRow);
    layout->addWidget(m_table, 1);

    m_logRefresh = new Coalescer(
        [this] {
            if (m_mode == Mode::Run)
                m_lines->refreshIndex();
            else if (m_mode == Mode::RunFiltered)
                m_streams->refresh();
        },
        100, this);
    m_engineRefresh = new Coalescer([this] { m_engine->fetchNew(); }, 100, this);
    m_runsRefresh = new Coalescer([this] { refreshRunList(); }, 100, this);
    m_detailRefresh = new Coalescer([this] { refreshRunDetail(); }, 100, this);

    buildActions();

    connect(m_source, &QComboBox::activated, this, [this](int row) {
        const QString runId = m_source->itemData(row).toString();
        if (runId.isEmpty())
            showEngineLog();
        else
            showRun(runId, -1);
    });
    connect(m_instanceBox, &QComboBox::activated, this, [this](int row) {
        if (!m_runId.isEmpty())
            showRun(m_runId, m_instanceBox->itemData(row).toInt());
    });
    connect(m_filter, &QComboBox::activated, this, [this](int row) {
        if (m_mode == Mode::Engine) {
            m_levelChoice = row;
            m_engine->setMinimumLevel(LevelChoices[std::clamp(row, 0, 4)]);
            clearHits();
            updateLinesLabel();
        } else {
            m_streamChoice = row;
            applySource();
        }
    });
    connect(m_follow, &QToolButton::toggled, this, &LogsView::setFollowing);
    connect(m_firstError, &QToolButton::clicked, this, &LogsView::jumpToFirstError);
    connect(m_export, &QToolButton::clicked, this, &LogsView::chooseExportFile);
    connect(m_searchBar, &LogSearchBar::searchRequested, this, &LogsView::search);
    connect(m_searchBar, &LogSearchBar::nextRequested, this, &LogsView::findNext);
    connect(m_searchBar, &LogSearchBar::previousRequested, this, &LogsView::findPrevious);
    connect(m_searchBar, &LogSearchBar::cleared, this, &LogsView::clearHits);
    connect(m_table->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        // The slider has not moved yet when the action is announced: look once it has.
        QTimer::singleShot(0, this, &LogsView::onUserScrolled);
    });

    for (QAbstractItemModel* model : {static_cast<QAbstractItemModel*>(m_engine),
                                      static_cast<QAbstractItemModel*>(m_lines),
                                      static_cast<QAbstractItemModel*>(m_streams)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, [this, model] {
            if (model == currentModel())
                onRowsAdded();
        });
        connect(model, &QAbstractItemModel::modelReset, this, [this, model] {
            if (model == currentModel())
                updateLinesLabel();
        });
    }
    connect(m_lines, &LogLinesModel::indexLoaded, this, [this] {
        if (m_pendingJumpRow >= 0 && m_pendingJumpRow < m_lines->rowCount()) {
            const qint64 row = m_pendingJumpRow;
            m_pendingJumpRow = -1;
            goToRow(row);
        }
        updateLinesLabel();
    });
    connect(m_lines, &LogLinesModel::loadFailed, this, &View::errorOccurred);
    connect(m_streams, &LogStreamFilterModel::loadFailed, this, &View::errorOccurred);
    connect(m_streams, &LogStreamFilterModel::caughtUp, this, &LogsView::updateLinesLabel);
    connect(m_errorFinder, &LogFirstErrorFinder::finished, this, [this](qint64 lineNumber) {
        if (m_mode != Mode::Run)
            return;
        if (lineNumber < 0)
            Q_EMIT statusMessage(tr("No line looks like an error."));
        else
            goToRow(lineNumber);
    });
    connect(m_errorFinder, &LogFirstErrorFinder::failed, this, &View::errorOccurred);

    connect(&backend, &Backend::logAppended, this, [this](const QString& runId) {
        if (runId == m_runId)
            m_logRefresh->poke();
    });
    connect(&backend, &Backend::engineLogAppended, this, [this] {
        if (m_mode == Mode::Engine)
            m_engineRefresh->poke();
    });
    connect(&backend, &Backend::runChanged, this, [this](const QString& runId) {
        m_runsRefresh->poke();
        if (runId == m_runId)
            m_detailRefresh->poke();
    });
    connect(&backend, &Backend::instanceChanged, this, [this](const QString& runId) {
        if (runId == m_runId)
            m_detailRefresh->poke();
    });
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state) {
        if (state != Backend::State::Ready)
            return;
        m_runsRefresh->flush();
        applySource();
    });
    connect(&backend, &Backend::runsFetched, this, &LogsView::onRunsFetched);
    connect(&backend, &Backend::runFetched, this, &LogsView::onRunFetched);
    connect(&backend, &Backend::logSearchFinished, this, &LogsView::onSearchFinished);
    connect(&backend, &Backend::commandFinished, this, &LogsView::onCommandFinished);
    connect(&backend, &Backend::failed, this, &LogsView::onFailed);

    setModelFor(Mode::Engine);
    fillFilterChoices();
    m_instanceBox->setEnabled(false);
    if (backend.state() == Backend::State::Ready) {
        refreshRunList();
        applySource();
    }
}

void LogsView::buildActions() {
    auto make = [this](const QString& text, const QKeySequence& shortcut, const char* name) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        return action;
    };
    m_findAction = make(tr("Find in log"), QKeySequence(Qt::CTRL | Qt::Key_F), "findAction");
    m_nextAction = make(tr("Find next"), QKeySequence(Qt::Key_F3), "findNextAction");
    m_previousAction = make(tr("Find previous"), QKeySequence(Qt::SHIFT | Qt::Key_F3), "findPreviousAction");
    m_followAction = make(tr("Follow log"), QKeySequence(Qt::Key_End), "followAction");
    m_firstErrorAction = make(tr("Jump to first error"), QKeySequence(Qt::CTRL | Qt::Key_J), "firstErrorAction");
    m_exportAction = make(tr("Export log…"), QKeySequence(Qt::CTRL | Qt::Key_S), "exportAction");
    m_copyAction = make(tr("Copy selected lines"), QKeySequence::Copy, "copyLinesAction");
    m_engineLogAction = make(tr("Show engine log"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), "engineLogAction");
    // Ctrl+C copies lines only from the table: in the search box it copies the box's text.
    removeAction(m_copyAction);
    m_copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(m_copyAction);

    connect(m_findAction, &QAction::triggered, m_searchBar, &LogSearchBar::focusSearch);
    connect(m_nextAction, &QAction::triggered, this, &LogsView::findNext);
    connect(m_previousAction, &QAction::triggered, this, &LogsView::findPrevious);
    connect(m_followAction, &QAction::triggered, this, [this] { setFollowing(true); });
    connect(m_firstErrorAction, &QAction::triggered, this, &LogsView::jumpToFirstError);
    connect(m_exportAction, &QAction::triggered, this, &LogsView::chooseExportFile);
    connect(m_copyAction, &QAction::triggered, this, &LogsView::copySelection);
    connect(m_engineLogAction, &QAction::triggered, this, &LogsView::showEngineLog);
}

QList<QAction*> LogsView::paletteActions() {
    return {m_findAction, m_nextAction, m_previousAction, m_followAction, m_firstErrorAction,
            m_exportAction, m_copyAction, m_engineLogAction};
}

// ---- sources ------------------------------------------------------------------------

void LogsView::showEngineLog() {
    m_runId.clear();
    m_instance = -1;
    m_source->setCurrentIndex(0);
    m_instanceBox->clear();
    m_instanceBox->setEnabled(false);
    m_labels.clear();
    applySource();
}

void LogsView::showRun(const QString& runId, int index) {
    const bool otherRun = runId != m_runId;
    m_runId = runId;
    m_instance = index;
    int row = m_source->findData(runId);
    if (row < 0) {
        // Not among the recent runs (a link from an old run): list it anyway.
        m_source->addItem(runId, runId);
        row = m_source->count() - 1;
    }
    m_source->setCurrentIndex(row);
    m_instanceBox->setEnabled(true);
    if (otherRun) {
        m_labels.clear();
        m_instanceBox->clear();
        m_instanceBox->addItem(tr("All instances"), -1);
        if (index >= 0)
            m_instanceBox->addItem(QStringLiteral("#%1").arg(index), index);
        refreshRunDetail();
    }
    const int instanceRow = m_instanceBox->findData(index);
    m_instanceBox->setCurrentIndex(std::max(instanceRow, 0));
    applySource();
}

void LogsView::applySource() {
    clearHits();
    m_pendingJumpRow = -1;
    if (m_runId.isEmpty()) {
        setModelFor(Mode::Engine);
        m_engine->fetchNew();
    } else if (m_streamChoice == 0) {
        setModelFor(Mode::Run);
        m_lines->setInstanceLabels(m_labels);
        m_lines->setSource(m_runId, m_instance);
    } else {
        setModelFor(Mode::RunFiltered);
        m_streams->setInstanceLabels(m_labels);
        m_streams->setSource(m_runId, m_instance, streamsFor(m_streamChoice));
    }
    updateLinesLabel();
}

void LogsView::setModelFor(Mode mode) {
    QAbstractItemModel* model = mode == Mode::Engine ? static_cast<QAbstractItemModel*>(m_engine)
        : mode == Mode::Run                          ? static_cast<QAbstractItemModel*>(m_lines)
                                                     : static_cast<QAbstractItemModel*>(m_streams);
    const bool modeChanged = mode != m_mode;
    m_mode = mode;
    if (m_table->model() == model)
        return;
    QItemSelectionModel* oldSelection = m_table->selectionModel();
    m_table->setModel(model);
    delete oldSelection;
    fitColumns();
    if (modeChanged || m_filter->count() == 0)
        fillFilterChoices();
}

void LogsView::fillFilterChoices() {
    const QSignalBlocker blocker(m_filter);
    m_filter->clear();
    if (m_mode == Mode::Engine) {
        m_filter->addItems({tr("All levels"), tr("Debug and above"), tr("Info and above"),
                            tr("Warnings and errors"), tr("Errors only")});
        m_filter->setCurrentIndex(m_levelChoice);
        m_filter->setToolTip(tr("Show entries at this level or above"));
    } else {
        m_filter->addItems({tr("All streams"), tr("stdout only"), tr("stderr only"), tr("system only")});
        m_filter->setCurrentIndex(m_streamChoice);
        m_filter->setToolTip(tr("Show lines of one stream"));
    }
}

void LogsView::fitColumns() {
    const QFontMetrics metrics(m_table->font());
    const int padding = 2 * metrics.averageCharWidth() + 8;
    QHeaderView* header = m_table->horizontalHeader();
    header->resizeSection(0, metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + padding);
    header->resizeSection(1, metrics.horizontalAdvance(QStringLiteral("warning")) + padding);
    header->resizeSection(2, 24 * metrics.averageCharWidth());
}

QAbstractItemModel* LogsView::currentModel() const { return m_table->model(); }

void LogsView::refreshRunList() {
    if (backend().state() != Backend::State::Ready)
        return;
    RunQuery query;
    query.limit = 50;
    m_runsTicket = backend().fetchRuns(query);
}

void LogsView::refreshRunDetail() {
    if (m_runId.isEmpty() || backend().state() != Backend::State::Ready)
        return;
    m_detailTicket = backend().fetchRun(m_runId);
}

void LogsView::onRunsFetched(Ticket ticket, const RunPage& page) {
    if (ticket != m_runsTicket)
        return;
    m_runsTicket = 0;
    const QSignalBlocker blocker(m_source);
    m_source->clear();
    m_source->addItem(tr("Engine log"), QString());
    bool listed = m_runId.isEmpty();
    for (const RunSummary& summary : page.runs) {
        const RunRecord& run = summary.run;
        m_source->addItem(QStringLiteral("%1 · %2 · %3").arg(run.id, run.workflow, toString(run.status)), run.id);
        listed = listed || run.id == m_runId;
    }
    if (!listed)
        m_source->addItem(m_runId, m_runId);
    m_source->setCurrentIndex(std::max(0, m_source->findData(m_runId)));
}

void LogsView::onRunFetched(Ticket ticket, const RunDetail& detail) {
    if (ticket != m_detailTicket)
        return;
    m_detailTicket = 0;
    if (detail.run.id != m_runId)
        return;
    m_labels.clear();
    const QSignalBlocker blocker(m_instanceBox);
    m_instanceBox->clear();
    m_instanceBox->addItem(tr("All instances"), -1);
    for (const InstanceRecord& instance : detail.instances) {
        const QString label = instance.repo.isEmpty() ? instance.taskId
                                                      : QString(instance.taskId + QLatin1Char(' ') + instance.repo);
        m_labels.insert(instance.index, label);
        m_instanceBox->addItem(QStringLiteral("#%1 %2 (%3)").arg(instance.index).arg(label, toString(instance.status)),
                               instance.index);
    }
    m_instanceBox->setCurrentIndex(std::max(0, m_instanceBox->findData(m_instance)));
    m_lines->setInstanceLabels(m_labels);
    m_streams->setInstanceLabels(m_labels);
}

// ---- follow -------------------------------------------------------------------------

void LogsView::setFollowing(bool following) {
    m_following = following;
    {
        const QSignalBlocker blocker(m_follow);
        m_follow->setChecked(following);
    }
    if (following) {
        m_table->doItemsLayout(); // the scroll range must include rows added a moment ago
        m_table->scrollToBottom();
    }
}

void LogsView::onRowsAdded() {
    updateLinesLabel();
    if (!m_following || m_scrollPending)
        return;
    // After the table and its header have taken the new rows in (they hear of them after
    // this view, which connected to the models first).
    m_scrollPending = true;
    QTimer::singleShot(0, this, [this] {
        m_scrollPending = false;
        if (!m_following)
            return;
        m_table->doItemsLayout();
        m_table->scrollToBottom();
    });
}

void LogsView::onUserScrolled() {
    const QScrollBar* bar = m_table->verticalScrollBar();
    if (m_following && bar->value() < bar->maximum())
        setFollowing(false);
}

bool LogsView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_PageUp || key == Qt::Key_Home)
            setFollowing(false);
    }
    return View::eventFilter(watched, event);
}

void LogsView::updateLinesLabel() {
    const QLocale locale;
    switch (m_mode) {
    case Mode::Engine:
        m_linesLabel->setText(tr("%1 entries").arg(locale.toString(m_engine->rowCount())));
        break;
    case Mode::Run:
        m_linesLabel->setText(tr("%1 lines").arg(locale.toString(m_lines->totalLines())));
        break;
    case Mode::RunFiltered:
        if (m_streams->truncated())
            m_linesLabel->setText(tr("first %1 matching lines").arg(locale.toString(m_streams->rowCount())));
        else if (m_streams->isLoading())
            m_linesLabel->setText(tr("%1 lines, reading…").arg(locale.toString(m_streams->rowCount())));
        else
            m_linesLabel->setText(tr("%1 lines").arg(locale.toString(m_streams->rowCount())));
        break;
    }
}

// ---- search -------------------------------------------------------------------------

void LogsView::search(const QString& pattern) {
    if (pattern.isEmpty()) {
        clearHits();
        return;
    }
    const QRegularExpression regex(pattern, QRegularExpression::CaseInsensitiveOption);
    if (!regex.isValid()) {
        const QString message = tr("Invalid regular expression: %1").arg(regex.errorString());
        m_searchBar->showMessage(tr("Invalid pattern"));
        Q_EMIT errorOccurred(message);
        return;
    }
    // Enter again on the same pattern walks on through its hits.
    if (pattern == m_searchedPattern && m_searchTicket == 0 && !m_hits.isEmpty()) {
        findNext();
        return;
    }
    m_searchedPattern = pattern;
    if (m_searchBar->pattern() != pattern)
        m_searchBar->setPattern(pattern);
    if (m_mode == Mode::Run) {
        m_searchBar->showMessage(tr("Searching…"));
        m_searchTicket = backend().searchLog(m_runId, m_instance, pattern, SearchLimit);
        return;
    }
    const QList<qint64> rows = searchLoaded(pattern, SearchLimit + 1);
    setHits(rows.mid(0, SearchLimit), rows.size() > SearchLimit);
    if (!m_hits.isEmpty())
        findNext();
}

QList<qint64> LogsView::searchLoaded(const QString& pattern, int limit) const {
    const QRegularExpression regex(pattern, QRegularExpression::CaseInsensitiveOption);
    QList<qint64> rows;
    const int count = currentModel()->rowCount();
    for (int row = 0; row < count && rows.size() < limit; ++row) {
        if (regex.match(rowText(row)).hasMatch())
            rows.append(row);
    }
    return rows;
}

void LogsView::onSearchFinished(Ticket ticket, const LogSearchResult& result) {
    if (ticket != m_searchTicket)
        return;
    m_searchTicket = 0;
    setHits(result.lineNumbers, result.truncated);
    if (!m_hits.isEmpty())
        findNext();
}

void LogsView::setHits(const QList<qint64>& rows, bool truncated) {
    m_hits = rows;
    m_hitsTruncated = truncated;
    m_hitPos = -1;
    m_delegate->setMarkedRows(m_hits);
    m_table->viewport()->update();
    m_searchBar->showCount(-1, int(m_hits.size()), truncated);
}

void LogsView::clearHits() {
    m_searchTicket = 0;
    m_searchedPattern.clear();
    m_hits.clear();
    m_hitPos = -1;
    m_hitsTruncated = false;
    m_delegate->setMarkedRows({});
    m_table->viewport()->update();
    m_searchBar->clearCount();
}

void LogsView::findNext() {
    if (m_hits.isEmpty()) {
        if (!m_searchBar->pattern().isEmpty() && m_searchBar->pattern() != m_searchedPattern)
            search(m_searchBar->pattern());
        return;
    }
    const int current = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    const auto next = std::upper_bound(m_hits.cbegin(), m_hits.cend(), qint64(current));
    goToHit(next == m_hits.cend() ? 0 : int(next - m_hits.cbegin())); // wraps to the first
}

void LogsView::findPrevious() {
    if (m_hits.isEmpty()) {
        if (!m_searchBar->pattern().isEmpty() && m_searchBar->pattern() != m_searchedPattern)
            search(m_searchBar->pattern());
        return;
    }
    const int current = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : int(m_hits.constLast()) + 1;
    const auto before = std::lower_bound(m_hits.cbegin(), m_hits.cend(), qint64(current));
    goToHit(before == m_hits.cbegin() ? int(m_hits.size()) - 1 : int(before - m_hits.cbegin()) - 1);
}

void LogsView::goToHit(int position) {
    if (position < 0 || position >= m_hits.size())
        return;
    m_hitPos = position;
    m_searchBar->showCount(position, int(m_hits.size()), m_hitsTruncated);
    goToRow(m_hits.at(position));
}

void LogsView::goToRow(qint64 row) {
    setFollowing(false);
    if (row >= currentModel()->rowCount()) {
        // The hit is in lines the index has not counted yet: go there once it has.
        m_pendingJumpRow = row;
        if (m_mode == Mode::Run)
            m_lines->refreshIndex();
        return;
    }
    const QModelIndex target = currentModel()->index(int(row), 0);
    m_table->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(target, QAbstractItemView::PositionAtCenter);
}

void LogsView::jumpToFirstError() {
    const QRegularExpression regex(LogFirstErrorFinder::errorPattern(), QRegularExpression::CaseInsensitiveOption);
    switch (m_mode) {
    case Mode::Run:
        m_errorFinder->find(m_runId, m_instance);
        return;
    case Mode::RunFiltered: {
        const QList<LogLine>& lines = m_streams->lines();
        for (int row = 0; row < lines.size(); ++row) {
            if (lines[row].stream == LogStream::Stderr || regex.match(lines[row].text).hasMatch()) {
                goToRow(row);
                return;
            }
        }
        break;
    }
    case Mode::Engine:
        for (int row = 0; row < m_engine->rowCount(); ++row) {
            const logs::LogEntry& entry = m_engine->entry(row);
            if (entry.level >= logs::Level::Error || regex.match(entry.message).hasMatch()) {
                goToRow(row);
                return;
            }
        }
        break;
    }
    Q_EMIT statusMessage(tr("No line looks like an error."));
}

// ---- copy and export ----------------------------------------------------------------

QString LogsView::rowText(int row) const {
    switch (m_mode) {
    case Mode::Engine: return m_engine->lineText(row);
    case Mode::Run: return m_lines->lineText(row);
    case Mode::RunFiltered: return m_streams->lineText(row);
    }
    return {};
}

void LogsView::copySelection() {
    // Selection ranges, not selectedRows(): "select all" on 5,000,000 lines is one range.
    QList<int> rows;
    const QItemSelection selection = m_table->selectionModel()->selection();
    for (const QItemSelectionRange& range : selection) {
        for (int row = range.top(); row <= range.bottom() && rows.size() < CopyLimit; ++row)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows.append(m_table->currentIndex().row());
    QStringList texts;
    int notLoaded = 0;
    for (int row : std::as_const(rows)) {
        if (m_mode == Mode::Run && !m_lines->isLoaded(row)) {
            ++notLoaded;
            continue;
        }
        texts.append(rowText(row));
    }
    if (texts.isEmpty()) {
        Q_EMIT statusMessage(tr("Nothing to copy: select lines first."));
        return;
    }
    QApplication::clipboard()->setText(texts.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    if (notLoaded > 0)
        Q_EMIT statusMessage(tr("Copied %n line(s); lines not loaded yet were left out (export the log for all of it)",
                                nullptr, int(texts.size())));
    else
        Q_EMIT statusMessage(tr("Copied %n line(s)", nullptr, int(texts.size())));
}

void LogsView::chooseExportFile() {
    const QString suggested = m_runId.isEmpty() ? QStringLiteral("signalbox-engine.log")
                                                : QString(m_runId + QStringLiteral(".log"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export log"), suggested, tr("Log files (*.log *.txt)"));
    if (!path.isEmpty())
        exportTo(path);
}

void LogsView::exportTo(const QString& path) {
    if (m_runId.isEmpty()) {
        exportEngineLog(path);
        return;
    }
    m_exportPath = path;
    m_exportTicket = backend().exportLog(m_runId, m_instance, path);
    Q_EMIT statusMessage(tr("Exporting to %1…").arg(path));
}

// The entries are in memory already; only the writing happens off the GUI thread.
void LogsView::exportEngineLog(const QString& path) {
    QStringList lines;
    for (int row = 0; row < m_engine->rowCount(); ++row)
        lines.append(m_engine->lineText(row));
    auto error = std::make_shared<QString>();
    QThread* writer = QThread::create([lines, path, error] {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
            *error = file.errorString();
            return;
        }
        for (const QString& line : lines) {
            file.write(line.toUtf8());
            file.write("\n");
        }
        if (!file.commit())
            *error = file.errorString();
    });
    const int count = int(lines.size());
    connect(writer, &QThread::finished, this, [this, writer, error, path, count] {
        writer->deleteLater();
        if (error->isEmpty())
            Q_EMIT statusMessage(tr("Exported %n engine log entries to %1", nullptr, count).arg(path));
        else
            Q_EMIT errorOccurred(tr("Could not export to %1: %2").arg(path, *error));
    });
    writer->start();
}

void LogsView::onCommandFinished(Ticket ticket, const CommandResult& result) {
    if (ticket != m_exportTicket)
        return;
    m_exportTicket = 0;
    if (result.ok)
        Q_EMIT statusMessage(result.message.isEmpty() ? tr("Exported to %1").arg(m_exportPath) : result.message);
    else
        Q_EMIT errorOccurred(tr("Export failed: %1").arg(result.message));
}

void LogsView::onFailed(Ticket ticket, const QString& message) {
    if (ticket == m_exportTicket) {
        m_exportTicket = 0;
        Q_EMIT errorOccurred(tr("Export failed: %1").arg(message));
    } else if (ticket == m_searchTicket) {
        m_searchTicket = 0;
        m_searchBar->showMessage(tr("Search failed"));
        Q_EMIT errorOccurred(message);
    } else if (ticket == m_runsTicket || ticket == m_detailTicket) {
        if (ticket == m_runsTicket)
            m_runsTicket = 0;
        else
            m_detailTicket = 0;
        Q_EMIT errorOccurred(message);
    }
}

// ---- state, links -------------------------------------------------------------------

void LogsView::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("follow"), m_following);
    settings.setValue(QStringLiteral("levelFilter"), m_levelChoice);
    settings.setValue(QStringLiteral("streamFilter"), m_streamChoice);
    settings.setValue(QStringLiteral("search"), m_searchBar->pattern());
    settings.setValue(QStringLiteral("taskColumnWidth"), m_table->horizontalHeader()->sectionSize(2));
}

void LogsView::restoreState(QSettings& settings) {
    m_levelChoice = std::clamp(settings.value(QStringLiteral("levelFilter"), 0).toInt(), 0, 4);
    m_streamChoice = std::clamp(settings.value(QStringLiteral("streamFilter"), 0).toInt(), 0, 3);
    m_engine->setMinimumLevel(LevelChoices[m_levelChoice]);
    fillFilterChoices();
    m_searchBar->setPattern(settings.value(QStringLiteral("search")).toString());
    const int taskWidth = settings.value(QStringLiteral("taskColumnWidth"), 0).toInt();
    if (taskWidth > 0)
        m_table->horizontalHeader()->resizeSection(2, taskWidth);
    setFollowing(settings.value(QStringLiteral("follow"), true).toBool());
    if (!m_runId.isEmpty())
        applySource();
}

void LogsView::navigate(const QUrl& link) {
    const QStringList parts = links::segments(link);
    if (parts.isEmpty() || parts.constFirst() == QStringLiteral("engine")) {
        showEngineLog();
        return;
    }
    bool ok = false;
    const int index = parts.size() > 1 ? parts.at(1).toInt(&ok) : -1;
    if (parts.size() > 1 && !ok) {
        Q_EMIT errorOccurred(tr("Not a log link: %1").arg(link.toString()));
        return;
    }
    showRun(parts.constFirst(), index);
}

void LogsView::activated() {
    m_runsRefresh->poke();
    if (m_mode == Mode::Engine)
        m_engineRefresh->poke();
    else
        m_logRefresh->poke();
}

} // namespace signalbox::ui
