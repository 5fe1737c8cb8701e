#pragma once
// The Pools view: every worker pool with its workers, busy and queued launches, health,
// circuit and whether it takes new launches. A configurable pool (the local one) can be
// given another number of workers, paused, resumed or drained (paused until its running
// launches finish).

#include "backend/backend_types.h"
#include "views/view.h"

class QLabel;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTableView;

namespace signalbox::ui {

class Coalescer;
class PoolsModel;

class PoolsView final : public View {
    Q_OBJECT
public:
    explicit PoolsView(Backend& backend, QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("pools"); }
    QString title() const override { return tr("Pools"); }

    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void navigate(const QUrl& link) override;
    void activated() override;

    // The pool the buttons act on (the selected row); empty when none.
    QString selectedPool() const;
    void selectPool(const QString& name);
    PoolsModel* model() const { return m_model; }

    void applyCapacity();
    void pauseSelected();
    void resumeSelected();
    void drainSelected();

private:
    void buildActions();
    void onSelectionChanged();
    void onRefreshed();
    void updateControls();
    void onCommandFinished(Ticket ticket, const CommandResult& result);
    void onFailed(Ticket ticket, const QString& message);
    void track(Ticket ticket, const QString& what);

    PoolsModel* m_model = nullptr;
    Coalescer* m_refresh = nullptr;
    QSplitter* m_splitter = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_poolLabel = nullptr;
    QLabel* m_stateLabel = nullptr;
    QSpinBox* m_capacity = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_drain = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_resumeAction = nullptr;
    QAction* m_drainAction = nullptr;
    QString m_pendingSelection; // from navigate() before the pools arrived
    bool m_columnsFitted = false; // once, on the first rows (unless a saved layout came first)
    QString m_capacityShownFor; // the spin box is reset only when the selection changes
    QHash<Ticket, QString> m_commands; // ticket -> what it does, for the status line
};

} // namespace signalbox::ui
