// expand(): instances per task and repo, fan-out dependencies, templates, env, working
// dirs and allowed roots.
#include "workflow/expansion.h"
#include "workflow/parser.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace signalbox::workflow;

namespace {

QStringList formatted(const Diagnostics& diagnostics) {
    QStringList lines;
    for (const auto& d : diagnostics)
        lines.append(d.format());
    return lines;
}

// "task[repo]" for each instance, in plan order.
QStringList names(const Plan& plan) {
    QStringList out;
    for (const PlannedInstance& i : plan.instances)
        out.append(i.repo.isEmpty() ? i.taskId : i.taskId + u'[' + i.repo + u']');
    return out;
}

QList<int> deps(const Plan& plan, int index) { return plan.instances.at(index).dependsOn; }

} // namespace

class TestWorkflowExpansion final : public QObject {
    Q_OBJECT

private slots:
    void init();
    void fanOutDependencies();
    void whereTagsDropsEdges();
    void templatesAreSubstitutedOnce();
    void scriptsRunThroughSh();
    void environment();
    void workingDirs();
    void settingsCarryOver();
    void emptyRepoListGivesNoFanOutInstances();
    void duplicateRepoNames();
    void allowedRoots();
    void noWorkflow();

private:
    Workflow parse(const QByteArray& yaml);
    ExpansionInput input(const Workflow& wf);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_base;
};

void TestWorkflowExpansion::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_base = QFileInfo(m_dir->path()).canonicalFilePath();
    for (const QString& repo : {u"billing"_s, u"gateway"_s, u"docs"_s})
        QVERIFY(QDir(m_base).mkpath(u"repos/"_s + repo));
}

Workflow TestWorkflowExpansion::parse(const QByteArray& yaml) {
    const ParseResult result = parseWorkflowText(yaml, u"wf.yaml"_s, m_base);
    if (!result.ok())
        qWarning().noquote() << formatted(result.diagnostics).join(u'\n');
    return result.workflow.value_or(Workflow{});
}

ExpansionInput TestWorkflowExpansion::input(const Workflow& wf) {
    ExpansionInput in;
    in.workflow = &wf;
    in.repos = wf.repos;
    in.runId = u"r_test"_s;
    return in;
}

static const QByteArray kRepos = "repos:\n"
                                 "  - {path: repos/billing, tags: [python]}\n"
                                 "  - {path: repos/gateway, tags: [go]}\n"
                                 "  - {path: repos/docs, tags: [python, docs]}\n";

void TestWorkflowExpansion::fanOutDependencies() {
    const Workflow wf = parse("name: fan\n" + kRepos
                              + "tasks:\n"
                                "  - id: setup\n    run: [prepare]\n"
                                "  - id: lint\n    for_each: repos\n    needs: [setup]\n    run: [lint]\n"
                                "  - id: test\n    for_each: repos\n    needs: [lint]\n    run: [test]\n"
                                "  - id: report\n    needs: [test, setup]\n    run: [report]\n");
    QCOMPARE(wf.tasks.size(), 4);
    const ExpansionResult result = expand(input(wf));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    QVERIFY(result.plan);
    const Plan& plan = *result.plan;
    QCOMPARE(names(plan), (QStringList{u"setup"_s, u"lint[billing]"_s, u"lint[gateway]"_s, u"lint[docs]"_s,
                                       u"test[billing]"_s, u"test[gateway]"_s, u"test[docs]"_s, u"report"_s}));
    for (int i = 0; i < plan.instances.size(); ++i)
        QCOMPARE(plan.instances[i].index, i);
    QCOMPARE(deps(plan, 0), QList<int>());
    // fan-out needing a single task: waits for that one instance
    QCOMPARE(deps(plan, 1), QList<int>{0});
    QCOMPARE(deps(plan, 3), QList<int>{0});
    // both fan out: per repo
    QCOMPARE(deps(plan, 4), QList<int>{1});
    QCOMPARE(deps(plan, 5), QList<int>{2});
    QCOMPARE(deps(plan, 6), QList<int>{3});
    // single task needing a fan-out: waits for all instances
    QCOMPARE(deps(plan, 7), (QList<int>{4, 5, 6, 0}));
    QCOMPARE(plan.instances[4].repoPath, m_base + u"/repos/billing"_s);
    QVERIFY(plan.instances[0].repo.isEmpty());
    QVERIFY(plan.instances[0].repoPath.isEmpty());

    // Same input, same plan.
    const ExpansionResult again = expand(input(wf));
    QCOMPARE(names(*again.plan), names(plan));
}

