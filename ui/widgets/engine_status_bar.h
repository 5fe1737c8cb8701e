#pragma once
// The window's status bar: the engine's state, tasks running now and the dead letter
// queue's depth (pending + exhausted). Re-queried through one small overview query,
// coalesced over change events, never while the engine is not ready.

#include "backend/backend.h"

#include <QObject>

class QLabel;
class QStatusBar;

namespace signalbox::ui {

class Coalescer;

class EngineStatusBar final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineStatusBar)
public:
    EngineStatusBar(Backend& backend, QStatusBar* bar);

    bool hasSummary() const { return m_hasSummary; }
    int runningTasks() const { return m_runningTasks; }
    qint64 dlqDepth() const { return m_dlqDepth; }
    static QString stateText(Backend::State state);

Q_SIGNALS:
    // A summary arrived (the first one: the console has its first data).
    void summaryUpdated(int runningTasks, qint64 dlqDepth);

private:
    void handleStateChanged(Backend::State state, const QString& message);
    void handleOverviewFetched(Ticket ticket, const Overview& overview);
    void refresh();

    Backend& m_backend;
    QLabel* m_state = nullptr;
    QLabel* m_running = nullptr;
    QLabel* m_dlq = nullptr;
    Coalescer* m_coalescer = nullptr;
    Ticket m_ticket = 0;
    bool m_hasSummary = false;
    int m_runningTasks = 0;
    qint64 m_dlqDepth = 0;
};

} // namespace signalbox::ui
