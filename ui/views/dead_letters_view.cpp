#include "views/dead_letters_view.h"

#include "charts/dlq_stats_chart.h"
#include "dialogs/bulk_action_dialog.h"
#include "dialogs/edit_retry_dialog.h"
#include "models/dlq_entries_model.h"
#include "models/dlq_format.h"
#include "models/dlq_groups_model.h"
#include "views/dead_letter_detail.h"
#include "views/links.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace signalbox::ui {

namespace {

constexpr dlq::DlqStatus kStatuses[] = {dlq::DlqStatus::Pending, dlq::DlqStatus::Retrying,
                                        dlq::DlqStatus::Exhausted, dlq::DlqStatus::Completed,
                                        dlq::DlqStatus::Archived};
constexpr ErrorCategory kCategories[] = {ErrorCategory::Transient,  ErrorCategory::Network,
                                         ErrorCategory::Resource,   ErrorCategory::Permission,
                                         ErrorCategory::Validation, ErrorCategory::Permanent};

QTableView* makeTable(const QString& objectName, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setObjectName(objectName);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    table->verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, however many are loaded.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setSectionsMovable(true);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

QLineEdit* makeFilterEdit(const QString& objectName, const QString& placeholder, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    edit->setMaximumWidth(180);
    return edit;
}

QAction* makeAction(const QString& objectName, const QString& text, const QKeySequence& shortcut,
                    QWidget* owner) {
    auto* action = new QAction(text, owner);
    action->setObjectName(objectName);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    // Shortcuts work while focus is in this view, so other views may reuse the keys.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    owner->addAction(action);
    return action;
}

} // namespace

DeadLettersView::DeadLettersView(Backend& backend, QWidget* parent)
    : View(backend, parent)
    , m_changes([this] { refreshEverything(); }, 100)
    , m_filterEdits([this] { applyFilter(); }, 300) {
    setObjectName(viewId());
    m_entries = new DlqEntriesModel(backend, this);
    m_entries->setObjectName(QStringLiteral("dlqEntriesModel"));
    m_groups = new DlqGroupsModel(backend, this);
    m_groups->setObjectName(QStringLiteral("dlqGroupsModel"));

    buildActions();

    auto* layout = new QVBoxLayout(this);
    auto* filterBar = new QWidget(this);
    filterBar->setObjectName(QStringLiteral("dlqFilterBar"));
    buildFilterBar(filterBar);
    layout->addWidget(filterBar);

    auto* toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("dlqToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_retryAction);
    toolbar->addAction(m_editAction);
    toolbar->addAction(m_archiveAction);
    toolbar->addAction(m_purgeAction);
    toolbar->addSeparator();
    auto* bulkButton = new QToolButton(toolbar);
    bulkButton->setObjectName(QStringLiteral("dlqBulkButton"));
    bulkButton->setText(tr("Bulk"));
    bulkButton->setPopupMode(QToolButton::InstantPopup);
    auto* bulkMenu = new QMenu(bulkButton);
    bulkMenu->addAction(m_bulkRetryAction);
    bulkMenu->addAction(m_bulkArchiveAction);
    bulkMenu->addAction(m_bulkPurgeAction);
    bulkButton->setMenu(bulkMenu);
    toolbar->addWidget(bulkButton);
    toolbar->addSeparator();
    toolbar->addAction(m_groupedAction);
    toolbar->addAction(m_refreshAction);
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_total = new QLabel(toolbar);
    m_total->setObjectName(QStringLiteral("dlqTotal"));
    toolbar->addWidget(m_total);
    layout->addWidget(toolbar);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("dlqMainSplitter"));
    m_listSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_listSplitter->setObjectName(QStringLiteral("dlqListSplitter"));

    m_groupTable = makeTable(QStringLiteral("dlqGroupTable"), m_listSplitter);
    m_groupTable->setModel(m_groups);
    m_groupTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_groupTable->setColumnWidth(DlqGroupsModel::Signature, 140);
    m_groupTable->setColumnWidth(DlqGroupsModel::Count, 70);
    m_groupTable->setColumnWidth(DlqGroupsModel::SampleError, 360);
    m_groupTable->horizontalHeader()->setStretchLastSection(true);
    m_groupTable->hide();

    m_table = makeTable(QStringLiteral("dlqTable"), m_listSplitter);
    m_table->setModel(m_entries);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DlqEntriesModel::Enqueued, Qt::DescendingOrder);
    const std::pair<int, int> widths[] = {{DlqEntriesModel::Id, 70},       {DlqEntriesModel::Status, 100},
                                          {DlqEntriesModel::Category, 90}, {DlqEntriesModel::Workflow, 120},
                                          {DlqEntriesModel::Task, 90},     {DlqEntriesModel::Repo, 100},
                                          {DlqEntriesModel::Attempts, 60}, {DlqEntriesModel::NextRetry, 90},
                                          {DlqEntriesModel::Error, 320},   {DlqEntriesModel::Enqueued, 140}};
    for (const auto& [column, width] : widths)
        m_table->setColumnWidth(column, width);
    m_table->addAction(m_copyIdsAction);
    m_listSplitter->setStretchFactor(1, 3);

