#include "commands/cli_context.h"

#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <cstdio>
#include <unistd.h>

namespace signalbox::cli {
namespace {

void writeErr(const QString& line) {
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fflush(stdout);
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace

CliContext::CliContext(GlobalOptions options, QString programPath)
    : m_options(std::move(options))
    , m_programPath(std::move(programPath)) {}

QString CliContext::programName() {
    return QStringLiteral("signalbox-cli");
}

int CliContext::fail(int code, const QString& message) const {
    QString oneLine = message;
    oneLine.replace(u'\n', u' ');
    logs::info(QStringLiteral("exit %1: %2").arg(code).arg(oneLine));
    writeErr(programName() + QStringLiteral(": error: ") + oneLine);
    return code;
}

void CliContext::warn(const QString& message) const {
    writeErr(programName() + QStringLiteral(": warning: ") + message);
}

void CliContext::note(const QString& message) const {
    writeErr(message);
}

void CliContext::print(const QString& line) const {
    writeOut(line.toUtf8() + '\n');
}

void CliContext::printJson(const QJsonValue& value) const {
    QByteArray bytes;
    if (value.isArray())
        bytes = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else if (value.isObject())
        bytes = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else
        bytes = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    writeOut(bytes + '\n');
}

void CliContext::writeOut(const QByteArray& bytes) const {
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
}

void CliContext::flushOut() const {
    std::fflush(stdout);
}

std::unique_ptr<store::Store> CliContext::openStore(int* exitCode) const {
    QString error;
    auto store = store::Store::open(m_options.dataDir, &error);
    if (!store) {
        *exitCode =
            fail(kExitCannotProceed,
                 error.isEmpty() ? QStringLiteral("cannot open the database in %1").arg(m_options.dataDir)
                                 : error);
        return nullptr;
    }
    *exitCode = kExitOk;
    return store;
}

std::unique_ptr<store::Store> CliContext::openStoreForRun(const QString& runId, std::optional<RunRecord>* run,
                                                         int* exitCode) const {
    auto store = openStore(exitCode);
    if (!store)
        return nullptr;
    *run = store->run(runId);
    if (!*run) {
        *exitCode = fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
        return nullptr;
    }
    return store;
}

bool prepareDataDir(const QString& dir, QString* error) {
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QStringLiteral("data dir %1 is not a directory").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    if (!info.exists()) {
        if (!QDir().mkpath(dir)) {
            *error = QStringLiteral("cannot create data dir %1").arg(QDir::toNativeSeparators(dir));
            return false;
        }
        // It will hold the database, logs and secrets: owner only.
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    // Writable for this process? (QFileInfo::isWritable is wrong for root and ACLs.)
    const QString probe = QDir(dir).absoluteFilePath(QStringLiteral(".write-check-%1").arg(::getpid()));
    QFile file(probe);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("data dir %1 is not writable").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    file.close();
    file.remove();
    return true;
}

QString resolveDataDir(const QString& fromOption) {
    QString dir = fromOption;
    if (dir.isEmpty())
        dir = qEnvironmentVariable("SIGNALBOX_DATA_DIR");
    if (dir.isEmpty()) {
        // AppDataLocation of the product (not of this executable's name).
        const QString appName = QCoreApplication::applicationName();
        QCoreApplication::setApplicationName(QStringLiteral("signalbox"));
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QCoreApplication::setApplicationName(appName);
    }
    if (dir.startsWith(QStringLiteral("~/")))
        dir = QDir::homePath() + dir.mid(1);
    return QDir::cleanPath(QDir(dir).absolutePath());
}

} // namespace signalbox::cli
