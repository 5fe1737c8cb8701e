#include "support_paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>

namespace signalbox::test {

QString dataPath(const QString& relative) {
    return QDir(qEnvironmentVariable("SIGNALBOX_TEST_DATA")).absoluteFilePath(relative);
}

QString cliPath() { return qEnvironmentVariable("SIGNALBOX_CLI"); }

CliResult runCli(const QStringList& args, int timeoutMs, const QByteArray& stdinData) {
    QProcess process;
    process.start(cliPath(), args);
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    if (!stdinData.isEmpty())
        process.write(stdinData);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QString writeFile(const QString& dir, const QString& relative, const QByteArray& content) {
    const QString path = QDir(dir).absoluteFilePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

} // namespace signalbox::test
