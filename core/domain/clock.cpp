#include "domain/clock.h"

#include <QDateTime>
#include <atomic>

namespace signalbox {
namespace {

class SystemClock final : public Clock {
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

const SystemClock g_systemClock;
std::atomic<const Clock*> g_clock{&g_systemClock};

} // namespace

const Clock& Clock::instance() { return *g_clock.load(std::memory_order_acquire); }

void Clock::install(const Clock* clock) {
    g_clock.store(clock ? clock : &g_systemClock, std::memory_order_release);
}

QString isoUtc(qint64 ms) {
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseIsoUtc(const QString& text) {
    const QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!at.isValid())
        return std::nullopt;
    return at.toMSecsSinceEpoch();
}

} // namespace signalbox