    m_side = new QTabWidget(m_mainSplitter);
    m_side->setObjectName(QStringLiteral("dlqSideTabs"));
    m_detail = new DeadLetterDetail(m_side);
    m_side->addTab(m_detail, tr("Details"));
    m_stats = new DlqStatsChart(m_side);
    m_side->addTab(m_stats, tr("Statistics"));
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 2);
    layout->addWidget(m_mainSplitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeadLettersView::handleSelectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeadLettersView::handleSelectionChanged);
    connect(m_groupTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeadLettersView::handleGroupChanged);
    connect(m_table, &QTableView::customContextMenuRequested, this, &DeadLettersView::showEntriesMenu);
    connect(m_groupTable, &QTableView::customContextMenuRequested, this, &DeadLettersView::showGroupsMenu);
    // SQL cannot sort by the error text: keep the indicator where the rows really are.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [this](int section, Qt::SortOrder) {
                if (DlqEntriesModel::sortKeyFor(section))
                    return;
                const dlq::DlqSort& sort = m_entries->sortOrder();
                const int column = DlqEntriesModel::columnForSortKey(sort.key);
                QSignalBlocker block(m_table->horizontalHeader());
                m_table->horizontalHeader()->setSortIndicator(column, sort.descending ? Qt::DescendingOrder
                                                                                      : Qt::AscendingOrder);
            });
    connect(m_entries, &DlqEntriesModel::rowsLoaded, this, &DeadLettersView::restoreSelection);
    connect(m_entries, &DlqEntriesModel::loadFailed, this, &DeadLettersView::errorOccurred);
    connect(m_groups, &DlqGroupsModel::rowsLoaded, this, &DeadLettersView::restoreGroupSelection);
    connect(m_groups, &DlqGroupsModel::loadFailed, this, &DeadLettersView::errorOccurred);
    connect(m_detail, &DeadLetterDetail::linkActivated, this, &DeadLettersView::linkActivated);

    connectBackend();
    updateStatusButtonText();
    updateActions();
    if (backendReady())
        applyFilter();
}

DeadLettersView::~DeadLettersView() = default;

void DeadLettersView::buildFilterBar(QWidget* bar) {
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);

    m_statusButton = new QToolButton(bar);
    m_statusButton->setObjectName(QStringLiteral("dlqStatusFilter"));
    m_statusButton->setPopupMode(QToolButton::InstantPopup);
    m_statusMenu = new QMenu(m_statusButton);
    for (dlq::DlqStatus status : kStatuses) {
        QAction* action = m_statusMenu->addAction(dlq::toString(status));
        action->setCheckable(true);
        action->setData(int(status));
        connect(action, &QAction::toggled, this, [this] {
            updateStatusButtonText();
            m_filterEdits.poke();
        });
    }
    m_statusButton->setMenu(m_statusMenu);
    layout->addWidget(m_statusButton);

    m_category = new QComboBox(bar);
    m_category->setObjectName(QStringLiteral("dlqCategoryFilter"));
    m_category->addItem(tr("Any category"), QString());
    for (ErrorCategory category : kCategories)
        m_category->addItem(toString(category), toString(category));
    connect(m_category, &QComboBox::currentIndexChanged, this, [this] { m_filterEdits.poke(); });
    layout->addWidget(m_category);

    m_workflow = makeFilterEdit(QStringLiteral("dlqWorkflowFilter"), tr("Workflow"), bar);
    m_task = makeFilterEdit(QStringLiteral("dlqTaskFilter"), tr("Task"), bar);
    m_repo = makeFilterEdit(QStringLiteral("dlqRepoFilter"), tr("Repo"), bar);
    m_errorText = makeFilterEdit(QStringLiteral("dlqErrorFilter"), tr("Error contains…"), bar);
    m_errorText->setMaximumWidth(QWIDGETSIZE_MAX);
    for (QLineEdit* edit : {m_workflow, m_task, m_repo, m_errorText}) {
        connect(edit, &QLineEdit::textChanged, this, [this] { m_filterEdits.poke(); });
        connect(edit, &QLineEdit::returnPressed, this, [this] { m_filterEdits.flush(); });
        layout->addWidget(edit, edit == m_errorText ? 1 : 0);
    }
}

