#pragma once
// Turns a burst of change events into at most one refresh per interval: the first
// event arms a timer, the ones that follow within the interval are folded into it.
// Views use one per thing they re-query (a run writing 50,000 lines/s must not make
// the GUI re-query 50,000 times a second).

#include <QObject>
#include <QTimer>
#include <functional>

namespace signalbox::ui {

class Coalescer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Coalescer)
public:
    explicit Coalescer(std::function<void()> refresh, int intervalMs = 100, QObject* parent = nullptr)
        : QObject(parent)
        , m_refresh(std::move(refresh)) {
        m_timer.setSingleShot(true);
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] { m_refresh(); });
    }
    // Schedules a refresh (no-op when one is already scheduled).
    void poke() {
        if (!m_timer.isActive())
            m_timer.start();
    }
    // Refreshes now and cancels a scheduled refresh.
    void flush() {
        m_timer.stop();
        m_refresh();
    }
    bool isPending() const { return m_timer.isActive(); }

private:
    std::function<void()> m_refresh;
    QTimer m_timer;
};

} // namespace signalbox::ui
