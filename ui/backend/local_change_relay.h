#pragma once
// Turns the engine session's change signals (on the backend thread) into the Backend's
// change events (on the GUI thread), folding bursts: per 50 ms at most one event per run,
// instance, job or kind. A run writing 50,000 lines/s then costs the GUI thread about
// twenty queued calls a second, not 50,000.
//
// Dead letters reach the list queries only after the store's inbox is drained: after
// entriesEnqueued the relay syncs the store (on this thread) before announcing them.

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>

namespace signalbox::engine {
class EngineSession;
}

namespace signalbox::ui {

class Backend;

class LocalChangeRelay final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalChangeRelay)
public:
    // post(f) runs f on the GUI thread with the backend whose signals to emit.
    using Post = std::function<void(std::function<void(Backend&)>)>;
    LocalChangeRelay(engine::EngineSession& session, Post post, QObject* parent = nullptr);

    // A change made by a command of this backend (settings, catalog) to announce.
    void markDlqSettingsChanged();
    void markRepositoriesChanged();
    void markPoolsChanged();
    // Dead letters were enqueued and may still sit in the store's inbox: list queries
    // call syncIfNeeded() first.
    bool dlqInboxDirty() const { return m_inboxDirty; }
    void syncIfNeeded();

private:
    void arm();
    void flush();

    engine::EngineSession& m_session;
    Post m_post;
    QTimer m_timer;
    QSet<QString> m_runs;
    QSet<QPair<QString, int>> m_instances;
    QSet<QString> m_logRuns;
    QSet<qint64> m_jobs;
    bool m_engineLog = false;
    bool m_deadLetters = false;
    bool m_pools = false;
    bool m_repositories = false;
    bool m_dlqSettings = false;
    bool m_inboxDirty = false;
};

} // namespace signalbox::ui
