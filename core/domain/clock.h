#pragma once
// An injectable clock: production code asks Clock::instance(); tests install a
// ManualClock so retry schedules and timeouts are driven without real waiting.

#include <QtGlobal>
#include <QString>
#include <optional>

namespace signalbox {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch, UTC.
    virtual qint64 nowMs() const = 0;

    static const Clock& instance();
    // Replaces the process-wide clock (tests only); nullptr restores the system clock.
    static void install(const Clock* clock);
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(qint64 startMs = 1'790'000'000'000) : m_now(startMs) {}
    qint64 nowMs() const override { return m_now; }
    void advance(qint64 ms) { m_now += ms; }
    void set(qint64 ms) { m_now = ms; }

private:
    qint64 m_now;
};

// "2026-11-23T10:00:00.123Z"; empty for ms <= 0 (unset).
QString isoUtc(qint64 ms);
// The inverse of isoUtc (any ISO 8601 date-time with a zone); nullopt when it is not one.
std::optional<qint64> parseIsoUtc(const QString& text);

} // namespace signalbox
