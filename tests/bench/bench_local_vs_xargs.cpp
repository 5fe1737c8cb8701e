// Local pool overhead against a shell baseline, in one process on the same machine:
//   baseline: 2,000 lines of `true` piped into `/usr/bin/xargs -P 2 -I{} true`
//   engine:   2,000 instances of `true` (one task fanned out over 2,000 repos) through
//             the Engine with LocalLauncher(capacity 2) and max_concurrent 2, real Store.
// Prints both wall times and the ratio. Target: engine / xargs <= 1.5.
// Usage: bench_local_vs_xargs [N]   (default 2000)
// Run by scripts/bench (ctest label "bench"), never by the default test run.

#include "engine/engine.h"
#include "pools/local_launcher.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace signalbox;
using namespace signalbox::engine;

namespace {

constexpr double kTargetRatio = 1.5;

// Seconds, or a negative value on failure.
double timeXargs(int n) {
    QByteArray input;
    input.reserve(n * 5);
    for (int i = 0; i < n; ++i)
        input += "true\n";
    QProcess xargs;
    QElapsedTimer timer;
    timer.start();
    xargs.start(u"/usr/bin/xargs"_s, {u"-P"_s, u"2"_s, u"-I{}"_s, u"true"_s});
    if (!xargs.waitForStarted(10000))
        return -1;
    xargs.write(input);
    xargs.closeWriteChannel();
    if (!xargs.waitForFinished(600000) || xargs.exitStatus() != QProcess::NormalExit || xargs.exitCode() != 0)
        return -1;
    return double(timer.nsecsElapsed()) / 1e9;
}

double timeEngine(const QString& root, int n) {
    QByteArray yaml = "name: bench-local\nmax_concurrent: 2\nrepos:\n";
    for (int r = 0; r < n; ++r) {
        QDir(root).mkpath(u"repos/r"_s + QString::number(r));
        yaml += "  - repos/r" + QByteArray::number(r) + "\n";
    }
    yaml += "tasks:\n  - id: noop\n    for_each: repos\n    run: [\"true\"]\n";
    const QString path = QDir(root).filePath(u"local.yaml"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size())
        return -1;
    file.close();

    QString error;
    std::unique_ptr<store::Store> store = store::Store::open(QDir(root).filePath(u"data"_s), &error);
    if (!store) {
        std::fprintf(stderr, "bench_local_vs_xargs: %s\n", qPrintable(error));
        return -1;
    }
    Engine engine(*store);
    engine.addPool(u"local"_s, new pools::LocalLauncher(2));
    QEventLoop loop;
    RunStatus finalStatus = RunStatus::Queued;
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const QString&, RunStatus status) {
        finalStatus = status;
        loop.quit();
    });

    QElapsedTimer timer;
    timer.start();
    RunRequest request;
    request.workflowPath = path;
    workflow::Diagnostics diagnostics;
    const std::optional<QString> id = engine.createRun(request, &diagnostics);
    if (!id) {
        for (const auto& d : diagnostics)
            std::fprintf(stderr, "%s\n", qPrintable(d.format()));
        return -1;
    }
    if (!engine.startRun(*id, &error)) {
        std::fprintf(stderr, "bench_local_vs_xargs: %s\n", qPrintable(error));
        return -1;
    }
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (finalStatus != RunStatus::Succeeded) {
        std::fprintf(stderr, "bench_local_vs_xargs: the run ended %s\n", qPrintable(toString(finalStatus)));
        return -1;
    }
    return seconds;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 2000;
    if (n <= 0) {
        std::fprintf(stderr, "bench_local_vs_xargs: bad instance count '%s'\n", argv[1]);
        return 2;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_local_vs_xargs: cannot create a temporary dir\n");
        return 1;
    }
    const double xargs = timeXargs(n);
    if (xargs <= 0) {
        std::fprintf(stderr, "bench_local_vs_xargs: the xargs baseline failed\n");
        return 1;
    }
    const double engine = timeEngine(dir.path(), n);
    if (engine <= 0)
        return 1;
    const double ratio = engine / xargs;
    std::printf("bench_local_vs_xargs: %d x true, 2 at a time: xargs -P 2 %.3f s, engine (LocalLauncher 2, "
                "max_concurrent 2, real store) %.3f s, ratio %.2f (target <= %.1f) %s\n",
                n, xargs, engine, ratio, kTargetRatio, ratio <= kTargetRatio ? "OK" : "ABOVE TARGET");
    return 0;
}
