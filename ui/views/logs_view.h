#pragma once
// The Logs view: the engine's own log, or any run's output (every instance or one),
// live. A run's output is a virtual table over millions of lines (LogLinesModel); a
// stream filter (only stderr, say) switches to LogStreamFilterModel. Follow mode keeps
// the newest line in view until the user scrolls up; a regular expression search runs on
// the backend and F3 / Shift+F3 walk its hits; "first error" jumps to the first line that
// looks like one; export writes the output to a file; Ctrl+C copies the selected lines.

#include "backend/backend_types.h"
#include "views/view.h"

#include <QHash>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QTableView;
class QToolButton;

namespace signalbox::ui {

class Coalescer;
class EngineLogModel;
class LogFirstErrorFinder;
class LogLineDelegate;
class LogLinesModel;
class LogSearchBar;
class LogStreamFilterModel;

class LogsView final : public View {
    Q_OBJECT
public:
    explicit LogsView(Backend& backend, QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("logs"); }
    QString title() const override { return tr("Logs"); }

    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void navigate(const QUrl& link) override;
    void activated() override;

    void showEngineLog();
    // Every instance of the run for index -1.
    void showRun(const QString& runId, int index = -1);
    QString currentRunId() const { return m_runId; }
    int currentInstance() const { return m_instance; }

    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);

    void search(const QString& pattern);
    void findNext();
    void findPrevious();
    int hitCount() const { return int(m_hits.size()); }
    int currentHit() const { return m_hitPos; }
    void jumpToFirstError();
    void exportTo(const QString& path);
    void copySelection();

    QTableView* table() const { return m_table; }
    QAbstractItemModel* currentModel() const;
    LogLinesModel* linesModel() const { return m_lines; }
    EngineLogModel* engineModel() const { return m_engine; }
    LogStreamFilterModel* streamModel() const { return m_streams; }

private:
    enum class Mode { Engine, Run, RunFiltered };

    void buildActions();
    void applySource();
    void setModelFor(Mode mode);
    void fillFilterChoices();
    void fitColumns();
    void refreshRunList();
    void refreshRunDetail();
    void onRunsFetched(Ticket ticket, const RunPage& page);
    void onRunFetched(Ticket ticket, const RunDetail& detail);
    void onSearchFinished(Ticket ticket, const LogSearchResult& result);
    void onCommandFinished(Ticket ticket, const CommandResult& result);
    void onFailed(Ticket ticket, const QString& message);
    void onRowsAdded();
    void onUserScrolled();
    void setHits(const QList<qint64>& rows, bool truncated);
    void clearHits();
    void goToHit(int position);
    void goToRow(qint64 row);
    QList<qint64> searchLoaded(const QString& pattern, int limit) const;
    QString rowText(int row) const;
    void updateLinesLabel();
    void exportEngineLog(const QString& path);
    void chooseExportFile();
    bool eventFilter(QObject* watched, QEvent* event) override;

    Mode m_mode = Mode::Engine;
    QString m_runId;   // empty = the engine log
    int m_instance = -1;

    EngineLogModel* m_engine = nullptr;
    LogLinesModel* m_lines = nullptr;
    LogStreamFilterModel* m_streams = nullptr;
    LogLineDelegate* m_delegate = nullptr;
    LogFirstErrorFinder* m_errorFinder = nullptr;

    QComboBox* m_source = nullptr;
    QComboBox* m_instanceBox = nullptr;
    QComboBox* m_filter = nullptr;
    QToolButton* m_follow = nullptr;
    QToolButton* m_firstError = nullptr;
    QToolButton* m_export = nullptr;
    LogSearchBar* m_searchBar = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_linesLabel = nullptr;

    QAction* m_findAction = nullptr;
    QAction* m_nextAction = nullptr;
    QAction* m_previousAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_firstErrorAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_engineLogAction = nullptr;

    Coalescer* m_logRefresh = nullptr;    // new output of the shown run
    Coalescer* m_engineRefresh = nullptr; // new engine log entries
    Coalescer* m_runsRefresh = nullptr;   // the source list
    Coalescer* m_detailRefresh = nullptr; // the shown run's instances

    bool m_following = true;
    bool m_scrollPending = false;
    // Saved filter choices per kind of source.
    int m_levelChoice = 0;
    int m_streamChoice = 0;

    QList<qint64> m_hits;
    bool m_hitsTruncated = false;
    int m_hitPos = -1;
    QString m_searchedPattern;
    qint64 m_pendingJumpRow = -1; // a hit beyond the rows known so far

    Ticket m_runsTicket = 0;
    Ticket m_detailTicket = 0;
    Ticket m_searchTicket = 0;
    Ticket m_exportTicket = 0;
    QString m_exportPath;
    QHash<int, QString> m_labels;
};

} // namespace signalbox::ui