void TestWorkflowExpansion::whereTagsDropsEdges() {
    const Workflow wf = parse("name: tags\n" + kRepos
                              + "tasks:\n"
                                "  - id: lint\n    for_each: repos\n    where_tags: [python]\n    run: [lint]\n"
                                "  - id: test\n    for_each: repos\n    needs: [lint]\n    run: [test]\n"
                                "  - id: docs\n    for_each: repos\n    where_tags: [docs, nothing]\n    run: [mk]\n");
    const ExpansionResult result = expand(input(wf));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Plan& plan = *result.plan;
    QCOMPARE(names(plan), (QStringList{u"lint[billing]"_s, u"lint[docs]"_s, u"test[billing]"_s, u"test[gateway]"_s,
                                       u"test[docs]"_s, u"docs[docs]"_s}));
    QCOMPARE(deps(plan, 2), QList<int>{0});
    QCOMPARE(deps(plan, 3), QList<int>()); // gateway has no lint instance: no edge
    QCOMPARE(deps(plan, 4), QList<int>{1});
}

void TestWorkflowExpansion::templatesAreSubstitutedOnce() {
    const Workflow wf = parse("name: tmpl\n" + kRepos
                              + "params: {branch: main, msg: hello}\n"
                                "tasks:\n"
                                "  - id: show\n    for_each: repos\n"
                                "    run: [echo, \"{{repo.name}}@{{ repo.path }}\", \"{{params.branch}}\", "
                                "\"{{run.id}}/{{task.id}}\", \"{{params.msg}}\", \"a}}b\", \"plain\"]\n");
    QCOMPARE(wf.repos.size(), 3);
    ExpansionInput in = input(wf);
    in.repos = {wf.repos[0]};
    // An override that looks like a template or shell syntax stays literal.
    in.params = {{u"msg"_s, u"{{run.id}} $(rm -rf /); echo"_s}};
    const ExpansionResult result = expand(in);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const PlannedInstance& i = result.plan->instances.front();
    QVERIFY(!i.isScript);
    QCOMPARE(i.argv, (QStringList{u"echo"_s, u"billing@"_s + m_base + u"/repos/billing"_s, u"main"_s,
                                  u"r_test/show"_s, u"{{run.id}} $(rm -rf /); echo"_s, u"a}}b"_s, u"plain"_s}));
}

void TestWorkflowExpansion::scriptsRunThroughSh() {
    const Workflow wf = parse("name: sh\nparams: {n: '3'}\ntasks:\n"
                              "  - id: s\n    run: |\n      echo {{task.id}} {{params.n}}\n      exit 0\n");
    ExpansionInput in = input(wf);
    in.params = {{u"n"_s, u"'7'; true"_s}};
    const ExpansionResult result = expand(in);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const PlannedInstance& i = result.plan->instances.front();
    QVERIFY(i.isScript);
    QCOMPARE(i.argv, (QStringList{u"/bin/sh"_s, u"-e"_s, u"-c"_s, u"echo s '7'; true\nexit 0\n"_s}));
}

