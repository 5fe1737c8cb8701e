// Valid workflow files: every key lands in the in-memory form, defaults merge, durations.
#include "workflow/duration.h"
#include "workflow/parser.h"
#include "workflow/suggest.h"

#include "support_paths.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace signalbox::workflow;

namespace {

QString validPath(const QString& name) {
    return QDir(qEnvironmentVariable("SIGNALBOX_TEST_DATA")).absoluteFilePath(u"workflow/valid/"_s + name);
}

QString reposDir() {
    return QDir(qEnvironmentVariable("SIGNALBOX_TEST_DATA")).absoluteFilePath(u"workflow/repos"_s);
}

QStringList formatted(const Diagnostics& diagnostics) {
    QStringList lines;
    for (const auto& d : diagnostics)
        lines.append(d.format());
    return lines;
}

// The example of docs workflow.md, verbatim.
const char* const kSpecExample = R"YAML(version: 1                      # optional; only 1 is accepted
name: nightly-checks            # required; [A-Za-z0-9_.-], 1..64 chars
description: Lint and test all services
params:                         # optional; overridable with --set NAME=VALUE
  branch: main
repos:                          # optional; list of paths or {path, name, tags}
  - path: ./services/billing    # relative paths resolve against the workflow file's folder
    tags: [python]
  - ./services/gateway          # short form; name = last path component
# or select from the repository catalog kept in the data dir:
# repos: {catalog: true, tags: [python], roles: [service]}
max_concurrent: 8               # optional; cap on task instances running at once for this run
env: {CI: "1"}                  # optional; added to every task's environment
defaults:                       # optional; any task-level key below except id/run/needs
  pool: local
  timeout: 10m                  # durations: 250ms, 30s, 10m, 2h
  retries: 1                    # immediate in-run retries before the task counts as failed (0..10)
tasks:
  - id: lint                    # required; unique; [a-z0-9_-], 1..64 chars
    for_each: repos             # fan out: one task instance per repo
    where_tags: [python]        # optional filter for for_each
    run: ["ruff", "check", "."] # a list is an argv: executed directly, no shell
    working_dir: "{{repo.path}}"
  - id: test
    needs: [lint]
    for_each: repos
    run: |                      # a string is a script run with /bin/sh -e -c
      pytest -q
      echo "::metric coverage=87.5"
    timeout: 20m
    env: {PYTHONHASHSEED: "0"}
    dlq_policy: exponential     # optional override: never|immediate|linear|exponential
    reports:                    # optional; report files the task writes, relative to working_dir
      junit: build/junit.xml    #   JUnit XML -> tests, failures, errors, skipped metrics
      cobertura: coverage.xml   #   Cobertura XML -> line/branch coverage metrics
      sarif: audit.sarif        #   SARIF 2.1 -> findings by severity
    labels: {gpu: "false"}      # optional; matched against pool labels when pool is auto
    quality:
      - metric: coverage        # value taken from a ::metric line of this task
        category: testing       # security|performance|testing|architecture|code_quality|documentation
        min: 80                 # and/or max:
  - id: report
    needs: [test]
    run: ["echo", "all repos tested on {{params.branch}}"]
quality_gate: 75                # optional; run fails its gate below this score (0..100)
)YAML";

} // namespace

class TestWorkflowParser final : public QObject {
    Q_OBJECT

private slots:
    void specExample();
    void fullFixture();
    void defaultsMerge();
    void catalogSelection();
    void minimalText();
    void scalarsBecomeStrings();
    void repoNameDefaults();
    void durations_data();
    void durations();
    void suggestions();
};

