#pragma once
// Lets store commit callbacks (which run on the store's writer thread) reach a QObject on
// its own thread while it exists, and do nothing once it is gone: the object owns a
// shared_ptr<CommitAnnouncer>, callbacks hold copies, and the object's destructor calls
// detach() before anything it owns goes away.

#include <QMetaObject>
#include <QObject>
#include <functional>
#include <mutex>

namespace signalbox {

class CommitAnnouncer final {
public:
    explicit CommitAnnouncer(QObject* target)
        : m_target(target) {}

    // Runs fn on the target's thread (queued), unless the target detached meanwhile.
    void post(std::function<void()> fn) {
        const std::lock_guard lock(m_mutex);
        if (m_target)
            QMetaObject::invokeMethod(m_target, std::move(fn), Qt::QueuedConnection);
    }

    void detach() {
        const std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }

private:
    std::mutex m_mutex;
    QObject* m_target;
};

} // namespace signalbox