void TestWorkflowExpansion::environment() {
    qputenv("SIGNALBOX_TEST_PARENT_ONLY", "1");
    const Workflow wf = parse("name: env\n" + kRepos
                              + "params: {level: info}\n"
                                "env: {CI: '1', SHARED: workflow, RUN: '{{run.id}}'}\n"
                                "defaults:\n  env: {FROM_DEFAULTS: d}\n"
                                "tasks:\n"
                                "  - id: one\n    run: [env]\n    env: {SHARED: task, LEVEL: '{{params.level}}'}\n"
                                "  - id: many\n    for_each: repos\n    run: [env]\n    env: {WHERE: '{{repo.path}}'}\n");
    QCOMPARE(wf.repos.size(), 3);
    ExpansionInput in = input(wf);
    in.repos = {wf.repos[1]};
    const ExpansionResult result = expand(in);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const PlannedInstance& one = result.plan->instances[0];
    QCOMPARE(one.env, (QMap<QString, QString>{{u"CI"_s, u"1"_s},
                                              {u"SHARED"_s, u"task"_s},
                                              {u"RUN"_s, u"r_test"_s},
                                              {u"LEVEL"_s, u"info"_s},
                                              {u"FROM_DEFAULTS"_s, u"d"_s},
                                              {u"SIGNALBOX_RUN_ID"_s, u"r_test"_s},
                                              {u"SIGNALBOX_TASK_ID"_s, u"one"_s}}));
    const PlannedInstance& many = result.plan->instances[1];
    QCOMPARE(many.env.value(u"SHARED"_s), u"workflow"_s);
    QCOMPARE(many.env.value(u"WHERE"_s), m_base + u"/repos/gateway"_s);
    QCOMPARE(many.env.value(u"SIGNALBOX_REPO"_s), u"gateway"_s);
    QCOMPARE(many.env.value(u"SIGNALBOX_TASK_ID"_s), u"many"_s);
    QVERIFY(!many.env.contains(u"SIGNALBOX_TEST_PARENT_ONLY"_s)); // the engine adds the parent env, not us
    QVERIFY(!many.env.contains(u"PATH"_s));
    qunsetenv("SIGNALBOX_TEST_PARENT_ONLY");
}

void TestWorkflowExpansion::workingDirs() {
    QVERIFY(QDir(m_base).mkpath(u"repos/billing/sub"_s));
    const Workflow wf = parse("name: wd\n" + kRepos
                              + "tasks:\n"
                                "  - id: plain\n    run: [pwd]\n"
                                "  - id: fan\n    for_each: repos\n    run: [pwd]\n"
                                "  - id: relative\n    run: [pwd]\n    working_dir: repos/./gateway/\n"
                                "  - id: templated\n    for_each: repos\n    run: [pwd]\n    working_dir: '{{repo.path}}/sub'\n"
                                "  - id: absolute\n    run: [pwd]\n    working_dir: /tmp\n");
    QCOMPARE(wf.repos.size(), 3);
    ExpansionInput in = input(wf);
    in.repos = {wf.repos[0]};
    const ExpansionResult result = expand(in);
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const Plan& plan = *result.plan;
    QCOMPARE(plan.instances[0].workingDir, m_base);
    QCOMPARE(plan.instances[1].workingDir, m_base + u"/repos/billing"_s);
    QCOMPARE(plan.instances[2].workingDir, m_base + u"/repos/gateway"_s);
    QCOMPARE(plan.instances[3].workingDir, m_base + u"/repos/billing/sub"_s);
    QCOMPARE(plan.instances[4].workingDir, u"/tmp"_s);
}

void TestWorkflowExpansion::settingsCarryOver() {
    const Workflow wf = parse("name: settings\n"
                              "defaults: {timeout: 30s, retries: 2, pool: builders}\n"
                              "tasks:\n"
                              "  - id: a\n    run: [x]\n"
                              "  - id: b\n    run: [x]\n    timeout: 250ms\n    retries: 0\n    pool: local\n"
                              "    dlq_policy: immediate\n");
    const ExpansionResult result = expand(input(wf));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    const PlannedInstance& a = result.plan->instances[0];
    QCOMPARE(a.timeoutMs, 30000);
    QCOMPARE(a.retries, 2);
    QCOMPARE(a.pool, u"builders"_s);
    QCOMPARE(a.dlqPolicy, QString());
    const PlannedInstance& b = result.plan->instances[1];
    QCOMPARE(b.timeoutMs, 250);
    QCOMPARE(b.retries, 0);
    QCOMPARE(b.pool, u"local"_s);
    QCOMPARE(b.dlqPolicy, u"immediate"_s);
}

void TestWorkflowExpansion::emptyRepoListGivesNoFanOutInstances() {
    const Workflow wf = parse("name: none\ntasks:\n"
                              "  - id: fan\n    for_each: repos\n    run: [x]\n"
                              "  - id: after\n    needs: [fan]\n    run: [y]\n");
    const ExpansionResult result = expand(input(wf));
    QCOMPARE(formatted(result.diagnostics), QStringList());
    QCOMPARE(names(*result.plan), QStringList{u"after"_s});
    QCOMPARE(deps(*result.plan, 0), QList<int>());
}

