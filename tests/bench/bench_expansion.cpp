// Parse + validate + expand a 1,000-repo x 10-task workflow; prints the timings.
// Run by scripts/bench (ctest label "bench"), never by the default test run.
#include "workflow/expansion.h"
#include "workflow/parser.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace signalbox::workflow;

namespace {

constexpr int kRepos = 1000;
constexpr int kTasks = 10;
constexpr int kIterations = 5;

QByteArray makeWorkflow() {
    QByteArray yaml = "version: 1\nname: bench\nparams: {branch: main}\nenv: {CI: '1'}\n"
                      "defaults: {timeout: 10m, retries: 1}\nrepos:\n";
    for (int r = 0; r < kRepos; ++r)
        yaml += "  - path: repos/repo-" + QByteArray::number(r) + "\n    tags: [" + (r % 2 ? "odd" : "even")
              + ", all]\n";
    yaml += "tasks:\n";
    for (int t = 0; t < kTasks; ++t) {
        yaml += "  - id: task-" + QByteArray::number(t) + "\n    for_each: repos\n";
        if (t > 0)
            yaml += "    needs: [task-" + QByteArray::number(t - 1) + "]\n";
        yaml += "    where_tags: [all]\n"
                "    working_dir: '{{repo.path}}'\n"
                "    env: {REPO: '{{repo.name}}', BRANCH: '{{params.branch}}'}\n"
                "    run: [tool, '--repo={{repo.name}}', '--run={{run.id}}', '--task={{task.id}}', "
                "'--branch={{params.branch}}']\n";
    }
    return yaml;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_expansion: cannot create a temporary dir\n");
        return 1;
    }
    for (int r = 0; r < kRepos; ++r)
        QDir(dir.path()).mkpath(u"repos/repo-"_s + QString::number(r));
    const QString path = dir.path() + u"/bench.yaml"_s;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(makeWorkflow()) < 0) {
        std::fprintf(stderr, "bench_expansion: cannot write %s\n", qPrintable(path));
        return 1;
    }
    file.close();

    qint64 bestParse = -1;
    qint64 bestExpand = -1;
    qint64 totalParse = 0;
    qint64 totalExpand = 0;
    qsizetype instances = 0;
    for (int i = 0; i < kIterations; ++i) {
        QElapsedTimer timer;
        timer.start();
        const ParseResult parsed = parseWorkflowFile(path, u"bench.yaml"_s);
        const qint64 parseMs = timer.restart();
        if (!parsed.ok()) {
            for (const Diagnostic& d : parsed.diagnostics)
                std::fprintf(stderr, "%s\n", qPrintable(d.format()));
            return 1;
        }
        ExpansionInput input;
        input.workflow = &*parsed.workflow;
        input.repos = parsed.workflow->repos;
        input.runId = u"r_bench"_s;
        input.allowedRoots = {dir.path()};
        const ExpansionResult expanded = expand(input);
        const qint64 expandMs = timer.elapsed();
        if (!expanded.plan) {
            for (const Diagnostic& d : expanded.diagnostics)
                std::fprintf(stderr, "%s\n", qPrintable(d.format()));
            return 1;
        }
        instances = expanded.plan->instances.size();
        bestParse = bestParse < 0 ? parseMs : std::min(bestParse, parseMs);
        bestExpand = bestExpand < 0 ? expandMs : std::min(bestExpand, expandMs);
        totalParse += parseMs;
        totalExpand += expandMs;
    }
    if (instances != qsizetype(kRepos) * kTasks) {
        std::fprintf(stderr, "bench_expansion: expected %d instances, got %lld\n", kRepos * kTasks,
                     static_cast<long long>(instances));
        return 1;
    }
    std::printf("expansion: %lld instances in %lld ms (parse %lld ms, expand %lld ms; best of %d, "
                "mean %lld ms)\n",
                static_cast<long long>(instances), static_cast<long long>(bestParse + bestExpand),
                static_cast<long long>(bestParse), static_cast<long long>(bestExpand), kIterations,
                static_cast<long long>((totalParse + totalExpand) / kIterations));
    return 0;
}
