// Dead letter queue store (issue 4): 1,000,000 realistic entries enqueued through
// Store::dlqEnqueue in batches of 1,000, against a baseline of the same number of rows of
// the same size inserted with raw sqlite3 into a plain table (same process, same pragmas,
// same batch size). Then, on the full queue: a filtered page of 100 (first and a later
// keyset page), group counts, stats, bytes per entry, and a bulk-retry dry run over
// 100,000 matching entries. Targets are enforced (exit 1) in optimised builds only.
//
// Usage: bench_dlq [--entries N] [--batch N] [--keep DIR]

#include "bench_args.h"
#include "dlq/history.h"
#include "dlq/signature.h"
#include "domain/ids.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <limits>
#include <sqlite3.h>
#include <vector>

using namespace signalbox;
using namespace signalbox::store;
using namespace signalbox::dlq;

namespace {

constexpr double kMinEntriesPerSecond = 100'000;
constexpr double kMaxRatio = 2.0;
constexpr double kMaxPageMs = 5;
constexpr double kMaxGroupsMs = 300;
constexpr double kMaxStatsMs = 50;
constexpr double kMaxBytesPerEntry = 1.5 * 1024;
constexpr double kMaxDryRunMs = 1000;

const char* const kWorkflows[] = {"nightly-checks", "release", "deps-update", "lint-all", "security-scan",
                                  "docs",           "perf",    "migrate-db",  "canary",   "cleanup"};
const char* const kTasks[] = {"unit-tests", "integration", "build",        "package",     "deploy-staging",
                              "lint",       "typecheck",   "e2e",          "docker-push", "sbom",
                              "fmt-check",  "audit",       "bench-smoke",  "migrate",     "snapshot",
                              "publish",    "coverage",    "license-scan", "cache-warm",  "notify"};

// Error lines by category (cli.md categories), with placeholders: %1 repo, %2 number.
struct Pattern {
    ErrorCategory category;
    const char* text;
};
const Pattern kPatterns[] = {
    {ErrorCategory::Transient,
     "timeout after %2 s waiting for lock /var/lock/%1.lock held by another job (%3)"},
    {ErrorCategory::Transient,
     "resource temporarily unavailable: fork of worker %2 for %1 failed, retrying later (%3)"},
    {ErrorCategory::Network,
     "fatal: unable to access 'https://git.example.com/%1.git/': Could not resolve host (try %2, %3)"},
    {ErrorCategory::Network,
     "error: connect ECONNREFUSED 10.0.%2.17:443 while fetching artifacts for %1 (%3)"},
    {ErrorCategory::Resource,
     "Killed: out of memory (rss %2 MB exceeds limit of 2048 MB) while building %1 (%3)"},
    {ErrorCategory::Permission, "permission denied: open /srv/repos/%1/.cache/build-%2.lock: EACCES (%3)"},
    {ErrorCategory::Validation,
     "validation failed: field 'spec.replicas' must be >= 1 in deploy/%1-%2.yaml (%3)"},
    {ErrorCategory::Permanent,
     "FAILED tests/test_%1.py::test_case_%2 - AssertionError: expected 200, got 500 (%3)"},
};

struct Template {
    int task;
    int pattern;
    QString variant; // makes ~100 distinct signatures
    QString signature;
};

struct Generator {
    QRandomGenerator rng{20261123};
    std::vector<Template> templates;
    QStringList repos;
    QString runId;
    QByteArray tailLines;

