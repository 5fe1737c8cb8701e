#pragma once
// Durations of workflow files: an integer followed by ms, s, m or h ("250ms", "30s", "10m", "2h").

#include <QString>
#include <optional>

namespace signalbox::workflow {

// Milliseconds, or nullopt when text is not a valid, positive duration.
std::optional<qint64> parseDuration(const QString& text);

} // namespace signalbox::workflow
