#pragma once
// Finds the first line of a run's output (or one instance's) that looks like an error:
// the first stderr line, or the first line matching error|fail|exception, whichever comes
// first. The regex half is Backend::searchLog; the stderr half reads pages of lines on
// the backend thread and stops as soon as no earlier stderr line can exist.

#include "backend/backend_types.h"

#include <QObject>

namespace signalbox::ui {

class Backend;

class LogFirstErrorFinder final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFirstErrorFinder)
public:
    static constexpr int PageSize = 20'000;
    static QString errorPattern() { return QStringLiteral("error|fail|exception"); }

    explicit LogFirstErrorFinder(Backend& backend, QObject* parent = nullptr);

    // Starts over (an earlier search's answers are dropped).
    void find(const QString& runId, int index);
    bool isRunning() const { return m_searchTicket != 0 || m_pageTicket != 0; }

Q_SIGNALS:
    // 0-based line number; -1 = nothing looks like an error.
    void finished(qint64 lineNumber);
    void failed(const QString& message);

private:
    void fetchPage();
    void onSearchFinished(Ticket ticket, const LogSearchResult& result);
    void onLines(Ticket ticket, const QList<LogLine>& lines);
    void onFailed(Ticket ticket, const QString& message);
    void finishIfDone();

    Backend& m_backend;
    QString m_runId;
    int m_index = -1;
    Ticket m_searchTicket = 0;
    Ticket m_pageTicket = 0;
    bool m_searchDone = false;
    bool m_scanDone = false;
    qint64 m_regexLine = -1;  // first regex match; -1 = none
    qint64 m_stderrLine = -1; // first stderr line; -1 = none so far
    qint64 m_scanned = 0;     // lines read by the stderr scan
    qint64 m_afterId = 0;
};

} // namespace signalbox::ui
