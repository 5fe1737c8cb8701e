// signalbox-cli without long-running work: options, bad input and its exit codes,
// validate, the repository catalog, simple runs and their JSON.

#include "cli_harness.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <unistd.h>

using namespace signalbox::test;

class TestCliBasics final : public QObject {
    Q_OBJECT

private:
    QString data(const QString& name) const { return dataPath(QStringLiteral("integration/") + name); }
    static void verifyOneErrorLine(const CliResult& result, const QString& mustContain = {}) {
        const QStringList errLines = lines(result.err);
        QVERIFY2(errLines.size() == 1, result.err.constData());
        QVERIFY2(errLines.first().startsWith(QStringLiteral("signalbox-cli: error: ")),
                 result.err.constData());
        if (!mustContain.isEmpty())
            QVERIFY2(errLines.first().contains(mustContain), result.err.constData());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
        QVERIFY(QFileInfo::exists(data(QStringLiteral("hello.yaml"))));
    }

    void versionAndHelp() {
        CliResult result = runCli({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("signalbox-cli "));

        result = runCli({QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        for (const char* verb : {"validate", "run FILE", "runs list", "runs show", "runs logs", "runs cancel",
                                 "runs resume", "repos add", "repos list", "repos remove"})
            QVERIFY2(result.out.contains(verb), verb);
        QVERIFY(!result.out.contains("__execute"));

        result = runCli({QStringLiteral("run"), QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        for (const char* option :
             {"--repo", "--tag", "--set", "--max-concurrent", "--pool", "--detach", "--data-dir"})
            QVERIFY2(result.out.contains(option), option);

        result = runCli({QStringLiteral("runs"), QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("runs resume"));
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mustContain");
        const QString hello = data(QStringLiteral("hello.yaml"));
        QTest::newRow("no command") << QStringList{} << 2 << QString();
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << 2 << QStringLiteral("frobnicate");
        QTest::newRow("group without subcommand")
            << QStringList{QStringLiteral("runs")} << 2 << QStringLiteral("runs");
        QTest::newRow("unknown subcommand") << QStringList{QStringLiteral("runs"), QStringLiteral("explode")}
                                            << 2 << QStringLiteral("explode");
        QTest::newRow("unknown flag")
            << QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--bogus")} << 2
            << QStringLiteral("--bogus");
        QTest::newRow("unknown global flag")
            << QStringList{QStringLiteral("--bogus"), QStringLiteral("runs"), QStringLiteral("list")} << 2
            << QStringLiteral("--bogus");
        QTest::newRow("flag without value")
            << QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--limit")} << 2
            << QStringLiteral("--limit");
        QTest::newRow("negative limit") << QStringList{QStringLiteral("runs"), QStringLiteral("list"),
                                                       QStringLiteral("--limit"), QStringLiteral("-1")}
                                        << 2 << QStringLiteral("-1");
        QTest::newRow("limit not a number") << QStringList{QStringLiteral("runs"), QStringLiteral("list"),
                                                           QStringLiteral("--limit"), QStringLiteral("ten")}
                                            << 2 << QStringLiteral("ten");
        QTest::newRow("bad status") << QStringList{QStringLiteral("runs"), QStringLiteral("list"),
                                                   QStringLiteral("--status"), QStringLiteral("bogus")}
                                    << 2 << QStringLiteral("bogus");
        QTest::newRow("bad log level") << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud"),
                                                      QStringLiteral("runs"), QStringLiteral("list")}
                                       << 2 << QStringLiteral("loud");
        QTest::newRow("unknown run (show)")
            << QStringList{QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("r_nope")} << 2
            << QStringLiteral("unknown run 'r_nope'");
        QTest::newRow("unknown run (logs)")
            << QStringList{QStringLiteral("runs"), QStringLiteral("logs"), QStringLiteral("r_nope")} << 2
            << QStringLiteral("r_nope");
        QTest::newRow("unknown run (cancel)")
            << QStringList{QStringLiteral("runs"), QStringLiteral("cancel"), QStringLiteral("r_nope")} << 2
            << QStringLiteral("r_nope");
        QTest::newRow("unknown run (resume)")
            << QStringList{QStringLiteral("runs"), QStringLiteral("resume"), QStringLiteral("r_nope")} << 2
            << QStringLiteral("r_nope");
        QTest::newRow("missing argument")
            << QStringList{QStringLiteral("runs"), QStringLiteral("show")} << 2 << QStringLiteral("RUN_ID");
        QTest::newRow("extra argument") << QStringList{QStringLiteral("runs"), QStringLiteral("show"),
                                                       QStringLiteral("a"), QStringLiteral("b")}
                                        << 2 << QStringLiteral("'b'");
        QTest::newRow("invalid regex")
            << QStringList{QStringLiteral("runs"), QStringLiteral("logs"), QStringLiteral("r_x"),
                           QStringLiteral("--grep"), QStringLiteral("a((")}
            << 2 << QStringLiteral("a((");
        QTest::newRow("run missing file")
            << QStringList{QStringLiteral("run"), QStringLiteral("no-such-file.yaml")} << 2
            << QStringLiteral("no-such-file.yaml");
        QTest::newRow("max-concurrent abc")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--max-concurrent"),
                           QStringLiteral("abc")}
            << 2 << QStringLiteral("abc");
        QTest::newRow("max-concurrent 0")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--max-concurrent"),
                           QStringLiteral("0")}
            << 2 << QStringLiteral("--max-concurrent");
        QTest::newRow("max-concurrent -1")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--max-concurrent"),
                           QStringLiteral("-1")}
            << 2 << QStringLiteral("-1");
        QTest::newRow("set without =")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--set"), QStringLiteral("who")} << 2
            << QStringLiteral("--set");
        QTest::newRow("set unknown param")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--set"), QStringLiteral("nobody=1")}
            << 2 << QStringLiteral("nobody");
        QTest::newRow("repo path missing")
            << QStringList{QStringLiteral("run"), hello, QStringLiteral("--repo"),
                           QStringLiteral("/nonexistent/repo")}
            << 2 << QStringLiteral("/nonexistent/repo");
        QTest::newRow("repos add missing path") << QStringList{QStringLiteral("repos"), QStringLiteral("add"),
                                                               QStringLiteral("/nonexistent/repo")}
                                                << 2 << QStringLiteral("/nonexistent/repo");
        QTest::newRow("repos remove unknown")
            << QStringList{QStringLiteral("repos"), QStringLiteral("remove"), QStringLiteral("ghost")} << 2
            << QStringLiteral("ghost");
        QTest::newRow("validate missing file")
            << QStringList{QStringLiteral("validate"), QStringLiteral("no-such-file.yaml")} << 2
            << QStringLiteral("no-such-file.yaml");
        QTest::newRow("remote not available")
            << QStringList{QStringLiteral("--remote"), QStringLiteral("https://example.invalid"),
                           QStringLiteral("runs"), QStringLiteral("list")}
            << 3 << QStringLiteral("remote");
    }

    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, mustContain);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const CliResult result = cliIn(dir.filePath(QStringLiteral("data")), args);
        QCOMPARE(result.exitCode, exitCode);
        verifyOneErrorLine(result, mustContain);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
    }

