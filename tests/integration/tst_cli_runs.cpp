// Real runs through signalbox-cli: a 20-repo fan-out with failures, timeouts, a flood
// of output, detached runs followed with `runs logs --follow`.

#include "cli_harness.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace signalbox::test;

class TestCliRuns final : public QObject {
    Q_OBJECT

private:
    QString data(const QString& name) const { return dataPath(QStringLiteral("integration/") + name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath())); }

    void fanOutOverTwentyRepos() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 20);
        const QSet<QString> failing{QStringLiteral("repo03"), QStringLiteral("repo11"),
                                    QStringLiteral("repo17")};
        QStringList args{QStringLiteral("run"), data(QStringLiteral("fanout.yaml")), QStringLiteral("--json"),
                         QStringLiteral("--max-concurrent"), QStringLiteral("4")};
        for (const QString& repo : repos) {
            if (failing.contains(QFileInfo(repo).fileName()))
                writeFile(repo, QStringLiteral("fail"), "");
            args << QStringLiteral("--repo") << repo;
        }
        const CliResult result = cliIn(dataDir, args, 240000);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject run = jsonObject(result.out);
        QCOMPARE(run.keys(),
                 (QStringList{QStringLiteral("finished_at"), QStringLiteral("id"), QStringLiteral("quality"),
                              QStringLiteral("started_at"), QStringLiteral("status"), QStringLiteral("tasks"),
                              QStringLiteral("workflow")}));
        QVERIFY(run.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("r_")));
        QCOMPARE(run.value(QStringLiteral("workflow")).toString(), QStringLiteral("fanout"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(run.value(QStringLiteral("started_at")).isString());
        QVERIFY(run.value(QStringLiteral("finished_at")).isString());
        QVERIFY(run.value(QStringLiteral("quality")).isObject());
        const QJsonArray tasks = run.value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), 40);
        const QStringList taskKeys{QStringLiteral("attempts"),    QStringLiteral("category"),
                                   QStringLiteral("duration_ms"), QStringLiteral("exit_code"),
                                   QStringLiteral("metrics"),     QStringLiteral("repo"),
                                   QStringLiteral("status"),      QStringLiteral("task")};
        for (const QJsonValue& task : tasks)
            QCOMPARE(task.toObject().keys(), taskKeys);

        for (const QString& path : repos) {
            const QString repo = QFileInfo(path).fileName();
            const QJsonObject check = findTask(run, QStringLiteral("check"), repo);
            const QJsonObject publish = findTask(run, QStringLiteral("publish"), repo);
            QVERIFY2(!check.isEmpty() && !publish.isEmpty(), qPrintable(repo));
            QCOMPARE(check.value(QStringLiteral("repo")).toString(), repo);
            QCOMPARE(check.value(QStringLiteral("attempts")).toInt(), 1);
            QVERIFY(check.value(QStringLiteral("duration_ms")).isDouble());
            QCOMPARE(
                check.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("files")).toDouble(),
                3.0);
            if (failing.contains(repo)) {
                QCOMPARE(check.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
                QCOMPARE(check.value(QStringLiteral("exit_code")).toInt(), 1);
                QCOMPARE(check.value(QStringLiteral("category")).toString(), QStringLiteral("permanent"));
                QCOMPARE(publish.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
                QVERIFY(publish.value(QStringLiteral("category")).isNull());
                QVERIFY(publish.value(QStringLiteral("exit_code")).isNull());
                QCOMPARE(publish.value(QStringLiteral("attempts")).toInt(), 0);
            } else {
                QCOMPARE(check.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
                QCOMPARE(check.value(QStringLiteral("exit_code")).toInt(), 0);
                QVERIFY(check.value(QStringLiteral("category")).isNull());
                QCOMPARE(publish.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
                QCOMPARE(publish.value(QStringLiteral("exit_code")).toInt(), 0);
            }
        }
        // The same, read back from the store by another process.
        QCOMPARE(showRun(dataDir, run.value(QStringLiteral("id")).toString()), run);

        // Logs per repo, and the stderr line of a failing repo.
        const QString runId = run.value(QStringLiteral("id")).toString();
        CliResult logs = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                         QStringLiteral("--repo"), QStringLiteral("repo11")});
        QCOMPARE(logs.exitCode, 0);
        QVERIFY(logs.out.contains("checking repo11"));
        QVERIFY(logs.out.contains("broken repo11"));
        QVERIFY(!logs.out.contains("repo12"));
        logs =
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId, QStringLiteral("--task"),
                            QStringLiteral("publish"), QStringLiteral("--json")});
        QCOMPARE(logs.exitCode, 0);
        const QStringList published = lines(logs.out);
        QCOMPARE(published.size(), 17);
        const QJsonObject first = jsonObject(published.first().toUtf8());
        QCOMPARE(first.value(QStringLiteral("task")).toString(), QStringLiteral("publish"));
        QVERIFY(first.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("published repo")));
    }

    void timeoutIsTransient() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const CliResult result = cliIn(
            dataDir, {QStringLiteral("run"), data(QStringLiteral("timeout.yaml")), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 1);
        const QJsonObject run = jsonObject(result.out);
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QJsonObject slow = findTask(run, QStringLiteral("slow"), QString());
        QCOMPARE(slow.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(slow.value(QStringLiteral("category")).toString(), QStringLiteral("transient"));
        QCOMPARE(findTask(run, QStringLiteral("after"), QString()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("skipped"));
    }

    void outputFlood() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult result = cliIn(
            dataDir, {QStringLiteral("run"), data(QStringLiteral("flood.yaml")), QStringLiteral("--json")},
            480000);
        QCOMPARE(result.exitCode, 0);
        const QString runId = jsonObject(result.out).value(QStringLiteral("id")).toString();
        QVERIFY(!runId.isEmpty());

        result = cliIn(dataDir,
                       {QStringLiteral("runs"), QStringLiteral("logs"), runId, QStringLiteral("--task"),
                        QStringLiteral("flood")},
                       240000);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.count('\n'), 1000000);
        QVERIFY(result.out.startsWith("1\n2\n3\n"));
        QVERIFY(result.out.endsWith("\n999999\n1000000\n"));

        // A plain word is a regular expression too (cli.md: --grep REGEX).
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                 QStringLiteral("--grep"), QStringLiteral("999999")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out), QStringList{QStringLiteral("999999")});
        // A regular expression filters line by line.
        result = cliIn(dataDir,
                       {QStringLiteral("runs"), QStringLiteral("logs"), runId, QStringLiteral("--grep"),
                        QStringLiteral("^99999[0-9]$")},
                       240000);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out).size(), 10);
        QVERIFY(lines(result.out).contains(QStringLiteral("999999")));
        // --search goes through the store's full-text index instead.
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                 QStringLiteral("--search"), QStringLiteral("999999")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out), QStringList{QStringLiteral("999999")});
    }

    void detachedRunFollowedToTheEnd() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult result = cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("slow_lines.yaml")),
                                           QStringLiteral("--detach"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject queued = jsonObject(result.out);
        QCOMPARE(queued.value(QStringLiteral("status")).toString(), QStringLiteral("queued"));
        const QString runId = queued.value(QStringLiteral("id")).toString();
        QVERIFY(runId.startsWith(QStringLiteral("r_")));

        // --follow prints lines as they come and returns once the run has ended.
        result = cliIn(dataDir,
                       {QStringLiteral("runs"), QStringLiteral("logs"), runId, QStringLiteral("--follow")},
                       120000);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out),
                 (QStringList{QStringLiteral("line 1"), QStringLiteral("line 2"), QStringLiteral("line 3"),
                              QStringLiteral("line 4"), QStringLiteral("line 5")}));
        const QJsonObject run = showRun(dataDir, runId);
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));

        // Text mode prints just the id.
        result = cliIn(
            dataDir, {QStringLiteral("run"), data(QStringLiteral("hello.yaml")), QStringLiteral("--detach")});
        QCOMPARE(result.exitCode, 0);
        const QString secondId = QString::fromUtf8(result.out.trimmed());
        QVERIFY(secondId.startsWith(QStringLiteral("r_")));
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, secondId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"