void DeadLettersView::buildActions() {
    m_retryAction = makeAction(QStringLiteral("dlqRetryAction"), tr("Retry selected"),
                               QKeySequence(Qt::CTRL | Qt::Key_R), this);
    m_editAction = makeAction(QStringLiteral("dlqEditRetryAction"), tr("Edit and retry…"),
                              QKeySequence(Qt::CTRL | Qt::Key_E), this);
    m_archiveAction = makeAction(QStringLiteral("dlqArchiveAction"), tr("Archive selected"), {}, this);
    m_purgeAction = makeAction(QStringLiteral("dlqPurgeAction"), tr("Purge selected"), {}, this);
    m_purgeAction->setToolTip(tr("Delete the selected archived dead letters for good"));
    m_bulkRetryAction = makeAction(QStringLiteral("dlqBulkRetryAction"), tr("Bulk retry…"), {}, this);
    m_bulkArchiveAction = makeAction(QStringLiteral("dlqBulkArchiveAction"), tr("Bulk archive…"), {}, this);
    m_bulkPurgeAction = makeAction(QStringLiteral("dlqBulkPurgeAction"), tr("Bulk purge…"), {}, this);
    m_groupedAction = makeAction(QStringLiteral("dlqGroupedAction"), tr("Toggle grouped mode"),
                                 QKeySequence(Qt::CTRL | Qt::Key_G), this);
    m_groupedAction->setCheckable(true);
    m_groupedAction->setIconText(tr("Grouped"));
    m_refreshAction = makeAction(QStringLiteral("dlqRefreshAction"), tr("Refresh dead letters"),
                                 QKeySequence::Refresh, this);
    m_refreshAction->setIconText(tr("Refresh"));
    m_copyIdsAction = new QAction(tr("Copy ids"), this);
    m_copyIdsAction->setObjectName(QStringLiteral("dlqCopyIdsAction"));
    m_copyIdsAction->setShortcut(QKeySequence::Copy);
    m_copyIdsAction->setShortcutContext(Qt::WidgetShortcut);
    m_copyCommandAction = new QAction(tr("Copy command"), this);
    m_copyCommandAction->setObjectName(QStringLiteral("dlqCopyCommandAction"));
    m_copyErrorAction = new QAction(tr("Copy error"), this);
    m_copyErrorAction->setObjectName(QStringLiteral("dlqCopyErrorAction"));
    m_openRunAction = new QAction(tr("Open run"), this);
    m_openLogsAction = new QAction(tr("Show output in Logs"), this);

    connect(m_retryAction, &QAction::triggered, this, &DeadLettersView::retrySelected);
    connect(m_editAction, &QAction::triggered, this, &DeadLettersView::editAndRetrySelected);
    connect(m_archiveAction, &QAction::triggered, this, &DeadLettersView::archiveSelected);
    connect(m_purgeAction, &QAction::triggered, this, &DeadLettersView::purgeSelected);
    connect(m_bulkRetryAction, &QAction::triggered, this, [this] { openBulkDialog(dlq::BulkAction::Retry); });
    connect(m_bulkArchiveAction, &QAction::triggered, this,
            [this] { openBulkDialog(dlq::BulkAction::Archive); });
    connect(m_bulkPurgeAction, &QAction::triggered, this, [this] { openBulkDialog(dlq::BulkAction::Purge); });
    connect(m_groupedAction, &QAction::toggled, this, &DeadLettersView::setGrouped);
    connect(m_refreshAction, &QAction::triggered, this, [this] { m_changes.flush(); });
    connect(m_copyIdsAction, &QAction::triggered, this, &DeadLettersView::copySelectedIds);
    connect(m_copyCommandAction, &QAction::triggered, this, &DeadLettersView::copyCommand);
    connect(m_copyErrorAction, &QAction::triggered, this, &DeadLettersView::copyError);
    connect(m_openRunAction, &QAction::triggered, this, [this] {
        const int row = m_entries->rowOfKey(m_currentKey);
        if (row >= 0)
            Q_EMIT linkActivated(links::run(m_entries->entryAt(row).runId));
    });
    connect(m_openLogsAction, &QAction::triggered, this, [this] {
        const int row = m_entries->rowOfKey(m_currentKey);
        if (row >= 0)
            Q_EMIT linkActivated(links::logs(m_entries->entryAt(row).runId, m_entries->entryAt(row).index));
    });
}

