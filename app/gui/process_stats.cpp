#include "process_stats.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <ctime>
#include <unistd.h>

namespace signalbox::gui::process_stats {
namespace {

QElapsedTimer& sinceMain() {
    static QElapsedTimer timer;
    return timer;
}

qint64& beforeMainMs() {
    static qint64 ms = 0;
    return ms;
}

// Age of the process from /proc/self/stat (start time in clock ticks after boot).
qint64 processAgeMs() {
#ifdef Q_OS_LINUX
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')'); // the command name may hold spaces
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    constexpr int kStartTimeField = 22 - 3; // fields counted from 1; the list starts at field 3
    if (fields.size() <= kStartTimeField)
        return -1;
    bool ok = false;
    const qint64 startTicks = fields.at(kStartTimeField).toLongLong(&ok);
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (!ok || ticksPerSecond <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
    return nowMs - startTicks * 1000 / ticksPerSecond;
#else
    return -1;
#endif
}

} // namespace

void markMainStarted() {
    sinceMain().start();
    const qint64 age = processAgeMs();
    // Tick resolution is 10 ms; anything odd (containers, clock changes) counts as 0.
    beforeMainMs() = age >= 0 && age < 60'000 ? age : 0;
}

qint64 msSinceProcessStart() {
    return beforeMainMs() + (sinceMain().isValid() ? sinceMain().elapsed() : 0);
}

qint64 peakRssKb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    // readAll, not atEnd/readLine: /proc files report a size of 0.
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return 0;
}

} // namespace signalbox::gui::process_stats