void TestWorkflowParser::specExample() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(u"services/billing"_s));
    QVERIFY(QDir(dir.path()).mkpath(u"services/gateway"_s));
    const QString path = signalbox::test::writeFile(dir.path(), u"nightly.yaml"_s, kSpecExample);

    const ParseResult result = parseWorkflowFile(path, u"nightly.yaml"_s);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    QVERIFY(result.ok());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.name, u"nightly-checks"_s);
    QCOMPARE(wf.description, u"Lint and test all services"_s);
    QCOMPARE(wf.displayName, u"nightly.yaml"_s);
    QCOMPARE(wf.filePath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(wf.baseDir, QFileInfo(path).absolutePath());
    QCOMPARE(wf.params, (QMap<QString, QString>{{u"branch"_s, u"main"_s}}));
    QCOMPARE(wf.repos.size(), 2);
    QCOMPARE(wf.repos[0].name, u"billing"_s);
    QCOMPARE(wf.repos[0].path, QDir(dir.path()).absoluteFilePath(u"services/billing"_s));
    QCOMPARE(wf.repos[0].tags, QStringList{u"python"_s});
    QCOMPARE(wf.repos[0].pos.line, 7);
    QCOMPARE(wf.repos[1].name, u"gateway"_s);
    QCOMPARE(wf.repos[1].path, QDir(dir.path()).absoluteFilePath(u"services/gateway"_s));
    QVERIFY(wf.repos[1].tags.isEmpty());
    QVERIFY(!wf.catalog.enabled);
    QCOMPARE(wf.maxConcurrent, 8);
    QCOMPARE(wf.env, (QMap<QString, QString>{{u"CI"_s, u"1"_s}}));
    QCOMPARE(wf.qualityGate, std::optional<double>(75));
    QCOMPARE(wf.tasks.size(), 3);

    const TaskSpec* lint = wf.task(u"lint"_s);
    QVERIFY(lint);
    QVERIFY(lint->forEach());
    QCOMPARE(lint->settings.whereTags, QStringList{u"python"_s});
    QVERIFY(!lint->runIsScript);
    QCOMPARE(lint->argv, (QStringList{u"ruff"_s, u"check"_s, u"."_s}));
    QCOMPARE(lint->settings.workingDir, std::optional<QString>(u"{{repo.path}}"_s));
    QCOMPARE(lint->pool(), u"local"_s);
    QCOMPARE(lint->timeoutMs(), 10 * 60 * 1000);
    QCOMPARE(lint->retries(), 1);
    QVERIFY(lint->needs.isEmpty());

    const TaskSpec* test = wf.task(u"test"_s);
    QVERIFY(test);
    QCOMPARE(test->needs, QStringList{u"lint"_s});
    QVERIFY(test->runIsScript);
    QCOMPARE(test->script, u"pytest -q\necho \"::metric coverage=87.5\"\n"_s);
    QCOMPARE(test->timeoutMs(), 20 * 60 * 1000);
    QCOMPARE(test->retries(), 1);
    QCOMPARE(test->settings.env, (QMap<QString, QString>{{u"PYTHONHASHSEED"_s, u"0"_s}}));
    QCOMPARE(test->settings.dlqPolicy, std::optional<QString>(u"exponential"_s));
    QCOMPARE(test->settings.reports.value(u"junit"_s), u"build/junit.xml"_s);
    QCOMPARE(test->settings.reports.value(u"cobertura"_s), u"coverage.xml"_s);
    QCOMPARE(test->settings.reports.value(u"sarif"_s), u"audit.sarif"_s);
    QCOMPARE(test->settings.labels, (QMap<QString, QString>{{u"gpu"_s, u"false"_s}}));
    QCOMPARE(test->settings.quality.size(), 1);
    QCOMPARE(test->settings.quality[0].metric, u"coverage"_s);
    QCOMPARE(test->settings.quality[0].category, u"testing"_s);
    QCOMPARE(test->settings.quality[0].min, std::optional<double>(80));
    QVERIFY(!test->settings.quality[0].max);

    const TaskSpec* report = wf.task(u"report"_s);
    QVERIFY(report);
    QVERIFY(!report->forEach());
    QCOMPARE(report->argv, (QStringList{u"echo"_s, u"all repos tested on {{params.branch}}"_s}));
    QCOMPARE(report->pos.line, 42);
    QVERIFY(!wf.task(u"nope"_s));
}

void TestWorkflowParser::fullFixture() {
    const ParseResult result = parseWorkflowFile(validPath(u"full.yaml"_s));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.repos.size(), 3);
    QCOMPARE(wf.repos[0].path, QDir(reposDir()).absoluteFilePath(u"billing"_s));
    QCOMPARE(wf.repos[2].name, u"docs"_s);
    QCOMPARE(wf.repos[2].role, u"site"_s);
    QCOMPARE(wf.repos[2].tags, QStringList{u"docs"_s});
    QCOMPARE(wf.displayName, validPath(u"full.yaml"_s));
}