    Generator() {
        for (int r = 0; r < 500; ++r)
            repos.append(QStringLiteral("service-%1").arg(r, 3, 10, QLatin1Char('0')));
        // 100 templates; the category mix follows the patterns' (2 transient, 2 network, ...).
        const char* const variants[] = {"ci-runner-a", "ci-runner-b", "ci-runner-c", "ci-runner-d",
                                        "ci-runner-e", "ci-runner-f", "ci-runner-g", "ci-runner-h",
                                        "ci-runner-i", "ci-runner-j", "ci-runner-k", "ci-runner-l",
                                        "ci-runner-m"};
        for (int t = 0; t < 100; ++t) {
            Template tpl;
            tpl.pattern = t % int(std::size(kPatterns));
            tpl.task = t % int(std::size(kTasks));
            tpl.variant = QString::fromLatin1(variants[t / int(std::size(kPatterns))]);
            tpl.signature = errorSignature(QString::fromLatin1(kTasks[tpl.task]),
                                           QString::fromLatin1(kPatterns[tpl.pattern].text)
                                               .arg(QStringLiteral("x"), QStringLiteral("1"), tpl.variant),
                                           QString());
            templates.push_back(tpl);
        }
    }

    DeadLetter make(qint64 i) {
        if (i % 50 == 0)
            runId = newRunId(); // a run with 50 failed instances
        const Template& tpl = templates[rng.bounded(quint32(templates.size()))];
        const QString& repo = repos[int(rng.bounded(quint32(repos.size())))];
        DeadLetter e;
        e.runId = runId;
        e.index = int(i % 50);
        e.workflow = QString::fromLatin1(kWorkflows[(i / 50) % 10]);
        e.taskId = QString::fromLatin1(kTasks[tpl.task]);
        e.repo = repo;
        e.repoPath = QStringLiteral("/srv/repos/") + repo;
        const quint32 s =
            rng.bounded(100u); // 40% pending, 5% retrying, 20% exhausted, 15% completed, 20% archived
        e.status = s < 40   ? DlqStatus::Pending
                   : s < 45 ? DlqStatus::Retrying
                   : s < 65 ? DlqStatus::Exhausted
                   : s < 80 ? DlqStatus::Completed
                            : DlqStatus::Archived;
        e.category = kPatterns[tpl.pattern].category;
        e.policy = defaultPolicyFor(e.category);
        e.attempts = 1 + int(rng.bounded(4u));
        e.maxRetries = 3;
        e.error = QString::fromLatin1(kPatterns[tpl.pattern].text)
                      .arg(repo, QString::number(100 + rng.bounded(9000u)), tpl.variant);
        e.exitCode = 1 + int(rng.bounded(2u));
        e.signature = tpl.signature;
        e.enqueuedAtMs = 1'795'428'000'000 + i * 100;
        e.updatedAtMs = e.enqueuedAtMs;
        if (e.status == DlqStatus::Pending && e.policy != RetryPolicy::Never)
            e.nextRetryAtMs = e.enqueuedAtMs + 300'000 + qint64(rng.bounded(600'000u));
        e.original.argv = {QStringLiteral("/usr/bin/env"), QStringLiteral("bash"), QStringLiteral("-lc"),
                           QStringLiteral("make %1 REPO=%2 -j4").arg(e.taskId, repo)};
        e.original.env = {
            {QStringLiteral("SIGNALBOX_RUN_ID"), runId}, {QStringLiteral("SIGNALBOX_TASK"), e.taskId},
            {QStringLiteral("SIGNALBOX_REPO"), repo},    {QStringLiteral("SIGNALBOX_REPO_PATH"), e.repoPath},
            {QStringLiteral("CI"), QStringLiteral("1")}, {QStringLiteral("LANG"), QStringLiteral("C.UTF-8")}};
        e.original.workingDir = e.repoPath;
        e.original.pool = QStringLiteral("local");
        HistoryEvent enqueued;
        enqueued.atMs = e.enqueuedAtMs;
        enqueued.event = QStringLiteral("enqueued");
        enqueued.actor = QStringLiteral("auto");
        enqueued.detail = e.error;
        enqueued.exitCode = e.exitCode;
        e.historyJson = "[" + toJsonBytes(enqueued) + "]";
        // The last lines of output (kept in dlq_tails, outside the size budget).
        e.outputTail =
            QStringLiteral("+ make %1\nrunning %2 steps\n%3\nmake: *** [Makefile:42: %1] Error 1\n")
                .arg(e.taskId)
                .arg(i % 97)
                .arg(e.error);
        return e;
    }
};