    void invalidWorkflowReportsEveryError() {
        QTemporaryDir dir;
        const QString file = data(QStringLiteral("invalid.yaml"));
        const QRegularExpression form(QStringLiteral("^\\S+\\.yaml:\\d+:\\d+: error: .+"));
        // run: every diagnostic in validate's FILE:LINE:COL: error: form, nothing recorded.
        CliResult result = cliIn(dir.path(), {QStringLiteral("run"), file});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        QStringList errLines = lines(result.err);
        QCOMPARE(errLines.size(), 2);
        for (const QString& line : errLines)
            QVERIFY2(form.match(line).hasMatch(), qPrintable(line));
        QVERIFY(errLines.at(0).startsWith(file + QStringLiteral(":6:13: error: ")));
        QVERIFY(result.err.contains("lnit"));
        QVERIFY(errLines.at(1).startsWith(file + QStringLiteral(":8:5: error: ")));
        // Exactly what validate prints for the same file.
        QCOMPARE(lines(runCli({QStringLiteral("validate"), file}).err), errLines);
        // A YAML syntax error too, with --json (nothing on stdout).
        result = cliIn(dir.path(),
                       {QStringLiteral("--json"), QStringLiteral("run"), data(QStringLiteral("broken_yaml.yaml"))});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        QCOMPARE(lines(result.err).size(), 1);
        QVERIFY2(lines(result.err).constFirst().startsWith(data(QStringLiteral("broken_yaml.yaml")) +
                                                            QStringLiteral(":3:3: error: ")),
                 result.err.constData());
        QCOMPARE(jsonArray(cliIn(dir.path(),
                                 {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")})
                               .out)
                     .size(),
                 0);

        // validate: FILE:LINE:COL form, all files.
        result = runCli({QStringLiteral("validate"), data(QStringLiteral("hello.yaml")), file,
                         data(QStringLiteral("broken_yaml.yaml"))});
        QCOMPARE(result.exitCode, 2);
        errLines = lines(result.err);
        QCOMPARE(errLines.size(), 3);
        for (const QString& line : errLines)
            QVERIFY2(form.match(line).hasMatch(), qPrintable(line));
        QVERIFY(result.err.contains("did you mean 'lint'"));

        result = runCli({QStringLiteral("validate"), data(QStringLiteral("hello.yaml")),
                         data(QStringLiteral("fanout.yaml"))});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.err.isEmpty());
    }

    void validateJson() {
        const QString good = data(QStringLiteral("hello.yaml"));
        const QString bad = data(QStringLiteral("invalid.yaml"));
        const CliResult result = runCli({QStringLiteral("--json"), QStringLiteral("validate"), good, bad});
        QCOMPARE(result.exitCode, 2);
        const QJsonArray array = jsonArray(result.out);
        QCOMPARE(array.size(), 2);
        const QJsonObject first = array.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("file")).toString(), good);
        QCOMPARE(first.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(first.value(QStringLiteral("errors")).toArray().size(), 0);
        const QJsonObject second = array.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("valid")).toBool(), false);
        const QJsonArray errors = second.value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 2);
        QVERIFY(errors.at(0).toString().contains(QStringLiteral(":6:13: error:")));
    }

    void unwritableDataDir() {
        QTemporaryDir dir;
        const QString file = writeFile(dir.path(), QStringLiteral("plain-file"), "x");
        const QString under = file + QStringLiteral("/data");
        for (const QStringList& args :
             {QStringList{QStringLiteral("runs"), QStringLiteral("list")},
              QStringList{QStringLiteral("run"), data(QStringLiteral("hello.yaml"))},
              QStringList{QStringLiteral("repos"), QStringLiteral("list")}}) {
            const CliResult result = cliIn(under, args);
            QCOMPARE(result.exitCode, 3);
            verifyOneErrorLine(result, under);
        }
        if (::geteuid() != 0) { // root writes anywhere
            const QString readOnly = dir.filePath(QStringLiteral("read-only"));
            QVERIFY(QDir().mkpath(readOnly));
            QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
            const CliResult result = cliIn(readOnly, {QStringLiteral("runs"), QStringLiteral("list")});
            QFile::setPermissions(readOnly,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
            QCOMPARE(result.exitCode, 3);
            verifyOneErrorLine(result, readOnly);
        }
        // The env variable is honoured and the dir created.
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString fromEnv = dir.filePath(QStringLiteral("from-env/nested"));
        env.insert(QStringLiteral("SIGNALBOX_DATA_DIR"), fromEnv);
        process.setProcessEnvironment(env);
        process.start(cliPath(), {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(process.readAllStandardOutput().trimmed(), QByteArray("[]"));
        QVERIFY(QFileInfo::exists(fromEnv + QStringLiteral("/signalbox.db")));
    }

    void repositoryCatalog() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("src")), 3);
        CliResult result =
            cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("add"), repos.at(0),
                            QStringLiteral("--tag"), QStringLiteral("python"), QStringLiteral("--tag"),
                            QStringLiteral("web"), QStringLiteral("--role"), QStringLiteral("service")});
        QCOMPARE(result.exitCode, 0);
        // A relative path with "..", stored absolute and canonical, under another name.
        QProcess relative;
        relative.setWorkingDirectory(dir.filePath(QStringLiteral("src/repo01")));
        relative.start(cliPath(),
                       {QStringLiteral("--data-dir"), dataDir, QStringLiteral("repos"), QStringLiteral("add"),
                        QStringLiteral("../repo02"), QStringLiteral("--name"), QStringLiteral("billing"),
                        QStringLiteral("--tag"), QStringLiteral("python")});
        QVERIFY(relative.waitForFinished(60000));
        QCOMPARE(relative.exitCode(), 0);
        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("add"), repos.at(2),
                                 QStringLiteral("--role"), QStringLiteral("library")});
        QCOMPARE(result.exitCode, 0);
        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("add"), repos.at(2),
                                 QStringLiteral("--name"), QStringLiteral("bad name!")});
        QCOMPARE(result.exitCode, 2);

        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QJsonArray list = jsonArray(result.out);
        QCOMPARE(list.size(), 3);
        QJsonObject billing;
        for (const QJsonValue& value : list) {
            if (value.toObject().value(QStringLiteral("name")).toString() == u"billing")
                billing = value.toObject();
        }
        QCOMPARE(billing.value(QStringLiteral("path")).toString(),
                 QFileInfo(repos.at(1)).canonicalFilePath());
        QCOMPARE(billing.value(QStringLiteral("tags")).toArray(), QJsonArray{QStringLiteral("python")});
        QCOMPARE(billing.value(QStringLiteral("exists")).toBool(), true);

        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list"), QStringLiteral("--tag"),
                                 QStringLiteral("python"), QStringLiteral("--json")});
        QCOMPARE(jsonArray(result.out).size(), 2);
        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list"), QStringLiteral("--role"),
                                 QStringLiteral("library"), QStringLiteral("--json")});
        QCOMPARE(jsonArray(result.out).size(), 1);

        // A repo whose path disappeared is reported, not skipped.
        QVERIFY(QDir(repos.at(2)).removeRecursively());
        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("MISSING"));
        QVERIFY(result.err.contains("repo03"));
        result = cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list"), QStringLiteral("--json")});
        int missing = 0;
        for (const QJsonValue& value : jsonArray(result.out))
            missing += value.toObject().value(QStringLiteral("exists")).toBool() ? 0 : 1;
        QCOMPARE(missing, 1);

        result =
            cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("remove"), QStringLiteral("billing")});
        QCOMPARE(result.exitCode, 0);
        result =
            cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("remove"), QStringLiteral("billing")});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(jsonArray(cliIn(dataDir,
                                 {QStringLiteral("repos"), QStringLiteral("list"), QStringLiteral("--json")})
                               .out)
                     .size(),
                 2);
    }

    void simpleRunAndQueries() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult result =
            cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("hello.yaml")),
                            QStringLiteral("--set"), QStringLiteral("who=there"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.isEmpty(), result.err.constData()); // stderr is not a terminal: no progress
        const QJsonObject run = jsonObject(result.out);
        const QString runId = run.value(QStringLiteral("id")).toString();
        QVERIFY(runId.startsWith(QStringLiteral("r_")));
        QCOMPARE(run.value(QStringLiteral("workflow")).toString(), QStringLiteral("hello"));
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
        QVERIFY(iso.match(run.value(QStringLiteral("started_at")).toString()).hasMatch());
        QVERIFY(iso.match(run.value(QStringLiteral("finished_at")).toString()).hasMatch());
        QCOMPARE(run.value(QStringLiteral("tasks")).toArray().size(), 2);
        const QJsonObject after = findTask(run, QStringLiteral("after"), QString());
        QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(after.value(QStringLiteral("repo")).isNull());
        QVERIFY(after.value(QStringLiteral("category")).isNull());
        QCOMPARE(after.value(QStringLiteral("exit_code")).toInt(), 0);
        QCOMPARE(after.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("score")).toDouble(),
                 42.0);

        // runs show = the same object; runs list = without tasks.
        QCOMPARE(showRun(dataDir, runId), run);
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QJsonArray list = jsonArray(result.out);
        QCOMPARE(list.size(), 1);
        QJsonObject listed = list.first().toObject();
        QVERIFY(!listed.contains(QStringLiteral("tasks")));
        QCOMPARE(listed.value(QStringLiteral("id")).toString(), runId);

        result = cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("timeout.yaml"))});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(jsonArray(cliIn(dataDir,
                                 {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")})
                               .out)
                     .size(),
                 2);
        list = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--status"),
                            QStringLiteral("succeeded"), QStringLiteral("--json")})
                .out);
        QCOMPARE(list.size(), 1);
        list = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--workflow"),
                            QStringLiteral("timeouts"), QStringLiteral("--json")})
                .out);
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("failed"));
        list = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--limit"),
                            QStringLiteral("1"), QStringLiteral("--json")})
                .out);
        QCOMPARE(list.size(), 1);

        // Logs of one task, text form.
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                 QStringLiteral("--task"), QStringLiteral("greet")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out), QStringList{QStringLiteral("hello there")});
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                 QStringLiteral("--task"), QStringLiteral("nope")});
        QCOMPARE(result.exitCode, 2);

        // Human-readable forms mention what matters.
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("show"), runId});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(runId.toUtf8()));
        QVERIFY(result.out.contains("succeeded"));
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY(result.out.contains(runId.toUtf8()));

        // A JSON-lines log file in the data dir.
        QFile log(dataDir + QStringLiteral("/logs/signalbox.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QList<QByteArray> logLines = log.readAll().trimmed().split('\n');
        QVERIFY(!logLines.isEmpty());
        bool mentionsRun = false;
        for (const QByteArray& line : logLines) {
            const QJsonObject entry = jsonObject(line);
            QVERIFY2(entry.contains(QStringLiteral("ts")) && entry.contains(QStringLiteral("level")) &&
                         entry.contains(QStringLiteral("msg")),
                     line.constData());
            mentionsRun = mentionsRun || entry.value(QStringLiteral("msg")).toString().contains(runId);
        }
        QVERIFY(mentionsRun);
    }

    // cli.md: exit 1 when "a quality gate was missed", even though every task succeeded.
    void qualityGateMissedExitsOne() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString file = data(QStringLiteral("quality_gate.yaml"));
        CliResult result = cliIn(dataDir, {QStringLiteral("run"), file, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 1);
        QJsonObject run = jsonObject(result.out);
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(findTask(run, QStringLiteral("test"), QString()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        QJsonObject quality = run.value(QStringLiteral("quality")).toObject();
        QVERIFY(quality.value(QStringLiteral("score")).isDouble());
        QCOMPARE(quality.value(QStringLiteral("score")).toDouble(), 0.0);
        QCOMPARE(quality.value(QStringLiteral("gate")).toDouble(), 75.0);
        QCOMPARE(quality.value(QStringLiteral("passed")), QJsonValue(false));
        const QString runId = run.value(QStringLiteral("id")).toString();
        // Text form says so too; resuming cannot change it (nothing left to run).
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("show"), runId});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("gate 75: missed"), result.out.constData());

        result = cliIn(dataDir, {QStringLiteral("run"), file, QStringLiteral("--set"),
                                 QStringLiteral("coverage=90"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        run = jsonObject(result.out);
        quality = run.value(QStringLiteral("quality")).toObject();
        QCOMPARE(quality.value(QStringLiteral("score")).toDouble(), 100.0);
        QCOMPARE(quality.value(QStringLiteral("passed")), QJsonValue(true));

        // Text mode exits 1 as well.
        result = cliIn(dataDir, {QStringLiteral("run"), file});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.out.contains("missed"), result.out.constData());
    }

    // cli.md: "--repo ... replaces the file's list when given": the file's own repo
    // paths need not exist then; the --repo paths are still checked.
    void repoReplacesTheFilesList() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString file = data(QStringLiteral("missing_repos.yaml"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("src")), 2);

        // Without --repo the missing paths are validation errors, with their positions.
        CliResult result = cliIn(dataDir, {QStringLiteral("run"), file});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(lines(result.err).size(), 2);
        QVERIFY2(lines(result.err).constFirst().startsWith(file + QStringLiteral(":5:5: error: ")),
                 result.err.constData());
        // A missing --repo path: exit 2, one line.
        result = cliIn(dataDir, {QStringLiteral("run"), file, QStringLiteral("--repo"), repos.at(0),
                                 QStringLiteral("--repo"), dir.filePath(QStringLiteral("nope"))});
        QCOMPARE(result.exitCode, 2);
        verifyOneErrorLine(result, dir.filePath(QStringLiteral("nope")));

        writeFile(repos.at(1), QStringLiteral("fail"), "x");
        result = cliIn(dataDir, {QStringLiteral("run"), file, QStringLiteral("--repo"), repos.at(0),
                                 QStringLiteral("--repo"), repos.at(1), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 1);
        const QJsonObject run = jsonObject(result.out);
        QCOMPARE(run.value(QStringLiteral("tasks")).toArray().size(), 2);
        QCOMPARE(findTask(run, QStringLiteral("check"), QStringLiteral("repo01"))
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("succeeded"));
        QCOMPARE(findTask(run, QStringLiteral("check"), QStringLiteral("repo02"))
                     .value(QStringLiteral("category"))
                     .toString(),
                 QStringLiteral("permanent"));

        // Resuming re-plans from the run's own repo list, not the file's (a failed
        // instance stays failed: it is the dead letter queue's to retry).
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("resume"),
                                 run.value(QStringLiteral("id")).toString(), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 1, result.err.constData());
        QVERIFY2(result.err.isEmpty(), result.err.constData());
        QCOMPARE(jsonObject(result.out).value(QStringLiteral("tasks")).toArray().size(), 2);

        // validate still checks the file's own paths.
        QCOMPARE(runCli({QStringLiteral("validate"), file}).exitCode, 2);
    }

    // cli.md: --grep REGEX: a regular expression matched anywhere in the line,
    // case-sensitive (not a whole-word search).
    void logsGrepIsARegex() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult result = cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("hello.yaml")),
                                           QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QString runId = jsonObject(result.out).value(QStringLiteral("id")).toString();
        auto grep = [&](const QString& pattern) {
            const CliResult r = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId,
                                                QStringLiteral("--grep"), pattern});
            return r.exitCode == 0 ? lines(r.out) : QStringList{QStringLiteral("exit %1").arg(r.exitCode)};
        };
        QCOMPARE(grep(QStringLiteral("hell")), QStringList{QStringLiteral("hello world")});
        QCOMPARE(grep(QStringLiteral("ello")), QStringList{QStringLiteral("hello world")});
        QCOMPARE(grep(QStringLiteral("world")), QStringList{QStringLiteral("hello world")});
        QCOMPARE(grep(QStringLiteral("HELLO")), QStringList{});
        QCOMPARE(grep(QStringLiteral("(?i)HELLO")), QStringList{QStringLiteral("hello world")});
        QCOMPARE(grep(QStringLiteral("^after$")), QStringList{QStringLiteral("after")});
        QCOMPARE(grep(QStringLiteral("o w|^aft")),
                 (QStringList{QStringLiteral("hello world"), QStringLiteral("after")}));
    }

    // cli.md: global options may come before or after the command.
    void globalOptionsInAnyPosition() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult result = cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("hello.yaml"))});
        QCOMPARE(result.exitCode, 0);
        const QString dd = QStringLiteral("--data-dir");
        const QString json = QStringLiteral("--json");
        const QString runs = QStringLiteral("runs");
        const QString list = QStringLiteral("list");
        const QList<QStringList> orders{
            {json, dd, dataDir, runs, list},  {dd, dataDir, json, runs, list},
            {runs, list, json, dd, dataDir},  {runs, list, dd, dataDir, json},
            {json, runs, list, dd, dataDir},  {dd, dataDir, runs, list, json},
            {runs, json, list, dd, dataDir},  {runs, list, dd + u'=' + dataDir, json},
        };
        for (const QStringList& args : orders) {
            result = runCli(args);
            QVERIFY2(result.exitCode == 0, qPrintable(args.join(u' ') + u' ' + QString::fromUtf8(result.err)));
            QCOMPARE(jsonArray(result.out).size(), 1);
        }
        // The environment variable, overridden by --data-dir.
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SIGNALBOX_DATA_DIR"), dataDir);
        process.setProcessEnvironment(env);
        process.start(cliPath(), {runs, list, json});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(jsonArray(process.readAllStandardOutput()).size(), 1);
        process.start(cliPath(), {runs, list, json, dd, dir.filePath(QStringLiteral("other"))});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(process.readAllStandardOutput().trimmed(), QByteArray("[]"));
    }
};

QTEST_GUILESS_MAIN(TestCliBasics)
#include "tst_cli_basics.moc"