void TestWorkflowParser::defaultsMerge() {
    const ParseResult result = parseWorkflowFile(validPath(u"defaults.yaml"_s), u"defaults.yaml"_s);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Workflow& wf = *result.workflow;

    const TaskSpec* inherit = wf.task(u"inherit"_s);
    QCOMPARE(inherit->pool(), u"remote-a"_s);
    QCOMPARE(inherit->timeoutMs(), 250);
    QCOMPARE(inherit->retries(), 2);
    QCOMPARE(inherit->settings.dlqPolicy, std::optional<QString>(u"linear"_s));
    QCOMPARE(inherit->settings.env, (QMap<QString, QString>{{u"LANG"_s, u"C"_s}, {u"MODE"_s, u"default"_s}}));
    QCOMPARE(inherit->settings.labels, (QMap<QString, QString>{{u"arch"_s, u"x86"_s}}));
    QCOMPARE(inherit->settings.reports, (QMap<QString, QString>{{u"junit"_s, u"out/junit.xml"_s}}));
    QCOMPARE(inherit->settings.quality.size(), 1);
    QCOMPARE(inherit->settings.quality[0].metric, u"coverage"_s);

    const TaskSpec* override = wf.task(u"override"_s);
    QCOMPARE(override->pool(), u"local"_s);
    QCOMPARE(override->timeoutMs(), 2 * 3600 * 1000);
    QCOMPARE(override->retries(), 0);
    QCOMPARE(override->settings.dlqPolicy, std::optional<QString>(u"never"_s));
    // Maps merge key by key, the task winning.
    QCOMPARE(override->settings.env, (QMap<QString, QString>{{u"LANG"_s, u"C"_s}, {u"MODE"_s, u"task"_s}}));
    QCOMPARE(override->settings.labels, (QMap<QString, QString>{{u"arch"_s, u"x86"_s}, {u"gpu"_s, u"true"_s}}));
    QCOMPARE(override->settings.reports,
             (QMap<QString, QString>{{u"junit"_s, u"out/junit.xml"_s}, {u"sarif"_s, u"audit.sarif"_s}}));
    // A task's quality list replaces the default one.
    QCOMPARE(override->settings.quality.size(), 2);
    QCOMPARE(override->settings.quality[0].metric, u"lint_errors"_s);
    QCOMPARE(override->settings.quality[0].max, std::optional<double>(0));
    QCOMPARE(override->settings.quality[1].min, std::optional<double>(1));
    QCOMPARE(override->settings.quality[1].max, std::optional<double>(250.5));

    const TaskSpec* timeouts = wf.task(u"timeouts"_s);
    QCOMPARE(timeouts->needs, QStringList{u"inherit"_s}); // a single id is accepted as a string
    QCOMPARE(timeouts->timeoutMs(), 30000);
    QVERIFY(timeouts->runIsScript);
    QCOMPARE(timeouts->script, u"sleep 1"_s);
}

void TestWorkflowParser::catalogSelection() {
    const ParseResult result = parseWorkflowFile(validPath(u"catalog.yaml"_s));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.name, u"catalog.pick_1"_s);
    QVERIFY(wf.catalog.enabled);
    QCOMPARE(wf.catalog.tags, (QStringList{u"python"_s, u"go"_s}));
    QCOMPARE(wf.catalog.roles, QStringList{u"service"_s});
    QVERIFY(wf.repos.isEmpty());
}

void TestWorkflowParser::minimalText() {
    const ParseResult result = parseWorkflowText("name: tiny\ntasks:\n  - id: a\n    run: [\"true\"]\n", u"<api>"_s, {});
    QCOMPARE(formatted(result.diagnostics), QStringList());
    QVERIFY(result.ok());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.filePath, QString());
    QCOMPARE(wf.baseDir, QDir::currentPath());
    QCOMPARE(wf.maxConcurrent, 0);
    QVERIFY(!wf.qualityGate);
    const TaskSpec& task = wf.tasks.front();
    QCOMPARE(task.pool(), u"local"_s);
    QCOMPARE(task.timeoutMs(), 0);
    QCOMPARE(task.retries(), 0);
    QVERIFY(!task.forEach());
    QCOMPARE(task.pos.line, 3);
    QCOMPARE(task.pos.column, 5);
}

