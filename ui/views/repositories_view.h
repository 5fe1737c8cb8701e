#pragma once
// The Repositories view: the repo catalog with each repo's last result. Add a folder
// (name, tags, role, description), edit or remove an entry, open its folder, filter by
// tag; double-clicking a last result opens that instance.

#include "backend/backend_types.h"
#include "views/view.h"

#include <QHash>

class QComboBox;
class QPushButton;
class QTableView;

namespace signalbox::ui {

class Coalescer;
class RepositoriesModel;

class RepositoriesView final : public View {
    Q_OBJECT
public:
    explicit RepositoriesView(Backend& backend, QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("repositories"); }
    QString title() const override { return tr("Repositories"); }

    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void navigate(const QUrl& link) override;
    void activated() override;

    // Opens the (window-modal, non-blocking) dialog for a new entry over `folder`;
    // accepting it adds the repo. Returns the dialog (tests fill it in).
    QDialog* addRepository(const QString& folder);
    QDialog* editSelected();
    void removeRepository(const QString& name); // no confirmation: removeSelected() asks
    void removeSelected();
    void openSelectedFolder();
    // The instance of the selected repo's last result (signalbox://runs/RUN/INDEX).
    void openLastResult();

    QString selectedRepository() const;
    void selectRepository(const QString& name);
    void setTagFilter(const QString& tag);
    RepositoriesModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

private:
    void buildActions();
    void chooseFolder();
    void updateTagChoices();
    void updateButtons();
    void track(Ticket ticket, const QString& what);
    void onCommandFinished(Ticket ticket, const CommandResult& result);
    void onRunFetched(Ticket ticket, const RunDetail& detail);
    void onFailed(Ticket ticket, const QString& message);

    RepositoriesModel* m_model = nullptr;
    Coalescer* m_refresh = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_tagFilter = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_edit = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_openFolder = nullptr;
    QAction* m_addAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_removeAction = nullptr;
    QAction* m_openFolderAction = nullptr;
    QString m_pendingSelection;
    bool m_columnsFitted = false; // once, on the first rows (unless a saved layout came first)
    QHash<Ticket, QString> m_commands;
    // Repos to select once their add is answered: selected by the refresh that command's
    // answer starts (a refresh already in flight may not list them yet).
    QHash<Ticket, QString> m_selectAfter;
    // fetchRun for "open last result": ticket -> (repo name, task id)
    QHash<Ticket, QPair<QString, QString>> m_resultLookups;
};

} // namespace signalbox::ui
