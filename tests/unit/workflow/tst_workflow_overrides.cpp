// --repo PATH and --set NAME=VALUE helpers for the CLI.
#include "workflow/overrides.h"
#include "workflow/parser.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace signalbox::workflow;

class TestWorkflowOverrides final : public QObject {
    Q_OBJECT

private slots:
    void repoFromExistingDir();
    void repoFromRelativePath();
    void repoErrors();
    void paramOverride();
    void paramOverrideErrors();
};

void TestWorkflowOverrides::repoFromExistingDir() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(u"services/billing"_s));
    QString error;
    const auto repo = repoFromPath(dir.path() + u"/services/billing/"_s, &error);
    QVERIFY2(repo, qPrintable(error));
    QCOMPARE(repo->name, u"billing"_s);
    QCOMPARE(repo->path, dir.path() + u"/services/billing"_s);
    QVERIFY(repo->tags.isEmpty());
}

void TestWorkflowOverrides::repoFromRelativePath() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(u"gateway"_s));
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir.path()));
    QString error;
    const auto repo = repoFromPath(u"./gateway"_s, &error);
    QDir::setCurrent(before);
    QVERIFY2(repo, qPrintable(error));
    QCOMPARE(repo->name, u"gateway"_s);
    QCOMPARE(repo->path, QDir(dir.path()).absoluteFilePath(u"gateway"_s));
}

void TestWorkflowOverrides::repoErrors() {
    QTemporaryDir dir;
    QString error;
    QVERIFY(!repoFromPath(dir.path() + u"/missing"_s, &error));
    QCOMPARE(error, u"--repo: path '"_s + dir.path() + u"/missing' does not exist"_s);

    QFile file(dir.path() + u"/file.txt"_s);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(!repoFromPath(file.fileName(), &error));
    QCOMPARE(error, u"--repo: path '"_s + file.fileName() + u"' is not a directory"_s);

    QVERIFY(!repoFromPath(QString(), &error));
    QCOMPARE(error, u"--repo: empty path"_s);
    QVERIFY(!repoFromPath(u"/"_s, nullptr)); // no name to derive; no crash without an error out-param
}

void TestWorkflowOverrides::paramOverride() {
    const ParseResult parsed = parseWorkflowText("name: p\nparams: {branch: main, level: '1'}\n"
                                                 "tasks:\n  - id: a\n    run: [echo]\n",
                                                 u"p.yaml"_s, QDir::tempPath());
    QVERIFY(parsed.ok());
    QMap<QString, QString> params = parsed.workflow->params;
    QString error;
    QVERIFY(applyParamOverride(u"branch=release/1.2"_s, *parsed.workflow, &params, &error));
    QVERIFY(applyParamOverride(u"level=a=b"_s, *parsed.workflow, &params, &error));
    QCOMPARE(params, (QMap<QString, QString>{{u"branch"_s, u"release/1.2"_s}, {u"level"_s, u"a=b"_s}}));
    QVERIFY(applyParamOverride(u"level="_s, *parsed.workflow, &params, &error));
    QCOMPARE(params.value(u"level"_s), QString());
}

void TestWorkflowOverrides::paramOverrideErrors() {
    const ParseResult parsed = parseWorkflowText("name: p\nparams: {branch: main}\n"
                                                 "tasks:\n  - id: a\n    run: [echo]\n",
                                                 u"p.yaml"_s, QDir::tempPath());
    QVERIFY(parsed.ok());
    QMap<QString, QString> params;
    QString error;
    QVERIFY(!applyParamOverride(u"brnch=x"_s, *parsed.workflow, &params, &error));
    QCOMPARE(error, u"--set: unknown param 'brnch' (did you mean 'branch'?)"_s);
    QVERIFY(!applyParamOverride(u"x=1"_s, *parsed.workflow, &params, &error));
    QCOMPARE(error, u"--set: unknown param 'x'"_s);
    QVERIFY(!applyParamOverride(u"branch"_s, *parsed.workflow, &params, &error));
    QCOMPARE(error, u"--set: expected NAME=VALUE, got 'branch'"_s);
    QVERIFY(!applyParamOverride(u"=v"_s, *parsed.workflow, &params, &error));
    QVERIFY(params.isEmpty());

    const ParseResult none = parseWorkflowText("name: p\ntasks:\n  - id: a\n    run: [echo]\n", u"p.yaml"_s,
                                               QDir::tempPath());
    QVERIFY(!applyParamOverride(u"x=1"_s, *none.workflow, &params, &error));
    QCOMPARE(error, u"--set: unknown param 'x' (the workflow declares no params)"_s);
}

QTEST_GUILESS_MAIN(TestWorkflowOverrides)
#include "tst_workflow_overrides.moc"
