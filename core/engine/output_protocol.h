#pragma once
// The task output protocol of workflow.md: lines on stdout starting with
// "::metric NAME=VALUE", "::error category=CATEGORY MESSAGE" or "::progress N/M".

#include "domain/status.h"

#include <QString>
#include <QStringView>

namespace signalbox::engine {

struct OutputDirective {
    enum class Kind { LogLine, Metric, Error, Progress, Malformed };
    Kind kind = Kind::LogLine;
    QString name;          // Metric: metric name
    double value = 0;      // Metric: value
    ErrorCategory category = ErrorCategory::None; // Error
    QString message;       // Error: message; Malformed: why (the line is kept as a log line)
    int done = 0;          // Progress N
    int total = 0;         // Progress M
};

OutputDirective parseOutputLine(QStringView line);

} // namespace signalbox::engine
