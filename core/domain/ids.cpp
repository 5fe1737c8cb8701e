#include "domain/ids.h"

#include "domain/clock.h"

#include <QRandomGenerator>

namespace signalbox {

QString newRunId() {
    const auto ms = static_cast<quint64>(Clock::instance().nowMs());
    const quint32 random = QRandomGenerator::system()->generate();
    return QStringLiteral("r_%1%2").arg(ms, 12, 16, QLatin1Char('0')).arg(random, 8, 16, QLatin1Char('0'));
}

} // namespace signalbox
