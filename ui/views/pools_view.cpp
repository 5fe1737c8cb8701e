#include "views/pools_view.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "models/pools_model.h"
#include "views/links.h"

#include <QAction>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <utility>

namespace signalbox::ui {

PoolsView::PoolsView(Backend& backend, QWidget* parent)
    : View(backend, parent) {
    setObjectName(viewId());
    m_model = new PoolsModel(backend, this);
    m_refresh = new Coalescer([this] { m_model->refresh(); }, 100, this);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("poolsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* box = new QGroupBox(tr("Selected pool"), this);
    m_poolLabel = new QLabel(tr("No pool selected"), box);
    m_poolLabel->setObjectName(QStringLiteral("poolLabel"));
    m_stateLabel = new QLabel(box);
    m_stateLabel->setObjectName(QStringLiteral("poolStateLabel"));
    m_capacity = new QSpinBox(box);
    m_capacity->setObjectName(QStringLiteral("capacitySpin"));
    m_capacity->setRange(1, 4096);
    m_capacity->setToolTip(tr("Workers: launches the pool runs at the same time"));
    m_apply = new QPushButton(tr("Set &workers"), box);
    m_apply->setObjectName(QStringLiteral("applyCapacityButton"));
    m_pause = new QPushButton(tr("&Pause"), box);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setToolTip(tr("Take no new launches; running ones go on"));
    m_resume = new QPushButton(tr("&Resume"), box);
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_drain = new QPushButton(tr("&Drain"), box);
    m_drain->setObjectName(QStringLiteral("drainButton"));
    m_drain->setToolTip(tr("Take no new launches and show the pool as draining until its running launches finish"));

    auto* capacityRow = new QHBoxLayout;
    capacityRow->addWidget(m_capacity, 1);
    capacityRow->addWidget(m_apply);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_drain);
    auto* form = new QFormLayout(box);
    form->addRow(m_poolLabel);
    form->addRow(tr("State:"), m_stateLabel);
    form->addRow(tr("Workers:"), capacityRow);
    form->addRow(buttons);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(box);
    sideLayout->addStretch(1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("poolsSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(side);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    buildActions();

    connect(m_apply, &QPushButton::clicked, this, &PoolsView::applyCapacity);
    connect(m_pause, &QPushButton::clicked, this, &PoolsView::pauseSelected);
    connect(m_resume, &QPushButton::clicked, this, &PoolsView::resumeSelected);
    connect(m_drain, &QPushButton::clicked, this, &PoolsView::drainSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PoolsView::onSelectionChanged);
    connect(m_model, &PoolsModel::refreshed, this, &PoolsView::onRefreshed);
    // A refresh that changes the rows resets the model: keep the selection by name.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (m_pendingSelection.isEmpty())
            m_pendingSelection = selectedPool();
    });
    connect(m_model, &PoolsModel::loadFailed, this, &View::errorOccurred);
    connect(&backend, &Backend::poolsChanged, m_refresh, &Coalescer::poke);
    connect(&backend, &Backend::runChanged, m_refresh, &Coalescer::poke); // busy/queued move with runs
    connect(&backend, &Backend::commandFinished, this, &PoolsView::onCommandFinished);
    connect(&backend, &Backend::failed, this, &PoolsView::onFailed);
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state) {
        if (state == Backend::State::Ready)
            m_refresh->flush();
    });
    if (backend.state() == Backend::State::Ready)
        m_model->refresh();
    updateControls();
}

void PoolsView::buildActions() {
    m_pauseAction = new QAction(tr("Pause pool"), this);
    m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_P));
    m_resumeAction = new QAction(tr("Resume pool"), this);
    m_resumeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R));
    m_drainAction = new QAction(tr("Drain pool"), this);
    m_drainAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D));
    for (QAction* action : {m_pauseAction, m_resumeAction, m_drainAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(m_pauseAction, &QAction::triggered, this, &PoolsView::pauseSelected);
    connect(m_resumeAction, &QAction::triggered, this, &PoolsView::resumeSelected);
    connect(m_drainAction, &QAction::triggered, this, &PoolsView::drainSelected);
}

QList<QAction*> PoolsView::paletteActions() { return {m_pauseAction, m_resumeAction, m_drainAction}; }

QString PoolsView::selectedPool() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.constFirst().data(PoolsModel::NameRole).toString();
}

void PoolsView::selectPool(const QString& name) {
    const int row = m_model->rowOf(name);
    if (row < 0) {
        m_pendingSelection = name;
        return;
    }
    m_pendingSelection.clear();
    m_table->selectRow(row);
}