void DeadLettersView::connectBackend() {
    Backend& b = backend();
    connect(&b, &Backend::deadLettersChanged, this, [this] { m_changes.poke(); });
    connect(&b, &Backend::dlqJobChanged, this, [this] { m_changes.poke(); });
    connect(&b, &Backend::stateChanged, this, [this](Backend::State state) {
        if (state == Backend::State::Ready)
            applyFilter();
        updateActions();
    });
    connect(&b, &Backend::deadLetterCountFetched, this, [this](Ticket ticket, qint64 count) {
        if (ticket == 0 || ticket != m_countTicket)
            return;
        m_countTicket = 0;
        m_total->setText(dlqformat::entryCount(count));
    });
    connect(&b, &Backend::dlqStatsFetched, this, [this](Ticket ticket, const dlq::DlqStats& stats) {
        if (ticket == 0 || ticket != m_statsTicket)
            return;
        m_statsTicket = 0;
        m_stats->setStats(stats);
    });
    connect(&b, &Backend::deadLetterFetched, this, &DeadLettersView::handleDeadLetterFetched);
    connect(&b, &Backend::commandFinished, this, &DeadLettersView::handleCommandFinished);
    connect(&b, &Backend::failed, this, &DeadLettersView::handleFailed);
}

bool DeadLettersView::backendReady() const {
    return backend().state() == Backend::State::Ready;
}

QList<QAction*> DeadLettersView::paletteActions() {
    return {m_retryAction,     m_editAction,      m_archiveAction, m_purgeAction,   m_bulkArchiveAction,
            m_bulkRetryAction, m_bulkPurgeAction, m_groupedAction, m_refreshAction, m_copyIdsAction};
}

// ---- filters --------------------------------------------------------------------------

dlq::DlqFilter DeadLettersView::filterBarFilter() const {
    dlq::DlqFilter filter;
    for (QAction* action : m_statusMenu->actions()) {
        if (action->isChecked())
            filter.statuses << dlq::DlqStatus(action->data().toInt());
    }
    if (const std::optional<ErrorCategory> category =
            errorCategoryFromString(m_category->currentData().toString());
        category && *category != ErrorCategory::None)
        filter.categories << *category;
    filter.workflow = m_workflow->text().trimmed();
    filter.taskId = m_task->text().trimmed();
    filter.repo = m_repo->text().trimmed();
    filter.errorContains = m_errorText->text().trimmed();
    return filter;
}

dlq::DlqFilter DeadLettersView::effectiveFilter() const {
    dlq::DlqFilter filter = filterBarFilter();
    if (isGrouped())
        filter.signature = m_signature;
    return filter;
}

void DeadLettersView::setFilterBar(const dlq::DlqFilter& filter) {
    for (QAction* action : m_statusMenu->actions()) {
        QSignalBlocker block(action);
        action->setChecked(filter.statuses.contains(dlq::DlqStatus(action->data().toInt())));
    }
    {
        QSignalBlocker block(m_category);
        const int index =
            filter.categories.isEmpty() ? 0 : m_category->findData(toString(filter.categories.constFirst()));
        m_category->setCurrentIndex(std::max(index, 0));
    }
    const std::pair<QLineEdit*, QString> edits[] = {{m_workflow, filter.workflow},
                                                    {m_task, filter.taskId},
                                                    {m_repo, filter.repo},
                                                    {m_errorText, filter.errorContains}};
    for (const auto& [edit, text] : edits) {
        QSignalBlocker block(edit);
        edit->setText(text);
    }
    updateStatusButtonText();
    m_filterEdits.flush();
}

void DeadLettersView::updateStatusButtonText() {
    QStringList names;
    for (QAction* action : m_statusMenu->actions()) {
        if (action->isChecked())
            names << action->text();
    }
    m_statusButton->setText(names.isEmpty() ? tr("Any status")
                                            : tr("Status: %1").arg(names.join(QStringLiteral(", "))));
}

void DeadLettersView::applyFilter() {
    if (!backendReady())
        return;
    m_entries->setFilter(effectiveFilter());
    if (isGrouped())
        m_groups->setFilter(filterBarFilter());
    requestCount();
    m_statsTicket = backend().fetchDlqStats();
}