void TestWorkflowExpansion::duplicateRepoNames() {
    const Workflow wf = parse("name: dup\n" + kRepos + "tasks:\n  - id: fan\n    for_each: repos\n    run: [x]\n");
    ExpansionInput in = input(wf);
    RepoSpec extra;
    extra.name = u"billing"_s;
    extra.path = m_base + u"/repos/gateway"_s;
    in.repos.append(extra);
    const ExpansionResult result = expand(in);
    QVERIFY(!result.plan);
    QCOMPARE(formatted(result.diagnostics), QStringList{u"wf.yaml: error: duplicate repo name 'billing'"_s});
}

void TestWorkflowExpansion::allowedRoots() {
    // root/ is allowed; root/escape is a symlink to outside/, which is not.
    QDir base(m_base);
    QVERIFY(base.mkpath(u"root/inside"_s));
    QVERIFY(base.mkpath(u"outside/secret"_s));
    QVERIFY(QFile::link(m_base + u"/outside"_s, m_base + u"/root/escape"_s));
    QVERIFY(QFile::link(m_base + u"/root/inside"_s, m_base + u"/outside/back-in"_s));

    const Workflow wf = parse("name: roots\n"
                              "repos:\n  - root/inside\n  - root/escape/secret\n  - outside/back-in\n"
                              "tasks:\n"
                              "  - id: fan\n    for_each: repos\n    run: [x]\n"
                              "  - id: wd_ok\n    run: [x]\n    working_dir: root/inside/not-created-yet\n"
                              "  - id: wd_bad\n    run: [x]\n    working_dir: root/escape/secret\n"
                              "  - id: wd_dotdot\n    run: [x]\n    working_dir: root/../outside\n");
    QCOMPARE(wf.repos.size(), 3);

    // No allowlist: everything goes.
    QVERIFY(expand(input(wf)).plan);

    ExpansionInput in = input(wf);
    in.allowedRoots = {m_base + u"/root"_s};
    const ExpansionResult result = expand(in);
    QVERIFY(!result.plan);
    QCOMPARE(formatted(result.diagnostics),
             (QStringList{u"wf.yaml:4:5: error: repo 'secret' path '"_s + m_base
                              + u"/root/escape/secret' is outside the allowed roots"_s,
                          u"wf.yaml:13:5: error: working_dir '"_s + m_base
                              + u"/root/escape/secret' of task 'wd_bad' is outside the allowed roots"_s,
                          u"wf.yaml:16:5: error: working_dir '"_s + m_base
                              + u"/outside' of task 'wd_dotdot' is outside the allowed roots"_s}));

    // With both folders allowed, the same plan is fine.
    in.allowedRoots = {m_base + u"/root"_s, m_base + u"/outside"_s};
    const ExpansionResult ok = expand(in);
    QCOMPARE(formatted(ok.diagnostics), QStringList());
    QVERIFY(ok.plan);

    // Only the run's repos are checked; a symlink from outside back into the root is inside.
    const Workflow fanOnly = parse("name: roots2\n"
                                   "repos:\n  - root/inside\n  - root/escape/secret\n  - outside/back-in\n"
                                   "tasks:\n  - id: fan\n    for_each: repos\n    run: [x]\n");
    ExpansionInput subset = input(fanOnly);
    subset.repos = {fanOnly.repos[0], fanOnly.repos[2]};
    subset.allowedRoots = {m_base + u"/root"_s};
    const ExpansionResult subsetResult = expand(subset);
    QCOMPARE(formatted(subsetResult.diagnostics), QStringList());
    QCOMPARE(names(*subsetResult.plan), (QStringList{u"fan[inside]"_s, u"fan[back-in]"_s}));
}

void TestWorkflowExpansion::noWorkflow() {
    const ExpansionResult result = expand(ExpansionInput{});
    QVERIFY(!result.plan);
    QCOMPARE(result.diagnostics.size(), 1);
}

QTEST_GUILESS_MAIN(TestWorkflowExpansion)
#include "tst_workflow_expansion.moc"
