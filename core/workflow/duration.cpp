#include "workflow/duration.h"

#include <limits>

namespace signalbox::workflow {

std::optional<qint64> parseDuration(const QString& text) {
    qsizetype digits = 0;
    while (digits < text.size() && text.at(digits).isDigit() && text.at(digits).unicode() < 128)
        ++digits;
    if (digits == 0 || digits > 12)
        return std::nullopt;
    const QStringView unit = QStringView(text).mid(digits);
    qint64 factor = 0;
    if (unit == u"ms")
        factor = 1;
    else if (unit == u"s")
        factor = 1000;
    else if (unit == u"m")
        factor = 60 * 1000;
    else if (unit == u"h")
        factor = 60 * 60 * 1000;
    else
        return std::nullopt;
    bool ok = false;
    const qint64 value = QStringView(text).left(digits).toLongLong(&ok);
    if (!ok || value <= 0 || value > std::numeric_limits<qint64>::max() / factor)
        return std::nullopt;
    return value * factor;
}

} // namespace signalbox::workflow