void DeadLettersView::refreshEverything() {
    if (!backendReady())
        return;
    m_entries->reload();
    if (isGrouped())
        m_groups->reload();
    requestCount();
    m_statsTicket = backend().fetchDlqStats();
    if (m_currentKey != 0)
        requestDetail();
}

void DeadLettersView::requestCount() {
    m_countTicket = backend().countDeadLetters(effectiveFilter());
}

void DeadLettersView::requestDetail() {
    m_detailTicket = m_currentKey != 0 ? backend().fetchDeadLetter(m_currentKey) : 0;
    if (m_currentKey == 0)
        m_detail->showPlaceholder(tr("Select a dead letter to see its details."));
}

// ---- grouped mode ---------------------------------------------------------------------

bool DeadLettersView::isGrouped() const {
    return m_groupedAction->isChecked();
}

void DeadLettersView::setGrouped(bool grouped) {
    if (m_groupedAction->isChecked() != grouped) {
        m_groupedAction->setChecked(grouped); // comes back here through toggled
        return;
    }
    m_groupTable->setVisible(grouped);
    if (!grouped)
        m_signature.clear();
    applyFilter();
}

void DeadLettersView::selectGroup(const QString& signature) {
    const int row = m_groups->rowOfSignature(signature);
    if (row < 0)
        return;
    m_groupTable->setCurrentIndex(m_groups->index(row, 0));
}

void DeadLettersView::handleGroupChanged() {
    const QModelIndex current = m_groupTable->currentIndex();
    const QString signature = current.isValid() ? m_groups->groupAt(current.row()).signature : QString();
    if (signature == m_signature || m_restoringSelection)
        return;
    m_signature = signature;
    m_entries->setFilter(effectiveFilter());
    requestCount();
}

void DeadLettersView::restoreGroupSelection() {
    if (m_signature.isEmpty())
        return;
    const int row = m_groups->rowOfSignature(m_signature);
    if (row < 0) {
        // The group is gone (its entries changed): show the whole filter again.
        m_signature.clear();
        m_entries->setFilter(effectiveFilter());
        requestCount();
        return;
    }
    m_restoringSelection = true;
    m_groupTable->setCurrentIndex(m_groups->index(row, 0));
    m_restoringSelection = false;
}

// ---- selection ------------------------------------------------------------------------

QList<qint64> DeadLettersView::selectedKeys() const {
    QList<qint64> keys;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    keys.reserve(rows.size());
    for (const QModelIndex& index : rows)
        keys << m_entries->entryAt(index.row()).key;
    std::sort(keys.begin(), keys.end());
    return keys;
}

void DeadLettersView::handleSelectionChanged() {
    if (m_restoringSelection)
        return;
    m_selectedKeys = selectedKeys();
    const QModelIndex current = m_table->currentIndex();
    qint64 key = 0;
    if (current.isValid() && m_table->selectionModel()->isRowSelected(current.row(), {}))
        key = m_entries->entryAt(current.row()).key;
    else if (!m_selectedKeys.isEmpty())
        key = m_selectedKeys.constFirst();
    if (key != m_currentKey) {
        m_currentKey = key;
        requestDetail();
        if (key != 0)
            m_side->setCurrentWidget(m_detail);
    }
    updateActions();
}

void DeadLettersView::restoreSelection() {
    // Rows were replaced or added: select the same entries again, by key.
    m_restoringSelection = true;
    QItemSelection selection;
    for (qint64 key : std::as_const(m_selectedKeys)) {
        const int row = m_entries->rowOfKey(key);
        if (row >= 0)
            selection.select(m_entries->index(row, 0),
                             m_entries->index(row, DlqEntriesModel::ColumnCount - 1));
    }
    QItemSelectionModel* model = m_table->selectionModel();
    model->select(selection, QItemSelectionModel::ClearAndSelect);
    const int currentRow = m_entries->rowOfKey(m_currentKey);
    if (currentRow >= 0)
        model->setCurrentIndex(m_entries->index(currentRow, 0), QItemSelectionModel::NoUpdate);
    m_restoringSelection = false;
    updateActions();
}

