#pragma once
// The Dead Letters view: the queue as a table (paged, filtered and sorted in SQL), an
// optional grouped mode (one row per error signature; picking a group filters the
// table), a detail pane, statistics, and the actions: retry, edit and retry, archive,
// purge, and bulk actions over the current filter or group with an exact count, typed
// confirmation and a cancellable progress bar (dialogs/bulk_action_dialog.h).

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "views/view.h"

#include <QHash>
#include <QList>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace signalbox::ui {

class BulkActionDialog;
class DeadLetterDetail;
class DlqEntriesModel;
class DlqGroupsModel;
class DlqStatsChart;

class DeadLettersView final : public View {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLettersView)
public:
    explicit DeadLettersView(Backend& backend, QWidget* parent = nullptr);
    ~DeadLettersView() override;

    QString viewId() const override { return QStringLiteral("dlq"); }
    QString title() const override { return tr("Dead Letters"); }
    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void navigate(const QUrl& link) override;
    void activated() override;

    // The filter bar's filter (without the selected group) and the one the table shows.
    dlq::DlqFilter filterBarFilter() const;
    dlq::DlqFilter effectiveFilter() const;
    // Sets the filter bar's widgets (tests, links) and applies them.
    void setFilterBar(const dlq::DlqFilter& filter);
    void setGrouped(bool grouped);
    bool isGrouped() const;
    // Selects the group with that signature in grouped mode (its entries fill the table).
    void selectGroup(const QString& signature);

    QList<qint64> selectedKeys() const;
    qint64 currentKey() const { return m_currentKey; }
    DlqEntriesModel* entriesModel() const { return m_entries; }
    DlqGroupsModel* groupsModel() const { return m_groups; }
    // Opens the bulk dialog for the current filter (and group); also what the actions do.
    BulkActionDialog* openBulkDialog(dlq::BulkAction action);

private:
    void buildFilterBar(QWidget* bar);
    void buildActions();
    void connectBackend();
    bool backendReady() const;

    void applyFilter();       // filter bar or group changed: first pages again
    void refreshEverything(); // change events: reload what is shown, keep selection
    void requestCount();
    void requestDetail();
    void updateStatusButtonText();
    void updateActions();

    void handleSelectionChanged();
    void handleGroupChanged();
    void restoreSelection();
    void restoreGroupSelection();

    void retrySelected();
    void editAndRetrySelected();
    void openEditDialog(const dlq::DeadLetter& entry);
    void archiveSelected();
    void purgeSelected();
    void copySelectedIds();
    void copyCommand();
    void copyError();
    void showEntriesMenu(const QPoint& pos);
    void showGroupsMenu(const QPoint& pos);
    void sendCommand(Ticket ticket, const QString& description);

    void handleCommandFinished(Ticket ticket, const CommandResult& result);
    void handleDeadLetterFetched(Ticket ticket, const dlq::DeadLetter& entry);
    void handleFailed(Ticket ticket, const QString& message);

    DlqEntriesModel* m_entries = nullptr;
    DlqGroupsModel* m_groups = nullptr;
    QTableView* m_table = nullptr;
    QTableView* m_groupTable = nullptr;
    DeadLetterDetail* m_detail = nullptr;
    DlqStatsChart* m_stats = nullptr;
    QTabWidget* m_side = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_listSplitter = nullptr;

    QToolButton* m_statusButton = nullptr;
    QMenu* m_statusMenu = nullptr;
    QComboBox* m_category = nullptr;
    QLineEdit* m_workflow = nullptr;
    QLineEdit* m_task = nullptr;
    QLineEdit* m_repo = nullptr;
    QLineEdit* m_errorText = nullptr;
    QLabel* m_total = nullptr;

    QAction* m_retryAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_archiveAction = nullptr;
    QAction* m_purgeAction = nullptr;
    QAction* m_bulkRetryAction = nullptr;
    QAction* m_bulkArchiveAction = nullptr;
    QAction* m_bulkPurgeAction = nullptr;
    QAction* m_groupedAction = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_copyIdsAction = nullptr;
    QAction* m_copyCommandAction = nullptr;
    QAction* m_copyErrorAction = nullptr;
    QAction* m_openRunAction = nullptr;
    QAction* m_openLogsAction = nullptr;

    Coalescer m_changes;     // change events -> one reload per 100 ms
    Coalescer m_filterEdits; // typing in the filter bar -> one query per pause

    qint64 m_currentKey = 0;
    QList<qint64> m_selectedKeys;
    QString m_signature;         // the selected group in grouped mode
    qint64 m_editWhenLoaded = 0; // open the edit dialog once this entry's detail arrives
    bool m_restoringSelection = false;
    Ticket m_countTicket = 0;
    Ticket m_detailTicket = 0;
    Ticket m_statsTicket = 0;
    QHash<Ticket, QString> m_commands; // command ticket -> what it was, for the message
};

} // namespace signalbox::ui
