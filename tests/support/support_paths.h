#pragma once
// Helpers shared by tests: fixture paths, the built CLI, scratch data dirs.

#include <QString>
#include <QStringList>

namespace signalbox::test {

// tests/data/<relative>
QString dataPath(const QString& relative);
// Absolute path of the built signalbox-cli.
QString cliPath();

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
// Runs signalbox-cli with args, waiting up to timeoutMs; exitCode -1 if it did not finish.
CliResult runCli(const QStringList& args, int timeoutMs = 120000, const QByteArray& stdinData = {});

// Writes text to dir/relative (creating folders), returns the absolute path.
QString writeFile(const QString& dir, const QString& relative, const QByteArray& content);

} // namespace signalbox::test