void DeadLettersView::updateActions() {
    const bool ready = backendReady();
    const QList<qint64> keys = m_selectedKeys;
    bool allArchived = !keys.isEmpty();
    for (qint64 key : keys) {
        const int row = m_entries->rowOfKey(key);
        if (row < 0 || m_entries->entryAt(row).status != dlq::DlqStatus::Archived)
            allArchived = false;
    }
    m_retryAction->setEnabled(ready && !keys.isEmpty());
    m_editAction->setEnabled(ready && m_currentKey != 0);
    m_archiveAction->setEnabled(ready && !keys.isEmpty());
    m_purgeAction->setEnabled(ready && allArchived);
    m_bulkRetryAction->setEnabled(ready);
    m_bulkArchiveAction->setEnabled(ready);
    m_bulkPurgeAction->setEnabled(ready);
    m_copyIdsAction->setEnabled(!keys.isEmpty());
}

// ---- actions --------------------------------------------------------------------------

void DeadLettersView::sendCommand(Ticket ticket, const QString& description) {
    if (ticket != 0)
        m_commands.insert(ticket, description);
}

void DeadLettersView::retrySelected() {
    const QList<qint64> keys = selectedKeys();
    if (keys.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select the dead letters to retry first."));
        return;
    }
    sendCommand(backend().retryDeadLetters(keys), tr("Retry of %1").arg(dlqformat::entryCount(keys.size())));
}

void DeadLettersView::editAndRetrySelected() {
    if (m_currentKey == 0) {
        Q_EMIT errorOccurred(tr("Select the dead letter to edit first."));
        return;
    }
    // The list rows carry no recipe: the detail (fetchDeadLetter) does.
    const std::optional<dlq::DeadLetter>& shown = m_detail->entry();
    if (shown && shown->key == m_currentKey) {
        openEditDialog(*shown);
        return;
    }
    m_editWhenLoaded = m_currentKey;
    requestDetail();
}

void DeadLettersView::openEditDialog(const dlq::DeadLetter& entry) {
    auto* dialog = new EditRetryDialog(entry, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        sendCommand(backend().editAndRetryDeadLetter(dialog->entryKey(), dialog->recipe()),
                    tr("Edit and retry of %1").arg(dlq::entryId(dialog->entryKey())));
    });
    dialog->open();
}

void DeadLettersView::archiveSelected() {
    const QList<qint64> keys = selectedKeys();
    if (keys.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select the dead letters to archive first."));
        return;
    }
    sendCommand(backend().archiveDeadLetters(keys),
                tr("Archive of %1").arg(dlqformat::entryCount(keys.size())));
}

void DeadLettersView::purgeSelected() {
    const QList<qint64> keys = selectedKeys();
    if (keys.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select the archived dead letters to purge first."));
        return;
    }
    for (qint64 key : keys) {
        const int row = m_entries->rowOfKey(key);
        if (row >= 0 && m_entries->entryAt(row).status != dlq::DlqStatus::Archived) {
            Q_EMIT errorOccurred(tr("Only archived dead letters can be purged: %1 is %2.")
                                     .arg(dlq::entryId(key), dlq::toString(m_entries->entryAt(row).status)));
            return;
        }
    }
    // Purge cannot be undone: say how many, default to No.
    QMessageBox confirm(QMessageBox::Warning, tr("Purge dead letters"),
                        tr("Delete %1 for good? This cannot be undone.").arg(dlqformat::entryCount(keys.size())),
                        QMessageBox::Yes | QMessageBox::No, this);
    confirm.setObjectName(QStringLiteral("dlqPurgeConfirm"));
    confirm.setDefaultButton(QMessageBox::No);
    if (confirm.exec() != QMessageBox::Yes)
        return;
    sendCommand(backend().purgeDeadLetters(keys), tr("Purge of %1").arg(dlqformat::entryCount(keys.size())));
}

BulkActionDialog* DeadLettersView::openBulkDialog(dlq::BulkAction action) {
    dlq::DlqFilter filter = effectiveFilter();
    if (action == dlq::BulkAction::Purge) {
        // Purge only ever removes archived entries: say so in the filter and the count.
        if (!filter.statuses.isEmpty() && !filter.statuses.contains(dlq::DlqStatus::Archived)) {
            Q_EMIT errorOccurred(
                tr("Bulk purge removes archived dead letters only: add the status archived to the filter."));
            return nullptr;
        }
        filter.statuses = {dlq::DlqStatus::Archived};
    }
    auto* dialog = new BulkActionDialog(backend(), action, filter, this);
    connect(dialog, &BulkActionDialog::errorOccurred, this, &DeadLettersView::errorOccurred);
    connect(dialog, &BulkActionDialog::jobStarted, this, [this](qint64 jobKey) {
        Q_EMIT statusMessage(tr("Bulk job %1 started.").arg(dlq::jobId(jobKey)));
    });
    connect(dialog, &BulkActionDialog::jobFinished, this, [this](const dlq::BulkJob& job) {
        Q_EMIT statusMessage(tr("Bulk job %1 %2: %3 of %4 done, %5 failed.")
                                 .arg(job.id(), dlq::toString(job.state), dlqformat::count(job.done),
                                      dlqformat::count(job.total), dlqformat::count(job.failed)));
        m_changes.poke();
    });
    dialog->open();
    return dialog;
}

