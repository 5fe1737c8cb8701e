#pragma once
// Automatic retry policies of the dead letter queue (workflow.md, "Error categories").
// Pure arithmetic on millisecond timestamps: callers pass `now` from Clock so tests
// drive schedules with a ManualClock instead of waiting real minutes.

#include "domain/status.h"

#include <QString>
#include <QtGlobal>
#include <optional>

namespace signalbox::dlq {

enum class RetryPolicy { Never, Immediate, Linear, Exponential };

// Names are part of the JSON contract (cli.md "policy").
QString toString(RetryPolicy policy);
std::optional<RetryPolicy> retryPolicyFromString(const QString& text);

// The "default automatic retry" column; None (not failed) gets Never.
RetryPolicy defaultPolicyFor(ErrorCategory category);

// Delays are configurable; defaults are the spec's minutes.
struct RetrySchedule {
    qint64 linearStepMs = 5 * 60 * 1000;
    qint64 exponentialBaseMs = 60 * 1000;
    qint64 exponentialCapMs = 60 * 60 * 1000;
};

// When the next automatic retry is due, given how many retries were already done:
// linear now + step * (retriesDone + 1); exponential now + min(base * 2^retriesDone, cap);
// immediate now (next processor cycle); never nullopt (manual only).
// Saturates instead of overflowing, whatever retriesDone or the schedule hold.
std::optional<qint64> nextRetryAtMs(RetryPolicy policy, int retriesDone, qint64 nowMs,
                                    const RetrySchedule& schedule = {});

inline constexpr int kDefaultMaxRetries = 3;
inline constexpr int kMinMaxRetries = 0;
inline constexpr int kMaxMaxRetries = 10;

bool isValidMaxRetries(int maxRetries);
// True once no automatic retry is left. maxRetries outside 0..10 is clamped so a
// bad stored value can neither retry forever nor crash.
bool isExhausted(int retriesDone, int maxRetries);

} // namespace signalbox::dlq
