#include "engine/data_dir_lock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QSysInfo>
#include <cerrno>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace signalbox::engine {
namespace {

bool processAlive(qint64 pid) {
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

} // namespace

QString DataDirLock::Holder::describe() const {
    const QString who = app.isEmpty() ? QStringLiteral("another process") : app;
    if (pid <= 0)
        return who;
    if (hostname.isEmpty())
        return QStringLiteral("%1 (pid %2)").arg(who).arg(pid);
    return QStringLiteral("%1 (pid %2 on %3)").arg(who).arg(pid).arg(hostname);
}

DataDirLock::DataDirLock(const QString& dataDir)
    : m_dataDir(QDir(dataDir).absolutePath())
    , m_lock(std::make_unique<QLockFile>(QDir(m_dataDir).absoluteFilePath(lockFileName()))) {
    // Only a dead holder makes a lock stale: an engine may hold it for hours.
    m_lock->setStaleLockTime(0);
}

DataDirLock::~DataDirLock() {
    unlock();
}

QString DataDirLock::lockFileName() {
    return QStringLiteral("engine.lock");
}

bool DataDirLock::tryLock(int timeoutMs, QString* error) {
    if (m_lock->isLocked())
        return true;
    if (m_lock->tryLock(qMax(0, timeoutMs)))
        return true;
    if (!error)
        return false;
    switch (m_lock->error()) {
    case QLockFile::LockFailedError: {
        const auto h = holder();
        const QString who = h ? h->describe() : QStringLiteral("another process");
        *error = QStringLiteral("data dir %1 is in use by %2 \u2014 wait for it or use 'runs cancel'")
                     .arg(QDir::toNativeSeparators(m_dataDir), who);
        break;
    }
    case QLockFile::PermissionError:
        *error = QStringLiteral("cannot lock data dir %1: permission denied creating %2")
                     .arg(QDir::toNativeSeparators(m_dataDir), QDir::toNativeSeparators(lockPath()));
        break;
    default:
        *error = QStringLiteral("cannot lock data dir %1: cannot create %2")
                     .arg(QDir::toNativeSeparators(m_dataDir), QDir::toNativeSeparators(lockPath()));
        break;
    }
    return false;
}

void DataDirLock::unlock() {
    if (m_lock && m_lock->isLocked())
        m_lock->unlock();
}

bool DataDirLock::isLocked() const {
    return m_lock->isLocked();
}

std::optional<DataDirLock::Holder> DataDirLock::holder() const {
    if (m_lock->isLocked()) {
        Holder self;
        self.pid = ::getpid();
        self.app = QCoreApplication::applicationName();
        return self;
    }
    qint64 pid = 0;
    QString hostname;
    QString app;
    if (!m_lock->getLockInfo(&pid, &hostname, &app))
        return std::nullopt;
    if (!hostname.isEmpty() && hostname == QSysInfo::machineHostName() && !processAlive(pid))
        return std::nullopt;
    return Holder{pid, hostname, app};
}

QString DataDirLock::lockPath() const {
    return QDir(m_dataDir).absoluteFilePath(lockFileName());
}

QString DataDirLock::dataDir() const {
    return m_dataDir;
}

} // namespace signalbox::engine