void DeadLettersView::copySelectedIds() {
    QStringList ids;
    for (qint64 key : selectedKeys())
        ids << dlq::entryId(key);
    if (ids.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
    Q_EMIT statusMessage(tr("Copied %1 ids.").arg(ids.size()));
}

void DeadLettersView::copyCommand() {
    const std::optional<dlq::DeadLetter>& shown = m_detail->entry();
    if (!shown || shown->key != m_currentKey) {
        Q_EMIT errorOccurred(tr("The command is not loaded yet: try again in a moment."));
        return;
    }
    QGuiApplication::clipboard()->setText(dlqformat::shellCommand(shown->recipe().argv));
    Q_EMIT statusMessage(tr("Copied the command of %1.").arg(shown->id()));
}

void DeadLettersView::copyError() {
    const int row = m_entries->rowOfKey(m_currentKey);
    if (row < 0)
        return;
    QGuiApplication::clipboard()->setText(m_entries->entryAt(row).error);
    Q_EMIT statusMessage(tr("Copied the error of %1.").arg(dlq::entryId(m_currentKey)));
}

void DeadLettersView::showEntriesMenu(const QPoint& pos) {
    QMenu menu(this);
    const bool detailLoaded = m_detail->entry() && m_detail->entry()->key == m_currentKey;
    m_copyCommandAction->setEnabled(detailLoaded);
    m_copyErrorAction->setEnabled(m_currentKey != 0);
    m_openRunAction->setEnabled(m_currentKey != 0);
    m_openLogsAction->setEnabled(m_currentKey != 0);
    menu.addAction(m_copyIdsAction);
    menu.addAction(m_copyCommandAction);
    menu.addAction(m_copyErrorAction);
    menu.addSeparator();
    menu.addAction(m_retryAction);
    menu.addAction(m_editAction);
    menu.addAction(m_archiveAction);
    menu.addAction(m_purgeAction);
    menu.addSeparator();
    menu.addAction(m_openRunAction);
    menu.addAction(m_openLogsAction);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void DeadLettersView::showGroupsMenu(const QPoint& pos) {
    if (m_signature.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(tr("Retry this group…"), this, [this] { openBulkDialog(dlq::BulkAction::Retry); });
    menu.addAction(tr("Archive this group…"), this, [this] { openBulkDialog(dlq::BulkAction::Archive); });
    menu.addAction(tr("Copy signature"), this,
                   [this] { QGuiApplication::clipboard()->setText(m_signature); });
    menu.exec(m_groupTable->viewport()->mapToGlobal(pos));
}

// ---- backend answers ------------------------------------------------------------------

void DeadLettersView::handleCommandFinished(Ticket ticket, const CommandResult& result) {
    const auto it = m_commands.constFind(ticket);
    if (ticket == 0 || it == m_commands.constEnd())
        return;
    const QString description = *it;
    m_commands.erase(it);
    if (result.ok)
        Q_EMIT statusMessage(result.message.isEmpty() ? tr("%1: done.").arg(description) : result.message);
    else
        Q_EMIT errorOccurred(result.message.isEmpty() ? tr("%1 failed.").arg(description) : result.message);
    m_changes.poke();
}

void DeadLettersView::handleDeadLetterFetched(Ticket ticket, const dlq::DeadLetter& entry) {
    if (ticket == 0 || ticket != m_detailTicket)
        return;
    m_detailTicket = 0;
    m_detail->showEntry(entry);
    if (m_editWhenLoaded == entry.key) {
        m_editWhenLoaded = 0;
        openEditDialog(entry);
    }
}

void DeadLettersView::handleFailed(Ticket ticket, const QString& message) {
    if (ticket == 0)
        return;
    if (ticket == m_detailTicket) {
        m_detailTicket = 0;
        m_editWhenLoaded = 0;
        // Forget the key, or every change event would ask for it (and fail) again.
        if (m_entries->rowOfKey(m_currentKey) < 0) {
            m_currentKey = 0;
            m_selectedKeys.clear();
        }
        m_detail->showPlaceholder(message);
        Q_EMIT errorOccurred(message);
    } else if (ticket == m_countTicket) {
        m_countTicket = 0;
        m_total->setText(tr("count unavailable"));
        Q_EMIT errorOccurred(message);
    } else if (ticket == m_statsTicket) {
        m_statsTicket = 0;
    } else if (const auto it = m_commands.constFind(ticket); it != m_commands.constEnd()) {
        m_commands.erase(it);
        Q_EMIT errorOccurred(message);
    }
}

// ---- links and state ------------------------------------------------------------------

void DeadLettersView::navigate(const QUrl& link) {
    const QStringList segments = links::segments(link);
    if (segments.isEmpty())
        return;
    bool ok = false;
    qint64 key = segments.constFirst().toLongLong(&ok);
    if (!ok) {
        const std::optional<qint64> parsed = dlq::entryKeyFromId(segments.constFirst());
        ok = parsed.has_value();
        key = parsed.value_or(0);
    }
    if (!ok || key <= 0) {
        Q_EMIT errorOccurred(tr("Not a dead letter: %1").arg(segments.constFirst()));
        return;
    }
    m_currentKey = key;
    m_selectedKeys = {key};
    m_side->setCurrentWidget(m_detail);
    // Shown from fetchDeadLetter whether or not the entry is in the loaded pages.
    requestDetail();
    restoreSelection();
    const int row = m_entries->rowOfKey(key);
    if (row >= 0)
        m_table->scrollTo(m_entries->index(row, 0));
}

void DeadLettersView::activated() {
    if (backendReady())
        m_changes.poke();
}

void DeadLettersView::saveState(QSettings& settings) const {
    const dlq::DlqFilter filter = filterBarFilter();
    QStringList statuses;
    for (dlq::DlqStatus status : filter.statuses)
        statuses << dlq::toString(status);
    settings.setValue(QStringLiteral("filter/statuses"), statuses);
    settings.setValue(QStringLiteral("filter/category"), m_category->currentData().toString());
    settings.setValue(QStringLiteral("filter/workflow"), filter.workflow);
    settings.setValue(QStringLiteral("filter/task"), filter.taskId);
    settings.setValue(QStringLiteral("filter/repo"), filter.repo);
    settings.setValue(QStringLiteral("filter/error"), filter.errorContains);
    settings.setValue(QStringLiteral("grouped"), isGrouped());
    settings.setValue(QStringLiteral("mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("listSplitter"), m_listSplitter->saveState());
    settings.setValue(QStringLiteral("entriesHeader"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("groupsHeader"), m_groupTable->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("sideTab"), m_side->currentIndex());
}

void DeadLettersView::restoreState(QSettings& settings) {
    dlq::DlqFilter filter;
    for (const QString& name : settings.value(QStringLiteral("filter/statuses")).toStringList()) {
        if (const std::optional<dlq::DlqStatus> status = dlq::dlqStatusFromString(name))
            filter.statuses << *status;
    }
    if (const std::optional<ErrorCategory> category =
            errorCategoryFromString(settings.value(QStringLiteral("filter/category")).toString());
        category && *category != ErrorCategory::None)
        filter.categories << *category;
    filter.workflow = settings.value(QStringLiteral("filter/workflow")).toString();
    filter.taskId = settings.value(QStringLiteral("filter/task")).toString();
    filter.repo = settings.value(QStringLiteral("filter/repo")).toString();
    filter.errorContains = settings.value(QStringLiteral("filter/error")).toString();

    m_mainSplitter->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    m_listSplitter->restoreState(settings.value(QStringLiteral("listSplitter")).toByteArray());
    m_groupTable->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("groupsHeader")).toByteArray());
    QHeaderView* header = m_table->horizontalHeader();
    if (header->restoreState(settings.value(QStringLiteral("entriesHeader")).toByteArray()))
        m_entries->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_side->setCurrentIndex(settings.value(QStringLiteral("sideTab"), 0).toInt());
    {
        QSignalBlocker block(m_groupedAction);
        m_groupedAction->setChecked(settings.value(QStringLiteral("grouped"), false).toBool());
        m_groupTable->setVisible(m_groupedAction->isChecked());
    }
    setFilterBar(filter); // applies
}

} // namespace signalbox::ui
