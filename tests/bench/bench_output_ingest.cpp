// Output ingest, end to end: one task prints 1,000,000 lines; the engine reads them from the
// child's pipe, parses the output protocol and stores them (FTS5-indexed) in SQLite.
// Reports lines/s from start to "run finished" (everything committed), then the time of a
// full-text search for a rare word and for a common one. Baseline, same process: the same
// generator with its output thrown away (the cost of producing the lines at all).
//
//   scripts/bench -R bench_output_ingest        (target: >= 300,000 lines/s; search < 50 ms)

#include "domain/records.h"
#include "engine/engine.h"
#include "pools/local_launcher.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <cstdio>

using namespace signalbox;

namespace {

constexpr int kLines = 1'000'000;
// Every 10,000th line carries the rare word "needle"; every line has "fox".
const QByteArray kGenerator =
    "awk 'BEGIN { for (i = 1; i <= 1000000; i++) { if (i % 10000 == 0) w = \"needle\"; else w = \"hay\"; "
    "printf \"line %d: the quick brown fox jumps over the lazy dog %s\\n\", i, w } }'";

double baselineSeconds() {
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromUtf8(kGenerator)});
    process.waitForFinished(-1);
    return timer.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    QString error;
    auto store = store::Store::open(dir.filePath(QStringLiteral("data")), &error);
    if (!store) {
        std::fprintf(stderr, "bench_output_ingest: %s\n", qPrintable(error));
        return 1;
    }
    engine::Engine engine(*store);
    engine.addPool(QStringLiteral("local"), new pools::LocalLauncher(2));

    const QString workflowPath = dir.filePath(QStringLiteral("flood.yaml"));
    QFile file(workflowPath);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write("name: flood\ntasks:\n  - id: flood\n    run: |\n      " + kGenerator + "\n");
    file.close();

    const double baseline = baselineSeconds();

    engine::RunRequest request;
    request.workflowPath = workflowPath;
    workflow::Diagnostics diagnostics;
    const auto runId = engine.createRun(request, &diagnostics);
    if (!runId) {
        std::fprintf(stderr, "bench_output_ingest: %s\n", qPrintable(diagnostics.value(0).format()));
        return 1;
    }
    QEventLoop loop;
    QObject::connect(&engine, &engine::Engine::runFinished, &loop, [&loop] { loop.quit(); });
    QElapsedTimer timer;
    timer.start();
    if (!engine.startRun(*runId, &error))
        return 1;
    loop.exec();
    const double seconds = timer.nsecsElapsed() / 1e9;

    const qint64 stored = store->logLineCount(*runId);
    if (stored < kLines) {
        std::fprintf(stderr, "bench_output_ingest: only %lld of %d lines stored\n", static_cast<long long>(stored),
                     kLines);
        return 1;
    }

    auto timeSearch = [&](const QString& word, int limit, qsizetype* hits) {
        store::LogQuery query;
        query.runId = *runId;
        query.match = word;
        query.limit = limit;
        QElapsedTimer searchTimer;
        searchTimer.start();
        *hits = store->logs(query).size();
        return searchTimer.nsecsElapsed() / 1e6;
    };
    qsizetype rareHits = 0;
    qsizetype commonHits = 0;
    const double rareMs = timeSearch(QStringLiteral("needle"), 1000, &rareHits);
    const double commonMs = timeSearch(QStringLiteral("fox"), 1000, &commonHits);

    std::printf("output_ingest: %d lines stored in %.2f s = %.0f lines/s (target >= 300000); "
                "generator alone %.2f s, ratio %.2fx\n",
                kLines, seconds, kLines / seconds, baseline, seconds / baseline);
    std::printf("output_search: rare word %.1f ms (%lld hits), common word %.1f ms (%lld hits, limit 1000) "
                "(target < 50 ms)\n",
                rareMs, static_cast<long long>(rareHits), commonMs, static_cast<long long>(commonHits));
    return (kLines / seconds >= 300'000 && rareMs < 50 && commonMs < 50) ? 0 : 1;
}
