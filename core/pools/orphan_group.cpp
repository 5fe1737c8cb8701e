// See orphan_group.h. Linux: /proc/<pid>/stat for the group of each process and its state,
// /proc/<pid>/environ for the identity check. Other systems: no-op.

#include "pools/orphan_group.h"

#ifdef __linux__
#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <unistd.h>
#include <vector>
#endif

namespace signalbox::pools {

QString toString(OrphanOutcome outcome) {
    switch (outcome) {
    case OrphanOutcome::NotFound:
        return QStringLiteral("not found");
    case OrphanOutcome::NotOurs:
        return QStringLiteral("not ours");
    case OrphanOutcome::Terminated:
        return QStringLiteral("terminated");
    case OrphanOutcome::Killed:
        return QStringLiteral("killed");
    case OrphanOutcome::Survived:
        return QStringLiteral("survived");
    }
    return {};
}

#ifdef __linux__
namespace {

constexpr int kPollIntervalMs = 20;
constexpr qint64 kAfterKillWaitMs = 1000;

// The whole content of a /proc file (they report size 0, so read to EOF). nullopt when it
// cannot be read (gone, or another user's).
std::optional<QByteArray> readProcFile(const QByteArray& path) {
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    QByteArray content;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            content.append(buffer, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        ::close(fd);
        if (n < 0)
            return std::nullopt;
        return content;
    }
}

struct ProcStat {
    char state = '?';
    pid_t group = 0;
};

// "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so fields
// are counted from the last ')'.
std::optional<ProcStat> readStat(pid_t pid) {
    const std::optional<QByteArray> text = readProcFile("/proc/" + QByteArray::number(pid) + "/stat");
    if (!text)
        return std::nullopt;
    const qsizetype close = text->lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text->mid(close + 1).simplified().split(' ');
    if (fields.size() < 3 || fields[0].isEmpty())
        return std::nullopt;
    bool ok = false;
    const long group = fields[2].toLong(&ok);
    if (!ok)
        return std::nullopt;
    return ProcStat{fields[0].at(0), static_cast<pid_t>(group)};
}

bool isLive(const ProcStat& stat) {
    return stat.state != 'Z' && stat.state != 'X' && stat.state != 'x';
}

// The live (not zombie) processes of a group.
std::vector<pid_t> liveMembers(pid_t group) {
    std::vector<pid_t> members;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool ok = false;
        const long pid = entry.toLong(&ok);
        if (!ok || pid <= 0)
            continue;
        const std::optional<ProcStat> stat = readStat(static_cast<pid_t>(pid));
        if (stat && stat->group == group && isLive(*stat))
            members.push_back(static_cast<pid_t>(pid));
    }
    return members;
}

bool environMatches(pid_t pid, const QByteArray& runEntry, const QByteArray& taskEntry) {
    const std::optional<QByteArray> entries = readProcFile("/proc/" + QByteArray::number(pid) + "/environ");
    if (!entries)
        return false;
    bool run = false;
    bool task = false;
    for (const QByteArray& entry : entries->split('\0')) {
        run = run || entry == runEntry;
        task = task || entry == taskEntry;
    }
    return run && task;
}

OrphanOutcome identify(const OrphanGroup& g) {
    if (g.processGroup <= 1 || g.runId.isEmpty() || g.taskId.isEmpty())
        return OrphanOutcome::NotFound;
    const auto group = static_cast<pid_t>(g.processGroup);
    if (static_cast<qint64>(group) != g.processGroup)
        return OrphanOutcome::NotFound;
    if (group == ::getpgrp() || group == ::getpid())
        return OrphanOutcome::NotOurs; // never ourselves
    const std::vector<pid_t> members = liveMembers(group);
    if (members.empty())
        return OrphanOutcome::NotFound;
    const QByteArray runEntry = "SIGNALBOX_RUN_ID=" + g.runId.toUtf8();
    const QByteArray taskEntry = "SIGNALBOX_TASK_ID=" + g.taskId.toUtf8();
    // A live leader decides alone; without one (it exited), any member of its group may
    // vouch: the group id stays reserved while they live, so it is still that group.
    for (pid_t member : members) {
        if (member == group)
            return environMatches(member, runEntry, taskEntry) ? OrphanOutcome::Terminated
                                                               : OrphanOutcome::NotOurs;
    }
    for (pid_t member : members) {
        if (environMatches(member, runEntry, taskEntry))
            return OrphanOutcome::Terminated;
    }
    return OrphanOutcome::NotOurs;
}

// Polls until every group in `groups` (indexes into outcomes with `pending` set) has no live
// member or the deadline passed; clears `pending` for the groups that went.
void waitGone(const QList<OrphanGroup>& groups, std::vector<bool>& pending, qint64 waitMs) {
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        bool any = false;
        for (qsizetype i = 0; i < groups.size(); ++i) {
            if (!pending[static_cast<std::size_t>(i)])
                continue;
            if (liveMembers(static_cast<pid_t>(groups[i].processGroup)).empty())
                pending[static_cast<std::size_t>(i)] = false;
            else
                any = true;
        }
        if (!any || timer.elapsed() >= waitMs)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs));
    }
}

} // namespace

QList<OrphanOutcome> terminateOrphanGroups(const QList<OrphanGroup>& groups, qint64 graceMs) {
    QList<OrphanOutcome> outcomes;
    outcomes.reserve(groups.size());
    std::vector<bool> pending(static_cast<std::size_t>(groups.size()), false);
    bool any = false;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const OrphanOutcome outcome = identify(groups[i]);
        outcomes.append(outcome);
        if (outcome == OrphanOutcome::Terminated) {
            // The group exists as long as a member lives, so its id cannot have been reused
            // since identify() looked (if all went meanwhile, ESRCH or a group of nobody).
            ::kill(-static_cast<pid_t>(groups[i].processGroup), SIGTERM);
            pending[static_cast<std::size_t>(i)] = true;
            any = true;
        }
    }
    if (!any)
        return outcomes;
    waitGone(groups, pending, std::max<qint64>(graceMs, 0));
    any = false;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        if (!pending[static_cast<std::size_t>(i)])
            continue;
        ::kill(-static_cast<pid_t>(groups[i].processGroup), SIGKILL);
        outcomes[i] = OrphanOutcome::Killed;
        any = true;
    }
    if (!any)
        return outcomes;
    waitGone(groups, pending, kAfterKillWaitMs);
    for (qsizetype i = 0; i < groups.size(); ++i) {
        if (pending[static_cast<std::size_t>(i)])
            outcomes[i] = OrphanOutcome::Survived;
    }
    return outcomes;
}

#else

QList<OrphanOutcome> terminateOrphanGroups(const QList<OrphanGroup>& groups, qint64 graceMs) {
    Q_UNUSED(graceMs);
    return QList<OrphanOutcome>(groups.size(), OrphanOutcome::NotFound);
}

#endif

OrphanOutcome terminateOrphanGroup(qint64 processGroup, const QString& runId, const QString& taskId,
                                   qint64 graceMs) {
    return terminateOrphanGroups({OrphanGroup{processGroup, runId, taskId}}, graceMs).constFirst();
}

} // namespace signalbox::pools
