#include "models/log_first_error_finder.h"

#include "backend/backend.h"

namespace signalbox::ui {

LogFirstErrorFinder::LogFirstErrorFinder(Backend& backend, QObject* parent)
    : QObject(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::logSearchFinished, this, &LogFirstErrorFinder::onSearchFinished);
    connect(&m_backend, &Backend::logLinesFetched, this, &LogFirstErrorFinder::onLines);
    connect(&m_backend, &Backend::failed, this, &LogFirstErrorFinder::onFailed);
}

void LogFirstErrorFinder::find(const QString& runId, int index) {
    m_runId = runId;
    m_index = index;
    m_searchDone = false;
    m_scanDone = false;
    m_regexLine = -1;
    m_stderrLine = -1;
    m_scanned = 0;
    m_afterId = 0;
    m_searchTicket = m_backend.searchLog(runId, index, errorPattern(), 1);
    fetchPage();
}

void LogFirstErrorFinder::fetchPage() {
    LogRequest request;
    request.runId = m_runId;
    request.index = m_index;
    request.afterId = m_afterId;
    request.limit = PageSize;
    m_pageTicket = m_backend.fetchLogLines(request);
}

void LogFirstErrorFinder::onSearchFinished(Ticket ticket, const LogSearchResult& result) {
    if (ticket != m_searchTicket)
        return;
    m_searchTicket = 0;
    m_searchDone = true;
    m_regexLine = result.lineNumbers.isEmpty() ? -1 : result.lineNumbers.constFirst();
    finishIfDone();
}

void LogFirstErrorFinder::onLines(Ticket ticket, const QList<LogLine>& lines) {
    if (ticket != m_pageTicket)
        return;
    m_pageTicket = 0;
    for (const LogLine& line : lines) {
        if (line.stream == LogStream::Stderr) {
            m_stderrLine = m_scanned;
            break;
        }
        ++m_scanned;
    }
    if (!lines.isEmpty())
        m_afterId = lines.constLast().id;
    // Past the regex hit nothing earlier can turn up: no need to read a million more lines.
    const bool pastRegexHit = m_searchDone && m_regexLine >= 0 && m_scanned > m_regexLine;
    if (m_stderrLine >= 0 || lines.size() < PageSize || pastRegexHit)
        m_scanDone = true;
    else
        fetchPage();
    finishIfDone();
}

void LogFirstErrorFinder::onFailed(Ticket ticket, const QString& message) {
    if (ticket != m_searchTicket && ticket != m_pageTicket)
        return;
    m_searchTicket = 0;
    m_pageTicket = 0;
    Q_EMIT failed(message);
}

void LogFirstErrorFinder::finishIfDone() {
    if (!m_searchDone)
        return;
    // The regex hit is known: a stderr line after it no longer matters.
    if (!m_scanDone && !(m_regexLine >= 0 && m_scanned > m_regexLine))
        return;
    m_pageTicket = 0; // a page still on its way is not needed any more
    m_searchDone = false; // answered: nothing more to say until the next find()
    qint64 first = m_regexLine;
    if (m_stderrLine >= 0 && (first < 0 || m_stderrLine < first))
        first = m_stderrLine;
    Q_EMIT finished(first);
}

} // namespace signalbox::ui
