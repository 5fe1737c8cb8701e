// Desktop console start-up on a big data dir (issue 5): `signalbox --smoke-test` (start,
// open the data dir, first paint, show every view, exit) on a data dir of 100,000 runs
// and 1,000,000 dead letters, against the same on an empty data dir (the baseline).
// Reports first_paint_ms and peak_rss_kb (median, min, max of N launches) and the ratios.
// The big data dir is generated once (core/demo) and cached under the build dir.
// Targets (enforced in optimised builds): first paint < 1 s, peak RSS < 300 MB.
//
// Then, to tell where a slow start goes, the console's first reads timed on that data dir
// straight through the Store (the backend thread does the same reads, one after another).
//
// Usage: bench_console_startup [--runs N] [--dead-letters N] [--repeat N] [--cache DIR]

#include "demo/demo_data.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace signalbox;

namespace {

constexpr double kMaxFirstPaintMs = 1000;
constexpr double kMaxPeakRssKb = 300 * 1024;
constexpr int kLaunchTimeoutMs = 120'000;

struct Options {
    int runs = 100'000;
    int deadLetters = 1'000'000;
    int repeat = 5;
    QString cacheDir = QStringLiteral(SIGNALBOX_BENCH_CACHE_DIR);
};

struct Sample {
    double firstPaintMs = 0;
    double peakRssKb = 0;
    double dataReadyMs = 0; // engine open and the status bar's first figures
};

struct Summary {
    double median = 0;
    double min = 0;
    double max = 0;
};

Summary summarize(QList<double> values) {
    std::sort(values.begin(), values.end());
    if (values.isEmpty())
        return {};
    return {values.at(values.size() / 2), values.first(), values.last()};
}

std::optional<Options> parse(const QStringList& args) {
    Options options;
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            options.runs = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--dead-letters"))
            options.deadLetters = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--repeat"))
            options.repeat = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--cache"))
            options.cacheDir = args[i + 1];
    }
    if (options.runs <= 0 || options.deadLetters < 0 || options.repeat <= 0) {
        std::fprintf(stderr, "bench_console_startup: error: --runs and --repeat must be positive\n");
        return std::nullopt;
    }
    return options;
}

// The demo data dir for this size, generated on first use. A marker file written last
// tells a complete one from a generation that was interrupted.
QString cachedDataDir(const Options& options) {
    const QString dir =
        QDir(options.cacheDir)
            .filePath(QStringLiteral("console-%1-runs-%2-dlq").arg(options.runs).arg(options.deadLetters));
    const QString marker = QDir(dir).filePath(QStringLiteral("demo-complete"));
    if (QFile::exists(marker)) {
        std::printf("data dir: %s (cached)\n", qPrintable(dir));
        return dir;
    }
    QDir(dir).removeRecursively();
    demo::DemoSize size;
    size.runs = options.runs;
    size.deadLetters = options.deadLetters;
    QElapsedTimer timer;
    timer.start();
    QString error;
    if (!demo::generate(dir, size, &error)) {
        std::fprintf(stderr, "bench_console_startup: error: %s\n", qPrintable(error));
        return {};
    }
    const double seconds = double(timer.elapsed()) / 1000.0;
    std::printf("generated %d runs and %d dead letters in %.1f s into %s\n", options.runs,
                options.deadLetters, seconds, qPrintable(dir));
    QFile done(marker);
    if (!done.open(QIODevice::WriteOnly))
        std::fprintf(stderr, "bench_console_startup: warning: cannot write %s\n", qPrintable(marker));
    return dir;
}

std::optional<Sample> launch(const QString& dataDir) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")) && !env.contains(QStringLiteral("DISPLAY")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SIGNALBOX_GUI_BINARY),
                  {QStringLiteral("--smoke-test"), QStringLiteral("--data-dir"), dataDir,
                   QStringLiteral("--theme"), QStringLiteral("light"),
                   // every view shown long enough to load its first pages: the peak
                   // memory is that of a console with every view open on this data
                   QStringLiteral("--settle"), QStringLiteral("1500")});
    if (!process.waitForFinished(kLaunchTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        std::fprintf(stderr, "bench_console_startup: signalbox --smoke-test failed (exit %d): %s\n",
                     process.exitCode(), process.readAllStandardError().constData());
        return std::nullopt;
    }
    // The report is the last line of stdout.
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QJsonObject report = QJsonDocument::fromJson(lines.constLast()).object();
    if (!report.contains(QStringLiteral("first_paint_ms"))) {
        std::fprintf(stderr, "bench_console_startup: unexpected report: %s\n", lines.constLast().constData());
        return std::nullopt;
    }
    return Sample{report.value(QStringLiteral("first_paint_ms")).toDouble(),
                  report.value(QStringLiteral("peak_rss_kb")).toDouble(),
                  report.value(QStringLiteral("data_ready_ms")).toDouble()};
}