// Bytes an entry carries in its three rows (entry, details, tail), for the baseline rows.
struct EntryBytes {
    qint64 row = 0;
    qint64 details = 0;
    qint64 tail = 0;
    qint64 total() const { return row + details + tail; }
};
EntryBytes entryBytes(const DeadLetter& e) {
    EntryBytes b;
    b.row = 8 * 9; // integer columns
    for (const QString* s : {&e.runId, &e.workflow, &e.taskId, &e.repo, &e.repoPath, &e.error, &e.signature})
        b.row += s->toUtf8().size();
    b.details =
        QJsonDocument(toJson(e.original)).toJson(QJsonDocument::Compact).size() + e.historyJson.size();
    b.tail = e.outputTail.toUtf8().size();
    return b;
}

// Bytes this process has written so far (all files), from /proc/self/io.
qint64 writtenBytes() {
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : io.readAll().split('\n')) {
        if (line.startsWith("wchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return 0;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

template <typename F> double timeMs(F&& f) {
    QElapsedTimer t;
    t.start();
    f();
    return double(t.nsecsElapsed()) / 1e6;
}

template <typename F> double medianMs(int runs, F&& f) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i)
        times.push_back(timeMs(f));
    return median(times);
}

bool exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::fprintf(stderr, "bench_dlq: sqlite: %s: %s\n", sql, message ? message : "?");
        sqlite3_free(message);
        return false;
    }
    return true;
}

// Plain batched inserts with raw sqlite3, same pragmas and batches as the store: per
// entry, one row of `sizes` (the baseline of the target: one plain table), or, with
// several sizes, one row in each of that many plain tables (the store's three-table
// layout without indexes, counts or the writer thread: for reference).
double baselineMs(const QString& path, qint64 rows, int batch, const QList<qint64>& sizes) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return -1;
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;");
    QByteArray noise(8192, Qt::Uninitialized);
    QRandomGenerator rng(7);
    for (char& c : noise)
        c = char('a' + rng.bounded(26u));
    std::vector<sqlite3_stmt*> inserts;
    for (qsizetype t = 0; t < sizes.size(); ++t) {
        const QByteArray create =
            "CREATE TABLE plain" + QByteArray::number(t) + " (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
        exec(db, create.constData());
        const QByteArray sql = "INSERT INTO plain" + QByteArray::number(t) + " (id, payload) VALUES (?1, ?2)";
        sqlite3_stmt* insert = nullptr;
        sqlite3_prepare_v2(db, sql.constData(), -1, &insert, nullptr);
        inserts.push_back(insert);
    }
    const double ms = timeMs([&] {
        for (qint64 i = 0; i < rows; i += batch) {
            exec(db, "BEGIN IMMEDIATE");
            for (qint64 j = i; j < std::min(rows, i + batch); ++j) {
                for (qsizetype t = 0; t < sizes.size(); ++t) {
                    sqlite3_stmt* insert = inserts[std::size_t(t)];
                    sqlite3_bind_int64(insert, 1, j + 1);
                    sqlite3_bind_blob(insert, 2, noise.constData() + (j * 61) % 4096, int(sizes[t]),
                                      SQLITE_STATIC);
                    sqlite3_step(insert);
                    sqlite3_reset(insert);
                }
            }
            exec(db, "COMMIT");
        }
    });
    for (sqlite3_stmt* insert : inserts)
        sqlite3_finalize(insert);
    sqlite3_close(db);
    return ms;
}

void removeDatabase(const QString& path) {
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
}

struct SizeReport {
    qint64 fileBytes = 0;
    qint64 tailBytes = 0;  // dlq_tails pages (dbstat)
    qint64 otherBytes = 0; // everything else by dbstat
    QList<QPair<QString, qint64>> byObject;
    qint64 freeBytes = 0;
};

