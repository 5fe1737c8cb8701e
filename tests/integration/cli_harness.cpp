#include "cli_harness.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <cerrno>
#include <csignal>
#include <sys/types.h>

namespace signalbox::test {

CliResult cliIn(const QString& dataDir, const QStringList& args, int timeoutMs) {
    return runCli(QStringList{QStringLiteral("--data-dir"), dataDir} + args, timeoutMs);
}

void startCliIn(QProcess& process, const QString& dataDir, const QStringList& args) {
    process.setProgram(cliPath());
    process.setArguments(QStringList{QStringLiteral("--data-dir"), dataDir} + args);
    process.start();
}

QJsonObject jsonObject(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

QJsonArray jsonArray(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).array();
}

QJsonObject showRun(const QString& dataDir, const QString& runId) {
    const CliResult result =
        cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("show"), runId, QStringLiteral("--json")});
    return result.exitCode == 0 ? jsonObject(result.out) : QJsonObject();
}

namespace {
QJsonObject newestRun(const QString& dataDir) {
    const CliResult result =
        cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json"),
                        QStringLiteral("--limit"), QStringLiteral("1")});
    const QJsonArray runs = jsonArray(result.out);
    return runs.isEmpty() ? QJsonObject() : runs.first().toObject();
}
} // namespace

QString newestRunStatus(const QString& dataDir) {
    return newestRun(dataDir).value(QStringLiteral("status")).toString();
}

QString newestRunId(const QString& dataDir) {
    return newestRun(dataDir).value(QStringLiteral("id")).toString();
}

QStringList lines(const QByteArray& text) {
    QStringList result;
    for (const QByteArray& line : text.split('\n')) {
        if (!line.isEmpty())
            result << QString::fromUtf8(line);
    }
    return result;
}

QStringList makeRepos(const QString& dir, int count, const QString& prefix) {
    QStringList paths;
    for (int i = 1; i <= count; ++i) {
        const QString path =
            QDir(dir).absoluteFilePath(QStringLiteral("%1%2").arg(prefix).arg(i, 2, 10, QLatin1Char('0')));
        QDir().mkpath(path);
        paths << path;
    }
    return paths;
}

QJsonObject findTask(const QJsonObject& run, const QString& task, const QString& repo) {
    for (const QJsonValue& value : run.value(QStringLiteral("tasks")).toArray()) {
        const QJsonObject object = value.toObject();
        const QJsonValue repoValue = object.value(QStringLiteral("repo"));
        const bool repoMatches = repo.isEmpty() ? repoValue.isNull() : repoValue.toString() == repo;
        if (object.value(QStringLiteral("task")).toString() == task && repoMatches)
            return object;
    }
    return {};
}

bool processGone(qint64 pid) {
    if (pid <= 0)
        return true;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.size() > close + 2 && text.at(close + 2) == 'Z';
}

qint64 readPid(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = file.readAll();
    if (!text.endsWith('\n'))
        return 0;
    bool ok = false;
    const qint64 pid = text.trimmed().toLongLong(&ok);
    return ok ? pid : 0;
}

} // namespace signalbox::test