// Each read the console's views make when they open, timed once on the big data dir.
void profileFirstReads(const QString& dataDir) {
    QString error;
    std::unique_ptr<store::Store> store;
    QElapsedTimer timer;
    timer.start();
    store = store::Store::open(dataDir, &error);
    if (!store) {
        std::fprintf(stderr, "bench_console_startup: %s\n", qPrintable(error));
        return;
    }
    std::printf("first reads on the big data dir (ms):\n  Store::open %lld\n",
                static_cast<long long>(timer.restart()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    store::ActivityQuery activity;
    activity.toMs = now;
    activity.fromMs = now - 24 * 3600 * 1000LL;
    activity.bucketMs = 10 * 60 * 1000;
    store->activity(activity);
    std::printf("  activity (overview, 24 h in 10 min buckets) %lld\n",
                static_cast<long long>(timer.restart()));
    store->dlqStats();
    std::printf("  dlqStats %lld\n", static_cast<long long>(timer.restart()));
    store->runPage({});
    std::printf("  runPage (first 200 runs with counts) %lld\n", static_cast<long long>(timer.restart()));
    QStringList names;
    for (const CatalogRepo& repo : store->catalog())
        names.append(repo.name);
    store->lastResults(names);
    std::printf("  lastResults (%lld catalog repos) %lld\n", static_cast<long long>(names.size()),
                static_cast<long long>(timer.restart()));
    store->dlqEntries({}, {});
    std::printf("  dlqEntries (first page) %lld\n", static_cast<long long>(timer.restart()));
    store->dlqCount({});
    std::printf("  dlqCount (no filter) %lld\n", static_cast<long long>(timer.restart()));
    store->dlqGroups({}, {});
    std::printf("  dlqGroups (no filter) %lld\n", static_cast<long long>(timer.restart()));
    std::fflush(stdout);
}

struct Measured {
    Summary firstPaint;
    Summary peakRss;
    Summary dataReady;
};

std::optional<Measured> measure(const char* label, const QString& dataDir, int repeat) {
    QList<double> paints;
    QList<double> rss;
    QList<double> ready;
    for (int i = 0; i < repeat; ++i) {
        const std::optional<Sample> sample = launch(dataDir);
        if (!sample)
            return std::nullopt;
        paints.append(sample->firstPaintMs);
        rss.append(sample->peakRssKb);
        ready.append(sample->dataReadyMs);
        std::printf("  %s #%d: first_paint_ms %.0f, data_ready_ms %.0f, peak_rss_kb %.0f\n", label, i + 1,
                    sample->firstPaintMs, sample->dataReadyMs, sample->peakRssKb);
        std::fflush(stdout);
    }
    return Measured{summarize(paints), summarize(rss), summarize(ready)};
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const std::optional<Options> options = parse(app.arguments());
    if (!options)
        return 2;
    const QString big = cachedDataDir(*options);
    if (big.isEmpty())
        return 1;
    profileFirstReads(big);
    QTemporaryDir empty;
    if (!empty.isValid())
        return 1;

    const std::optional<Measured> baseline = measure("empty", empty.path(), options->repeat);
    const std::optional<Measured> loaded = measure("demo", big, options->repeat);
    if (!baseline || !loaded)
        return 1;

    std::printf("console_startup (median of %d; min-max):\n", options->repeat);
    std::printf("  empty data dir: first paint %.0f ms (%.0f-%.0f), peak RSS %.0f kB (%.0f-%.0f)\n",
                baseline->firstPaint.median, baseline->firstPaint.min, baseline->firstPaint.max,
                baseline->peakRss.median, baseline->peakRss.min, baseline->peakRss.max);
    std::printf(
        "  %d runs + %d dead letters: first paint %.0f ms (%.0f-%.0f), peak RSS %.0f kB (%.0f-%.0f)\n",
        options->runs, options->deadLetters, loaded->firstPaint.median, loaded->firstPaint.min,
        loaded->firstPaint.max, loaded->peakRss.median, loaded->peakRss.min, loaded->peakRss.max);
    std::printf("  engine open with first figures (data_ready_ms): empty %.0f ms, loaded %.0f ms (%.0f-%.0f)\n",
                baseline->dataReady.median, loaded->dataReady.median, loaded->dataReady.min,
                loaded->dataReady.max);
    std::printf("  ratio vs empty: first paint %.2fx, peak RSS %.2fx (targets: first paint < %.0f ms, peak "
                "RSS < %.0f kB)\n",
                loaded->firstPaint.median / std::max(1.0, baseline->firstPaint.median),
                loaded->peakRss.median / std::max(1.0, baseline->peakRss.median), kMaxFirstPaintMs,
                kMaxPeakRssKb);
    const bool met = loaded->firstPaint.median < kMaxFirstPaintMs && loaded->peakRss.median < kMaxPeakRssKb;
    std::printf("  %s\n", met ? "targets met" : "TARGET MISSED");
#ifdef NDEBUG
    return met ? 0 : 1;
#else
    return 0; // unoptimised builds report only
#endif
}
