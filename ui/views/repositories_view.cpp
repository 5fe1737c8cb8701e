#include "views/repositories_view.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "dialogs/repository_dialog.h"
#include "models/repositories_model.h"
#include "views/links.h"

#include <QAction>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <utility>

namespace signalbox::ui {

RepositoriesView::RepositoriesView(Backend& backend, QWidget* parent)
    : View(backend, parent) {
    setObjectName(viewId());
    m_model = new RepositoriesModel(backend, this);
    m_refresh = new Coalescer([this] { m_model->refresh(); }, 100, this);

    m_add = new QPushButton(tr("&Add folder…"), this);
    m_add->setObjectName(QStringLiteral("addButton"));
    m_edit = new QPushButton(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editButton"));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeButton"));
    m_openFolder = new QPushButton(tr("&Open folder"), this);
    m_openFolder->setObjectName(QStringLiteral("openFolderButton"));
    m_tagFilter = new QComboBox(this);
    m_tagFilter->setObjectName(QStringLiteral("tagFilter"));
    m_tagFilter->addItem(tr("All tags"), QString());
    m_tagFilter->setMinimumContentsLength(12);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("repositoriesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* toolbar = new QHBoxLayout;
    toolbar->addWidget(m_add);
    toolbar->addWidget(m_edit);
    toolbar->addWidget(m_remove);
    toolbar->addWidget(m_openFolder);
    toolbar->addStretch(1);
    toolbar->addWidget(new QLabel(tr("Tag:"), this));
    toolbar->addWidget(m_tagFilter);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(m_table, 1);

    buildActions();

    connect(m_add, &QPushButton::clicked, this, &RepositoriesView::chooseFolder);
    connect(m_edit, &QPushButton::clicked, this, &RepositoriesView::editSelected);
    connect(m_remove, &QPushButton::clicked, this, &RepositoriesView::removeSelected);
    connect(m_openFolder, &QPushButton::clicked, this, &RepositoriesView::openSelectedFolder);
    connect(m_tagFilter, &QComboBox::activated, this,
            [this](int row) { m_model->setTagFilter(m_tagFilter->itemData(row).toString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RepositoriesView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RepositoriesView::updateButtons);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.column() == RepositoriesModel::ResultColumn || index.column() == RepositoriesModel::RunColumn
            || index.column() == RepositoriesModel::WhenColumn)
            openLastResult();
        else
            editSelected();
    });
    // A refresh that changes the rows resets the model: keep the selection by name.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        if (m_pendingSelection.isEmpty())
            m_pendingSelection = selectedRepository();
    });
    connect(m_model, &RepositoriesModel::refreshed, this, [this] {
        updateTagChoices();
        // A wanted repo that is not listed (any more) is given up, not chased on every refresh.
        const QString wanted = std::exchange(m_pendingSelection, QString());
        if (const int row = m_model->rowOf(wanted); !wanted.isEmpty() && row >= 0)
            m_table->selectRow(row);
        if (!m_columnsFitted && m_model->rowCount() > 0) {
            m_table->resizeColumnsToContents();
            m_columnsFitted = true;
        }
        updateButtons();
    });
    connect(m_model, &RepositoriesModel::loadFailed, this, &View::errorOccurred);
    connect(&backend, &Backend::repositoriesChanged, m_refresh, &Coalescer::poke);
    connect(&backend, &Backend::runChanged, m_refresh, &Coalescer::poke); // last results
    connect(&backend, &Backend::commandFinished, this, &RepositoriesView::onCommandFinished);
    connect(&backend, &Backend::runFetched, this, &RepositoriesView::onRunFetched);
    connect(&backend, &Backend::failed, this, &RepositoriesView::onFailed);
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state) {
        if (state == Backend::State::Ready)
            m_refresh->flush();
    });
    if (backend.state() == Backend::State::Ready)
        m_model->refresh();
    updateButtons();
}

void RepositoriesView::buildActions() {
    m_addAction = new QAction(tr("Add repository…"), this);
    m_addAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_editAction = new QAction(tr("Edit repository…"), this);
    m_editAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_removeAction = new QAction(tr("Remove repository"), this);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_openFolderAction = new QAction(tr("Open repository folder"), this);
    m_openFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    for (QAction* action : {m_addAction, m_editAction, m_removeAction, m_openFolderAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(m_addAction, &QAction::triggered, this, &RepositoriesView::chooseFolder);
    connect(m_editAction, &QAction::triggered, this, &RepositoriesView::editSelected);
    connect(m_removeAction, &QAction::triggered, this, &RepositoriesView::removeSelected);
    connect(m_openFolderAction, &QAction::triggered, this, &RepositoriesView::openSelectedFolder);
}

QList<QAction*> RepositoriesView::paletteActions() {
    return {m_addAction, m_editAction, m_removeAction, m_openFolderAction};
}

QString RepositoriesView::selectedRepository() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.constFirst().data(RepositoriesModel::NameRole).toString();
}

void RepositoriesView::selectRepository(const QString& name) {
    const int row = m_model->rowOf(name);
    if (row < 0) {
        m_pendingSelection = name;
        return;
    }
    m_pendingSelection.clear();
    m_table->selectRow(row);
}

void RepositoriesView::setTagFilter(const QString& tag) {
    int row = m_tagFilter->findData(tag);
    if (row < 0) {
        m_tagFilter->addItem(tag, tag);
        row = m_tagFilter->count() - 1;
    }
    m_tagFilter->setCurrentIndex(row);
    m_model->setTagFilter(tag);
}

void RepositoriesView::updateTagChoices() {
    const QString current = m_model->tagFilter();
    const QSignalBlocker blocker(m_tagFilter);
    m_tagFilter->clear();
    m_tagFilter->addItem(tr("All tags"), QString());
    for (const QString& tag : m_model->allTags())
        m_tagFilter->addItem(tag, tag);
    if (!current.isEmpty() && m_tagFilter->findData(current) < 0)
        m_tagFilter->addItem(current, current);
    m_tagFilter->setCurrentIndex(std::max(0, m_tagFilter->findData(current)));
}

void RepositoriesView::updateButtons() {
    const bool selected = !selectedRepository().isEmpty();
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_openFolder->setEnabled(selected);
    m_editAction->setEnabled(selected);
    m_removeAction->setEnabled(selected);
    m_openFolderAction->setEnabled(selected);
}

void RepositoriesView::chooseFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add repository folder"));
    if (!folder.isEmpty())
        addRepository(folder);
}