SizeReport measureSize(const QString& path) {
    SizeReport report;
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return report;
    sqlite3_busy_timeout(db, 10'000);
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    report.fileBytes = QFileInfo(path).size();
    sqlite3_stmt* s = nullptr;
    // Free pages (the drained inbox's, mostly) are reused by later writes: not entry bytes.
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT freelist_count FROM pragma_freelist_count) * "
                           "(SELECT page_size FROM pragma_page_size)",
                           -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        report.freeBytes = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC", -1, &s,
                           nullptr) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            const QString name = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
            const qint64 bytes = sqlite3_column_int64(s, 1);
            report.byObject.append({name, bytes});
            if (name == u"dlq_tails")
                report.tailBytes += bytes;
            else
                report.otherBytes += bytes;
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return report;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const std::optional<bench::BenchArgs> parsed =
        bench::parseBenchArgs(app.arguments(), QLatin1StringView("--entries"), "bench_dlq");
    if (!parsed)
        return 2;
    const qint64 total = parsed->count;
    const int batchSize = parsed->batch;
    const QString keepDir = parsed->keepDir;
    QTemporaryDir tmp;
    const QString dataDir = keepDir.isEmpty() ? tmp.path() : keepDir;
    QDir().mkpath(dataDir);

    // Build the entries first: the figures are the store's, not the generator's.
    Generator generator;
    QList<QList<DeadLetter>> batches;
    EntryBytes bytes;
    qint64 errorChars = 0;
    for (qint64 i = 0; i < total; i += batchSize) {
        QList<DeadLetter> batch;
        batch.reserve(batchSize);
        for (qint64 j = i; j < std::min(total, i + batchSize); ++j) {
            DeadLetter e = generator.make(j);
            if (j < 10'000) {
                const EntryBytes b = entryBytes(e);
                bytes.row += b.row;
                bytes.details += b.details;
                bytes.tail += b.tail;
            }
            errorChars += e.error.size();
            batch.append(std::move(e));
        }
        batches.append(std::move(batch));
    }
    const qint64 sampled = std::min<qint64>(total, 10'000);
    const qint64 rowBytes = bytes.total() / sampled;
    std::printf(
        "data: %lld entries, avg %lld bytes each (row + recipe + history + tail), avg error %.0f chars, "
        "%zu signatures\n",
        static_cast<long long>(total), static_cast<long long>(rowBytes), double(errorChars) / double(total),
        generator.templates.size());

    // (1a) Baseline: raw sqlite3, one plain table, same rows, same batches.
    const QString baselinePath = QDir(dataDir).filePath(QStringLiteral("baseline.db"));
    const qint64 plainWriteStart = writtenBytes();
    const double plainMs = baselineMs(baselinePath, total, batchSize, {rowBytes});
    const qint64 plainWritten = writtenBytes() - plainWriteStart;
    removeDatabase(baselinePath);
    const double layoutMs = baselineMs(baselinePath, total, batchSize,
                                       {bytes.row / sampled, bytes.details / sampled, bytes.tail / sampled});
    removeDatabase(baselinePath);

    // (1b) The store.
    QString error;
    auto store = Store::open(dataDir, &error);
    if (!store) {
        std::fprintf(stderr, "bench_dlq: error: %s\n", qPrintable(error));
        return 3;
    }
    qint64 enqueuedKeys = 0;
    double callsMs = 0; // of which the calls themselves (recipes to JSON on this thread)
    // Enqueue is durable when its write commits (the callbacks run on the writer thread,
    // in order): the last callback marks the end of the enqueue. The inbox then moves into
    // the indexed tables (drain), which sync() waits for: timed separately.
    std::atomic<qint64> committedNs{0};
    const std::clock_t cpuStart = std::clock();
    const qint64 storeWriteStart = writtenBytes();
    QElapsedTimer clock;
    const double indexedMs = timeMs([&] {
        clock.start();
        QElapsedTimer calls;
        calls.start();
        for (auto& batch : batches)
            store->dlqEnqueue(std::move(batch), std::numeric_limits<int>::max(),
                              [&](const DlqEnqueueResult& r) {
                                  enqueuedKeys += r.keys.size();
                                  committedNs = clock.nsecsElapsed();
                              });
        callsMs = double(calls.nsecsElapsed()) / 1e6;
        store->sync();
    });
    const double storeMs = double(committedNs.load()) / 1e6;
    std::printf(
        "enqueue: durable (inbox committed) after %.0f ms; indexed (drained, readable by every query) after "
        "%.0f ms = %.0f entries/s\n",
        storeMs, indexedMs, double(total) / (indexedMs / 1000.0));
    const double cpuMs = double(std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC;
    const qint64 storeWritten = writtenBytes() - storeWriteStart;
    batches.clear();
    const double perSecond = double(total) / (storeMs / 1000.0);
    std::printf(
        "enqueue: calls returned after %.0f ms (recipes to JSON on the calling thread); process cpu %.0f ms; "
        "written %.0f bytes per entry (baseline %.0f per row)\n",
        callsMs, cpuMs, double(storeWritten) / double(total), double(plainWritten) / double(total));
    const double plainPerSecond = double(total) / (plainMs / 1000.0);
    const double ratio = storeMs / plainMs;
    std::printf("enqueue: reference baseline, raw sqlite3 with the store's three rows per entry (entry %lld, "
                "details %lld, tail %lld bytes) in plain tables: %.0f ms, ratio %.2f\n",
                static_cast<long long>(bytes.row / sampled), static_cast<long long>(bytes.details / sampled),
                static_cast<long long>(bytes.tail / sampled), layoutMs, storeMs / layoutMs);
    std::printf("enqueue: %lld entries in %.0f ms = %.0f entries/s (target >= %.0f); baseline raw sqlite3 "
                "%.0f ms = %.0f rows/s; ratio %.2f (target <= %.1f)\n",
                static_cast<long long>(total), storeMs, perSecond, kMinEntriesPerSecond, plainMs,
                plainPerSecond, ratio, kMaxRatio);

    // (2) A filtered page of 100, newest first, and a later keyset page.
    DlqFilter filter;
    filter.statuses = {DlqStatus::Pending};
    filter.categories = {ErrorCategory::Transient};
    DlqPageRequest page;
    page.limit = 100;
    QList<DeadLetter> first;
    const double firstMs = medianMs(200, [&] { first = store->dlqEntries(filter, page); });
    DlqPageRequest later = page;
    DeadLetter middle;
    middle.key = total / 2; // a page from the middle of the queue
    later.after = middle;
    QList<DeadLetter> laterPage;
    const double laterMs = medianMs(200, [&] { laterPage = store->dlqEntries(filter, later); });
    DlqPageRequest byUpdated = page; // another sort key, for reference (no index on updated_at)
    byUpdated.sort = DlqSort{DlqSortKey::Workflow, false};
    const double workflowMs = medianMs(20, [&] { store->dlqEntries(filter, byUpdated); });
    std::printf("page: status=pending category=transient, 100 newest: %.2f ms; keyset page from the middle: "
                "%.2f ms (medians of 200; target < %.0f ms); sorted by workflow: %.1f ms\n",
                firstMs, laterMs, kMaxPageMs, workflowMs);

    // (3) Group counts (the whole queue, then pending only).
    DlqGroupRequest groupRequest;
    QList<DlqGroup> groups;
    const double groupsMs = medianMs(5, [&] { groups = store->dlqGroups({}, groupRequest); });
    DlqFilter pending;
    pending.statuses = {DlqStatus::Pending};
    QList<DlqGroup> pendingGroups;
    const double pendingGroupsMs =
        medianMs(5, [&] { pendingGroups = store->dlqGroups(pending, groupRequest); });
    DlqFilter oneWorkflow; // not answered by the group counts table: counts the matching entries
    oneWorkflow.workflow = QString::fromLatin1(kWorkflows[1]);
    QList<DlqGroup> workflowGroups;
    const double workflowGroupsMs =
        medianMs(5, [&] { workflowGroups = store->dlqGroups(oneWorkflow, groupRequest); });
    std::printf("groups: %lld groups (100 largest, 20 ids each): all %.0f ms, pending only %.0f ms "
                "(medians of 5; target < %.0f ms); one workflow (%lld entries counted) %.0f ms\n",
                static_cast<long long>(groups.size()), groupsMs, pendingGroupsMs, kMaxGroupsMs,
                static_cast<long long>(store->dlqCount(oneWorkflow)), workflowGroupsMs);

    // (4) Stats.
    DlqStats stats;
    const double statsMs = medianMs(200, [&] { stats = store->dlqStats(); });
    std::printf("stats: %.3f ms (median of 200; target < %.0f ms), size %lld, pending %lld\n", statsMs,
                kMaxStatsMs, static_cast<long long>(stats.size),
                static_cast<long long>(stats.byStatus.value(QStringLiteral("pending"))));

    // (6) Bulk retry dry run: the count of what a filter matches plus a 5-entry sample.
    qint64 matching = 0;
    const double dryRunMs = medianMs(5, [&] {
        matching = store->dlqCount(filter);
        DlqPageRequest sample;
        sample.limit = 5;
        store->dlqEntries(filter, sample);
    });
    std::printf(
        "dry run: %lld matching entries counted + 5-entry sample: %.1f ms (median of 5; target < %.0f ms)\n",
        static_cast<long long>(matching), dryRunMs, kMaxDryRunMs);

    // (5) Bytes per entry: the file after a checkpoint, without the output tails' pages
    // (dbstat: the tails table's pages are subtracted).
    const QString dbPath = store->databasePath();
    store.reset();
    const SizeReport size = measureSize(dbPath);
    const double perEntry = double(size.fileBytes - size.tailBytes - size.freeBytes) / double(total);
    std::printf(
        "size: file %.1f MB after checkpoint, output tails %.1f MB, free pages %.1f MB; %.0f bytes per "
        "entry without tails and free pages (target < %.0f)\n",
        double(size.fileBytes) / 1e6, double(size.tailBytes) / 1e6, double(size.freeBytes) / 1e6, perEntry,
        kMaxBytesPerEntry);
    QStringList parts;
    for (const auto& [name, objectBytes] : size.byObject) {
        if (objectBytes * 100 >= size.fileBytes) // objects of 1% or more
            parts.append(
                QStringLiteral("%1 %2").arg(name).arg(double(objectBytes) / double(total), 0, 'f', 0));
    }
    std::printf("size by object (bytes per entry): %s\n", qPrintable(parts.join(QStringLiteral(", "))));

    const bool correct = enqueuedKeys == total && stats.size == total && !groups.isEmpty() &&
                         first.size() == std::min<qint64>(100, matching) && !laterPage.isEmpty() &&
                         matching > 0 && !pendingGroups.isEmpty() && !workflowGroups.isEmpty();
    if (!correct)
        std::printf("FAIL: enqueued %lld, stats size %lld, first page %lld, groups %lld, matching %lld\n",
                    static_cast<long long>(enqueuedKeys), static_cast<long long>(stats.size),
                    static_cast<long long>(first.size()), static_cast<long long>(groups.size()),
                    static_cast<long long>(matching));
#ifdef NDEBUG
    const bool fast = perSecond >= kMinEntriesPerSecond && ratio <= kMaxRatio && firstMs < kMaxPageMs &&
                      laterMs < kMaxPageMs && groupsMs < kMaxGroupsMs && pendingGroupsMs < kMaxGroupsMs &&
                      statsMs < kMaxStatsMs && perEntry < kMaxBytesPerEntry && dryRunMs < kMaxDryRunMs;
    std::printf("targets: %s\n", fast ? "met" : "MISSED");
#else
    const bool fast = true;
    std::printf("targets: not enforced in a debug build\n");
#endif
    return correct && fast ? 0 : 1;
}
