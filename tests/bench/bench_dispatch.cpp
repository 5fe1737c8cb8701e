// Engine dispatch overhead end to end: plan + record + schedule + "run" (no-op pool) +
// record every state change + announce, with the real Store in a temporary data dir.
// Two shapes: one task fanned out over N repos, and N independent tasks.
// Prints one result line per shape. Target: >= 50,000 instances/s end to end.
// Usage: bench_dispatch [N [fanout|tasks]]   (default 20000, both shapes)
// Run by scripts/bench (ctest label "bench"), never by the default test run.

#include "engine/engine.h"
#include "engine/noop_launcher.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace signalbox;
using namespace signalbox::engine;

namespace {

constexpr double kTarget = 50000.0;

struct Result {
    bool ok = false;
    double createSeconds = 0;
    double dispatchSeconds = 0;
    int launches = 0;
};

Result runOnce(const QString& dataDir, const QString& workflowPath, int expected) {
    Result result;
    QString error;
    std::unique_ptr<store::Store> store = store::Store::open(dataDir, &error);
    if (!store) {
        std::fprintf(stderr, "bench_dispatch: %s\n", qPrintable(error));
        return result;
    }
    Engine engine(*store);
    auto* noop = new NoopLauncher(0);
    engine.addPool(u"local"_s, noop);

    QEventLoop loop;
    RunStatus finalStatus = RunStatus::Queued;
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const QString&, RunStatus status) {
        finalStatus = status;
        loop.quit();
    });

    QElapsedTimer timer;
    timer.start();
    RunRequest request;
    request.workflowPath = workflowPath;
    workflow::Diagnostics diagnostics;
    const std::optional<QString> id = engine.createRun(request, &diagnostics);
    if (!id) {
        for (const auto& d : diagnostics)
            std::fprintf(stderr, "%s\n", qPrintable(d.format()));
        return result;
    }
    result.createSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (qEnvironmentVariableIsSet("BENCH_SYNC_CREATE")) { // diagnostics: what the initial insert costs
        store->sync();
        std::fprintf(stderr, "  createRun %.3f s, its insert committed at %.3f s\n", result.createSeconds,
                     timer.nsecsElapsed() / 1e9);
        result.createSeconds = double(timer.nsecsElapsed()) / 1e9;
    }
    if (!engine.startRun(*id, &error)) {
        std::fprintf(stderr, "bench_dispatch: %s\n", qPrintable(error));
        return result;
    }
    qint64 lastFinishNs = 0;
    QObject::connect(noop, &Launcher::launchFinished, &loop, [&] {
        if (noop->inFlight() == 0 && noop->started() == expected)
            lastFinishNs = timer.nsecsElapsed();
    });
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    loop.exec();
    if (qEnvironmentVariableIsSet("BENCH_VERBOSE"))
        std::fprintf(stderr, "  last launch finished at %.3f s, runFinished at %.3f s\n", lastFinishNs / 1e9,
                     timer.nsecsElapsed() / 1e9);
    result.dispatchSeconds = double(timer.nsecsElapsed()) / 1e9 - result.createSeconds;
    result.launches = noop->started();
    result.ok = finalStatus == RunStatus::Succeeded && result.launches == expected &&
                store->run(*id)->status == RunStatus::Succeeded;
    if (!result.ok)
        std::fprintf(stderr, "bench_dispatch: run ended %s after %d launches (expected %d)\n",
                     qPrintable(toString(finalStatus)), result.launches, expected);
    return result;
}

bool writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 20000;
    if (n <= 0) {
        std::fprintf(stderr, "bench_dispatch: bad instance count '%s'\n", argv[1]);
        return 2;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_dispatch: cannot create a temporary dir\n");
        return 1;
    }

    // Shape 1: one task fanned out over n repos.
    QByteArray fanout = "name: bench-fanout\nrepos:\n";
    for (int r = 0; r < n; ++r) {
        QDir(dir.path()).mkpath(u"repos/r"_s + QString::number(r));
        fanout += "  - repos/r" + QByteArray::number(r) + "\n";
    }
    fanout += "tasks:\n  - id: build\n    for_each: repos\n    run: [build, '{{repo.name}}']\n";
    // Shape 2: n independent tasks.
    QByteArray tasks = "name: bench-tasks\ntasks:\n";
    for (int t = 0; t < n; ++t)
        tasks += "  - id: t" + QByteArray::number(t) + "\n    run: [step, t" + QByteArray::number(t) + "]\n";

    const QString fanoutPath = dir.filePath(u"fanout.yaml"_s);
    const QString tasksPath = dir.filePath(u"tasks.yaml"_s);
    if (!writeFile(fanoutPath, fanout) || !writeFile(tasksPath, tasks)) {
        std::fprintf(stderr, "bench_dispatch: cannot write the workflows\n");
        return 1;
    }

    bool allOk = true;
    const struct {
        const char* label;
        QString path;
        QString dataDir;
    } shapes[] = {{"1 task x repos", fanoutPath, dir.filePath(u"data-fanout"_s)},
                  {"independent tasks", tasksPath, dir.filePath(u"data-tasks"_s)}};
    const QByteArray only = argc > 2 ? QByteArray(argv[2]) : QByteArray(); // "fanout" or "tasks"
    for (const auto& shape : shapes) {
        if (!only.isEmpty() && !shape.dataDir.endsWith(QString::fromLatin1(only)))
            continue;
        const Result r = runOnce(shape.dataDir, shape.path, n);
        allOk = allOk && r.ok;
        const double total = r.createSeconds + r.dispatchSeconds;
        const double rate = total > 0 ? n / total : 0;
        std::printf("bench_dispatch: %d instances (%s), no-op pool, real store: plan+record %.3f s, "
                    "dispatch %.3f s, end to end %.3f s = %.0f instances/s (target >= %.0f) %s\n",
                    n, shape.label, r.createSeconds, r.dispatchSeconds, total, rate, kTarget,
                    !r.ok             ? "FAILED"
                    : rate >= kTarget ? "OK"
                                      : "BELOW TARGET");
        std::fflush(stdout);
    }
    return allOk ? 0 : 1;
}
