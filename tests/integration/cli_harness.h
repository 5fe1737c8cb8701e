#pragma once
// Helpers for driving the real signalbox-cli in integration tests: a data dir per
// test, JSON parsing of stdout, fixture repos, process checks. Waiting is always on
// a condition (QTRY_*, QProcess::waitFor*), never a fixed sleep.

#include "support_paths.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace signalbox::test {

// Runs the CLI with --data-dir dataDir prepended.
CliResult cliIn(const QString& dataDir, const QStringList& args, int timeoutMs = 120000);

// Starts the CLI in the background (not waiting); stdout/stderr are kept by `process`.
void startCliIn(QProcess& process, const QString& dataDir, const QStringList& args);

QJsonObject jsonObject(const QByteArray& bytes); // empty object when not an object
QJsonArray jsonArray(const QByteArray& bytes);   // empty array when not an array

// `runs show RUN_ID --json` (empty object on failure).
QJsonObject showRun(const QString& dataDir, const QString& runId);
// Status of the newest run ("" when there is none).
QString newestRunStatus(const QString& dataDir);
QString newestRunId(const QString& dataDir);

// Non-empty lines of text.
QStringList lines(const QByteArray& text);

// Creates dir/<prefix>NN for n = 1..count (two digits), returns their absolute paths.
QStringList makeRepos(const QString& dir, int count, const QString& prefix = QStringLiteral("repo"));

// The task instance of a run object with this task id and repo ("" = null repo).
QJsonObject findTask(const QJsonObject& run, const QString& task, const QString& repo);

// True when no process has this pid any more (or it is only a zombie).
bool processGone(qint64 pid);

// The pid written in a marker file (0 when missing or not yet complete).
qint64 readPid(const QString& path);

} // namespace signalbox::test