void TestWorkflowParser::scalarsBecomeStrings() {
    const QByteArray yaml = "name: s\n"
                            "params: {n: 3, flag: true, text: \"x y\", empty: \"\"}\n"
                            "env: {A: 1, B: false, C: 1.5, D: ''}\n"
                            "tasks:\n  - id: a\n    run: [sleep, 1]\n    env: {E: 2}\n    labels: {gpu: true}\n";
    const ParseResult result = parseWorkflowText(yaml, u"s.yaml"_s, reposDir());
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.params.value(u"n"_s), u"3"_s);
    QCOMPARE(wf.params.value(u"flag"_s), u"true"_s);
    QCOMPARE(wf.params.value(u"text"_s), u"x y"_s);
    QVERIFY(wf.params.contains(u"empty"_s));
    QCOMPARE(wf.env.value(u"A"_s), u"1"_s);
    QCOMPARE(wf.env.value(u"B"_s), u"false"_s);
    QCOMPARE(wf.env.value(u"C"_s), u"1.5"_s);
    QCOMPARE(wf.env.value(u"D"_s), QString());
    QCOMPARE(wf.tasks[0].argv, (QStringList{u"sleep"_s, u"1"_s}));
    QCOMPARE(wf.tasks[0].settings.env.value(u"E"_s), u"2"_s);
    QCOMPARE(wf.tasks[0].settings.labels.value(u"gpu"_s), u"true"_s);
}

void TestWorkflowParser::repoNameDefaults() {
    const QByteArray yaml = "name: r\n"
                            "repos:\n  - billing/\n  - ./gateway/../docs-site\n  - {path: gateway, name: gw, role: api}\n"
                            "tasks:\n  - id: a\n    for_each: repos\n    run: [ls]\n";
    const ParseResult result = parseWorkflowText(yaml, u"r.yaml"_s, reposDir());
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Workflow& wf = *result.workflow;
    QCOMPARE(wf.repos.size(), 3);
    QCOMPARE(wf.repos[0].name, u"billing"_s);
    QCOMPARE(wf.repos[0].path, QDir(reposDir()).absoluteFilePath(u"billing"_s));
    QCOMPARE(wf.repos[1].name, u"docs-site"_s);
    QCOMPARE(wf.repos[1].path, QDir(reposDir()).absoluteFilePath(u"docs-site"_s));
    QCOMPARE(wf.repos[2].name, u"gw"_s);
    QCOMPARE(wf.repos[2].role, u"api"_s);
}

void TestWorkflowParser::durations_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1 = rejected
    QTest::newRow("ms") << u"250ms"_s << qint64(250);
    QTest::newRow("s") << u"30s"_s << qint64(30000);
    QTest::newRow("m") << u"10m"_s << qint64(600000);
    QTest::newRow("h") << u"2h"_s << qint64(7200000);
    QTest::newRow("leading zero") << u"05s"_s << qint64(5000);
    QTest::newRow("zero") << u"0s"_s << qint64(-1);
    QTest::newRow("no unit") << u"10"_s << qint64(-1);
    QTest::newRow("days") << u"1d"_s << qint64(-1);
    QTest::newRow("fraction") << u"1.5h"_s << qint64(-1);
    QTest::newRow("space") << u"10 m"_s << qint64(-1);
    QTest::newRow("negative") << u"-5s"_s << qint64(-1);
    QTest::newRow("upper") << u"10M"_s << qint64(-1);
    QTest::newRow("words") << u"5min"_s << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("unit only") << u"ms"_s << qint64(-1);
    QTest::newRow("huge") << u"99999999999999999999h"_s << qint64(-1);
}

void TestWorkflowParser::durations() {
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const std::optional<qint64> parsed = parseDuration(text);
    if (ms < 0)
        QVERIFY(!parsed);
    else
        QCOMPARE(parsed, std::optional<qint64>(ms));
}

void TestWorkflowParser::suggestions() {
    using detail::closestMatch;
    using detail::editDistance;
    QCOMPARE(editDistance(u"lnit", u"lint"), 1);
    QCOMPARE(editDistance(u"kitten", u"sitting"), 3);
    QCOMPARE(editDistance(u"", u"abc"), 3);
    const QStringList ids = {u"lint"_s, u"test"_s, u"report"_s};
    QCOMPARE(closestMatch(u"lnit"_s, ids), u"lint"_s);
    QCOMPARE(closestMatch(u"tset"_s, ids), u"test"_s);
    QCOMPARE(closestMatch(u"deploy"_s, ids), QString());
    QCOMPARE(closestMatch(u"lint"_s, ids), QString()); // exact matches are not suggestions
}

QTEST_GUILESS_MAIN(TestWorkflowParser)
#include "tst_workflow_parser.moc"