QDialog* RepositoriesView::addRepository(const QString& folder) {
    auto* dialog = new RepositoryDialog(folder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const CatalogRepo repo = dialog->repo();
        const Ticket ticket = backend().addRepository(repo);
        track(ticket, tr("Repository %1 added").arg(repo.name));
        m_selectAfter.insert(ticket, repo.name);
    });
    dialog->open();
    return dialog;
}

QDialog* RepositoriesView::editSelected() {
    const RepoSummary* summary = m_model->repo(m_model->rowOf(selectedRepository()));
    if (!summary) {
        Q_EMIT errorOccurred(tr("Select a repository first."));
        return nullptr;
    }
    auto* dialog = new RepositoryDialog(summary->repo, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const CatalogRepo repo = dialog->repo();
        track(backend().addRepository(repo), tr("Repository %1 updated").arg(repo.name));
    });
    dialog->open();
    return dialog;
}

void RepositoriesView::removeRepository(const QString& name) {
    track(backend().removeRepository(name), tr("Repository %1 removed from the catalog").arg(name));
}

void RepositoriesView::removeSelected() {
    const QString name = selectedRepository();
    if (name.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a repository first."));
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Remove repository"),
        tr("Remove %1 from the catalog? The folder itself is not touched.").arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        removeRepository(name);
}

void RepositoriesView::openSelectedFolder() {
    const RepoSummary* summary = m_model->repo(m_model->rowOf(selectedRepository()));
    if (!summary) {
        Q_EMIT errorOccurred(tr("Select a repository first."));
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(summary->repo.path)))
        Q_EMIT errorOccurred(tr("Could not open %1").arg(summary->repo.path));
}

// RepoSummary names the run and task of the last result but not the instance index:
// read the run to find the instance of that task on this repo.
void RepositoriesView::openLastResult() {
    const RepoSummary* summary = m_model->repo(m_model->rowOf(selectedRepository()));
    if (!summary || !summary->hasResult)
        return;
    m_resultLookups.insert(backend().fetchRun(summary->lastRunId), {summary->repo.name, summary->lastTaskId});
}

void RepositoriesView::onRunFetched(Ticket ticket, const RunDetail& detail) {
    const auto it = m_resultLookups.constFind(ticket);
    if (it == m_resultLookups.cend())
        return;
    const auto [repo, taskId] = it.value();
    m_resultLookups.erase(it);
    for (const InstanceRecord& instance : detail.instances) {
        if (instance.repo == repo && instance.taskId == taskId) {
            Q_EMIT linkActivated(links::instance(detail.run.id, instance.index));
            return;
        }
    }
    Q_EMIT linkActivated(links::run(detail.run.id));
}

void RepositoriesView::track(Ticket ticket, const QString& what) { m_commands.insert(ticket, what); }

void RepositoriesView::onCommandFinished(Ticket ticket, const CommandResult& result) {
    const auto it = m_commands.constFind(ticket);
    if (it == m_commands.cend())
        return;
    const QString what = it.value();
    m_commands.erase(it);
    const QString select = m_selectAfter.take(ticket);
    if (result.ok)
        Q_EMIT statusMessage(what);
    else
        Q_EMIT errorOccurred(result.message);
    if (result.ok && !select.isEmpty())
        m_pendingSelection = select;
    m_refresh->flush(); // supersedes a refresh in flight: its answer lists the change
}

void RepositoriesView::onFailed(Ticket ticket, const QString& message) {
    m_selectAfter.remove(ticket);
    if (m_commands.remove(ticket) > 0 || m_resultLookups.remove(ticket) > 0)
        Q_EMIT errorOccurred(message);
}

void RepositoriesView::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("tagFilter"), m_model->tagFilter());
}

void RepositoriesView::restoreState(QSettings& settings) {
    if (m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("header")).toByteArray()))
        m_columnsFitted = true;
    const QString tag = settings.value(QStringLiteral("tagFilter")).toString();
    if (!tag.isEmpty())
        setTagFilter(tag);
}

void RepositoriesView::navigate(const QUrl& link) {
    const QStringList parts = links::segments(link);
    if (!parts.isEmpty())
        selectRepository(parts.constFirst());
}

void RepositoriesView::activated() { m_refresh->poke(); }

} // namespace signalbox::ui