void PoolsView::onRefreshed() {
    if (!m_columnsFitted && m_model->rowCount() > 0) {
        m_table->resizeColumnsToContents();
        m_columnsFitted = true;
    }
    // A wanted pool that is not listed (any more) is given up, not chased on every refresh.
    const QString wanted = std::exchange(m_pendingSelection, QString());
    if (const int row = m_model->rowOf(wanted); !wanted.isEmpty() && row >= 0)
        m_table->selectRow(row);
    else if (selectedPool().isEmpty() && m_model->rowCount() > 0)
        m_table->selectRow(0);
    updateControls();
}

void PoolsView::onSelectionChanged() { updateControls(); }

void PoolsView::updateControls() {
    const QString name = selectedPool();
    const PoolInfo* pool = m_model->pool(m_model->rowOf(name));
    const bool configurable = pool && pool->configurable;
    m_poolLabel->setText(pool ? QStringLiteral("<b>%1</b> (%2)").arg(pool->name.toHtmlEscaped(), pool->kind.toHtmlEscaped())
                              : tr("No pool selected"));
    m_stateLabel->setText(pool ? PoolsModel::stateText(*pool) : QString());
    if (pool && name != m_capacityShownFor) {
        m_capacityShownFor = name;
        m_capacity->setValue(pool->capacity > 0 ? pool->capacity : m_capacity->maximum());
    }
    m_capacity->setEnabled(configurable);
    m_apply->setEnabled(configurable);
    m_pause->setEnabled(configurable && !pool->paused);
    m_drain->setEnabled(configurable && !pool->paused && pool->busy > 0);
    m_resume->setEnabled(configurable && pool->paused);
    m_pauseAction->setEnabled(m_pause->isEnabled());
    m_resumeAction->setEnabled(m_resume->isEnabled());
    m_drainAction->setEnabled(configurable && !pool->paused);
    if (pool && !configurable)
        m_apply->setToolTip(tr("This pool's workers are not set from the console"));
}

void PoolsView::track(Ticket ticket, const QString& what) { m_commands.insert(ticket, what); }

void PoolsView::applyCapacity() {
    const QString pool = selectedPool();
    if (pool.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a pool first."));
        return;
    }
    const int workers = m_capacity->value();
    track(backend().setPoolCapacity(pool, workers), tr("Pool %1 now has %n worker(s)", nullptr, workers).arg(pool));
}

void PoolsView::pauseSelected() {
    const QString pool = selectedPool();
    if (pool.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a pool first."));
        return;
    }
    track(backend().setPoolPaused(pool, true), tr("Pool %1 paused: it takes no new launches").arg(pool));
}

void PoolsView::drainSelected() {
    const QString pool = selectedPool();
    if (pool.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a pool first."));
        return;
    }
    track(backend().setPoolPaused(pool, true),
          tr("Pool %1 draining: running launches finish, new ones wait").arg(pool));
}

void PoolsView::resumeSelected() {
    const QString pool = selectedPool();
    if (pool.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a pool first."));
        return;
    }
    track(backend().setPoolPaused(pool, false), tr("Pool %1 resumed").arg(pool));
}

void PoolsView::onCommandFinished(Ticket ticket, const CommandResult& result) {
    const auto it = m_commands.constFind(ticket);
    if (it == m_commands.cend())
        return;
    const QString what = it.value();
    m_commands.erase(it);
    if (result.ok)
        Q_EMIT statusMessage(what);
    else
        Q_EMIT errorOccurred(result.message);
    m_refresh->flush();
}

void PoolsView::onFailed(Ticket ticket, const QString& message) {
    if (m_commands.remove(ticket) > 0) {
        Q_EMIT errorOccurred(message);
        m_refresh->flush();
    }
}

void PoolsView::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("selectedPool"), selectedPool());
}

void PoolsView::restoreState(QSettings& settings) {
    if (m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("header")).toByteArray()))
        m_columnsFitted = true;
    m_splitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray());
    const QString pool = settings.value(QStringLiteral("selectedPool")).toString();
    if (!pool.isEmpty())
        selectPool(pool);
}

void PoolsView::navigate(const QUrl& link) {
    const QStringList parts = links::segments(link);
    if (!parts.isEmpty())
        selectPool(parts.constFirst());
}

void PoolsView::activated() { m_refresh->poke(); }

} // namespace signalbox::ui
