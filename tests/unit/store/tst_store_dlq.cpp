// Store: the dead letter queue tables. Entries round-trip with their details, history is
// appended (never rewritten), every filter field narrows, keyset pages neither skip nor
// repeat entries (also while entries are added), groups, constant-time stats that agree
// with a full recount, eviction order, purge, bulk jobs, audit journal, settings, reopen.

#include "dlq/history.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <functional>
#include <limits>

using namespace signalbox;
using namespace signalbox::store;
using namespace signalbox::dlq;

namespace {

const QStringList kWorkflows{QStringLiteral("nightly"), QStringLiteral("deploy"), QStringLiteral("lint")};
const QStringList kTasks{QStringLiteral("test"), QStringLiteral("build"), QStringLiteral("push")};
const QStringList kRepos{QStringLiteral("billing"), QStringLiteral("api"), QString(), QStringLiteral("web")};

LaunchRecipe recipe(int i) {
    LaunchRecipe r;
    r.argv = {QStringLiteral("/usr/bin/make"), QStringLiteral("test"), QStringLiteral("-j%1").arg(i % 4 + 1)};
    r.env.insert(QStringLiteral("SIGNALBOX_RUN"), QStringLiteral("r_%1").arg(i));
    r.env.insert(QStringLiteral("CI"), QStringLiteral("1"));
    r.workingDir = QStringLiteral("/src/repo%1").arg(i);
    r.pool = QStringLiteral("local");
    return r;
}

QByteArray historyOf(const QString& event, qint64 at, const QString& detail = {}) {
    HistoryEvent e;
    e.atMs = at;
    e.event = event;
    e.actor = QStringLiteral("auto");
    e.detail = detail;
    return toJsonBytes(e);
}

// A varied, deterministic entry number i.
DeadLetter makeEntry(int i) {
    DeadLetter e;
    e.runId = QStringLiteral("r_%1").arg(i / 10);
    e.index = i % 10;
    e.workflow = kWorkflows[i % kWorkflows.size()];
    e.taskId = kTasks[(i / 3) % kTasks.size()];
    e.repo = kRepos[(i / 2) % kRepos.size()];
    e.repoPath = e.repo.isEmpty() ? QString() : QStringLiteral("/src/") + e.repo;
    e.status = static_cast<DlqStatus>(i % 5);
    e.category = static_cast<ErrorCategory>(1 + (i / 5) % 6);
    e.policy = static_cast<RetryPolicy>((i / 7) % 4);
    e.attempts = 1 + i % 4;
    e.maxRetries = 3;
    e.error = QStringLiteral("exit code %1: Connection Refused by host-%2").arg(i % 3).arg(i % 11);
    if (i % 3)
        e.exitCode = i % 3;
    if (i % 13 == 0)
        e.signal = 9;
    e.signature = QStringLiteral("sig%1").arg(i % 6);
    e.enqueuedAtMs = 1'000'000 + i * 10;
    e.updatedAtMs = 2'000'000 - i * 7;
    if (i % 4 == 1)
        e.nextRetryAtMs = 5'000'000 + (i * 37) % 101;
    e.original = recipe(i);
    e.historyJson = "[" + historyOf(QStringLiteral("enqueued"), e.enqueuedAtMs, e.error) + "]";
    return e;
}

QList<qint64> keysOf(const QList<DeadLetter>& entries) {
    QList<qint64> keys;
    for (const auto& e : entries)
        keys.append(e.key);
    return keys;
}

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<Store> store;

    bool open() {
        QString error;
        store = Store::open(dir.path(), &error);
        if (!store)
            qWarning("open: %s", qPrintable(error));
        return store != nullptr;
    }
    // Enqueues and waits; returns the callback's result.
    DlqEnqueueResult enqueue(QList<DeadLetter> entries, int maxSize = 1'000'000) {
        DlqEnqueueResult result;
        store->dlqEnqueue(std::move(entries), maxSize, [&](const DlqEnqueueResult& r) { result = r; });
        store->sync();
        return result;
    }
    // All entries matching filter, through pages of `pageSize`.
    QList<DeadLetter> all(const DlqFilter& filter, DlqSort sort = {}, int pageSize = 1000) {
        QList<DeadLetter> out;
        DlqPageRequest page;
        page.sort = sort;
        page.limit = pageSize;
        for (int guard = 0; guard < 100'000; ++guard) {
            const auto got = store->dlqEntries(filter, page);
            out += got;
            if (got.size() < pageSize)
                break;
            page.after = got.last();
        }
        return out;
    }
};

void compareEntry(const DeadLetter& got, const DeadLetter& want, bool details) {
    QCOMPARE(got.runId, want.runId);
    QCOMPARE(got.index, want.index);
    QCOMPARE(got.workflow, want.workflow);
    QCOMPARE(got.taskId, want.taskId);
    QCOMPARE(got.repo, want.repo);
    QCOMPARE(got.repoPath, want.repoPath);
    QCOMPARE(toString(got.status), toString(want.status));
    QCOMPARE(toString(got.category), toString(want.category));
    QCOMPARE(toString(got.policy), toString(want.policy));
    QCOMPARE(got.attempts, want.attempts);
    QCOMPARE(got.maxRetries, want.maxRetries);
    QCOMPARE(got.error, want.error);
    QCOMPARE(got.exitCode, want.exitCode);
    QCOMPARE(got.signal, want.signal);
    QCOMPARE(got.signature, want.signature);
    QCOMPARE(got.enqueuedAtMs, want.enqueuedAtMs);
    QCOMPARE(got.updatedAtMs, want.updatedAtMs);
    QCOMPARE(got.nextRetryAtMs, want.nextRetryAtMs);
    if (details) {
        QVERIFY(got.original == want.original);
        QCOMPARE(got.edited.has_value(), want.edited.has_value());
        if (want.edited)
            QVERIFY(*got.edited == *want.edited);
        QCOMPARE(got.outputTail, want.outputTail);
    }
}

// Sort value as the store defines it (NextRetry: none last either way).
bool lessBy(DlqSortKey key, bool desc, const DeadLetter& a, const DeadLetter& b) {
    auto cmp = [&](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    int c = 0;
    switch (key) {
    case DlqSortKey::Enqueued:
        c = 0;
        break;
    case DlqSortKey::Updated:
        c = cmp(a.updatedAtMs, b.updatedAtMs);
        break;
    case DlqSortKey::NextRetry: {
        const qint64 none = desc ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max();
        c = cmp(a.nextRetryAtMs.value_or(none), b.nextRetryAtMs.value_or(none));
        break;
    }
    case DlqSortKey::Workflow:
        c = cmp(a.workflow, b.workflow);
        break;
    case DlqSortKey::Task:
        c = cmp(a.taskId, b.taskId);
        break;
    case DlqSortKey::Repo:
        c = cmp(a.repo, b.repo);
        break;
    case DlqSortKey::Category:
        c = cmp(static_cast<int>(a.category), static_cast<int>(b.category));
        break;
    case DlqSortKey::Status:
        c = cmp(static_cast<int>(a.status), static_cast<int>(b.status));
        break;
    case DlqSortKey::Attempts:
        c = cmp(a.attempts, b.attempts);
        break;
    }
    if (c == 0)
        c = cmp(a.key, b.key);
    return desc ? c > 0 : c < 0;
}

// A full recount of the stored entries by status/category/policy, straight from SQLite.
QMap<QString, qint64> recount(const QString& dbPath) {
    QMap<QString, qint64> counts;
    auto db = SqliteConnection::open(dbPath, SqliteConnection::Mode::ReadOnly, nullptr);
    if (!db)
        return counts;
    for (const char* column : {"status", "category", "policy"}) {
        Statement* s =
            db->cached(std::string("SELECT ") + column + ", count(*) FROM dlq_entries GROUP BY 1", nullptr);
        while (s && s->step() == Statement::Step::Row)
            counts.insert(QStringLiteral("%1=%2").arg(QLatin1StringView(column)).arg(s->int64(0)),
                          s->int64(1));
        if (s)
            s->reset();
    }
    counts.insert(QStringLiteral("size"),
                  db->queryInt("SELECT count(*) FROM dlq_entries", nullptr).value_or(-1));
    return counts;
}

QMap<QString, qint64> fromStats(const DlqStats& stats) {
    QMap<QString, qint64> counts;
    for (int i = 0; i <= 4; ++i) {
        const qint64 n = stats.byStatus.value(toString(static_cast<DlqStatus>(i)));
        if (n)
            counts.insert(QStringLiteral("status=%1").arg(i), n);
    }
    for (int i = 1; i <= 6; ++i) {
        const qint64 n = stats.byCategory.value(toString(static_cast<ErrorCategory>(i)));
        if (n)
            counts.insert(QStringLiteral("category=%1").arg(i), n);
    }
    for (int i = 0; i <= 3; ++i) {
        const qint64 n = stats.byPolicy.value(toString(static_cast<RetryPolicy>(i)));
        if (n)
            counts.insert(QStringLiteral("policy=%1").arg(i), n);
    }
    counts.insert(QStringLiteral("size"), stats.size);
    return counts;
}

} // namespace

class TestStoreDlq final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void enqueueReadsBackEveryField() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 20; ++i)
            entries.append(makeEntry(i));
        entries[3].edited = recipe(99);
        entries[3].edited->env.insert(QStringLiteral("EXTRA"), QStringLiteral("é ü"));
        // Everything JSON must escape survives the recipe's JSON.
        entries[3].edited->argv.append(QStringLiteral("q\" b\\ n\n t\t r\r c\x01 \u00e9\U0001F600 /"));
        entries[3].original.env.insert(QStringLiteral("K\"EY\n"), QStringLiteral("\x1f\x7f"));
        entries[4].outputTail = QStringLiteral("line 1\nline 2 ünïcode\n");
        entries[5].repo.clear(); // no for_each
        entries[5].repoPath.clear();
        const DlqEnqueueResult result = f.enqueue(entries);
        QCOMPARE(result.keys.size(), 20);
        for (int i = 1; i < result.keys.size(); ++i)
            QVERIFY(result.keys[i] > result.keys[i - 1]);
        QCOMPARE(result.evicted, 0);
        QCOMPARE(result.sizeAfter, 20);
        QVERIFY(!result.overCapacity);
        QCOMPARE(f.store->failedWrites(), 0);

        for (int i = 0; i < entries.size(); ++i) {
            const auto got = f.store->dlqEntry(result.keys[i]);
            QVERIFY(got);
            QCOMPARE(got->key, result.keys[i]);
            compareEntry(*got, entries[i], true);
            const auto history = parseHistory(got->historyJson);
            QCOMPARE(history.size(), 1);
            QCOMPARE(history[0].event, QStringLiteral("enqueued"));
            QCOMPARE(history[0].detail, entries[i].error);
        }
        // List pages carry no details, but every list field.
        const auto listed = f.all({}, DlqSort{DlqSortKey::Enqueued, false});
        QCOMPARE(keysOf(listed), result.keys);
        for (int i = 0; i < listed.size(); ++i)
            compareEntry(listed[i], entries[i], false);
        QVERIFY(listed[3].original.argv.isEmpty() && !listed[3].edited);
        QVERIFY(!f.store->dlqEntry(result.keys.last() + 1));
    }

    void updateChangesOnlyGivenFieldsAndAppendsHistory() {
        Fixture f;
        QVERIFY(f.open());
        DeadLetter e = makeEntry(1);
        e.status = DlqStatus::Pending;
        e.exitCode = 2;
        e.nextRetryAtMs = 777;
        e.outputTail = QStringLiteral("old tail");
        const qint64 key = f.enqueue({e}).keys.value(0);
        QVERIFY(key > 0);

        DlqUpdate u;
        u.key = key;
        u.updatedAtMs = 3'000'000;
        u.status = DlqStatus::Retrying;
        u.appendHistory = historyOf(QStringLiteral("retry-started"), 3'000'000);
        f.store->dlqUpdate({u});
        DlqUpdate v;
        v.key = key;
        v.updatedAtMs = 3'000'100;
        v.status = DlqStatus::Pending;
        v.attempts = 2;
        v.nextRetryAtMs = std::optional<qint64>(); // clear
        v.exitCode = std::optional<int>();         // clear
        v.signal = 15;
        v.error = QStringLiteral("exit code 3: new failure");
        v.signature = QStringLiteral("sigNEW");
        v.category = ErrorCategory::Network;
        v.policy = RetryPolicy::Exponential;
        v.maxRetries = 5;
        v.edited = recipe(7);
        v.outputTail = QStringLiteral("new tail");
        v.appendHistory = historyOf(QStringLiteral("retry-failed"), 3'000'100, QStringLiteral("boom"));
        DlqUpdate gone; // a key that does not exist is skipped, the rest applies
        gone.key = key + 100;
        gone.status = DlqStatus::Archived;
        gone.appendHistory = historyOf(QStringLiteral("archived"), 1);
        f.store->dlqUpdate({v, gone});
        f.store->sync();
        QCOMPARE(f.store->failedWrites(), 0);

        const auto got = f.store->dlqEntry(key);
        QVERIFY(got);
        QCOMPARE(toString(got->status), QStringLiteral("pending"));
        QCOMPARE(got->attempts, 2);
        QCOMPARE(got->maxRetries, 5);
        QVERIFY(!got->nextRetryAtMs);
        QVERIFY(!got->exitCode);
        QCOMPARE(got->signal, std::optional<int>(15));
        QCOMPARE(got->error, QStringLiteral("exit code 3: new failure"));
        QCOMPARE(got->signature, QStringLiteral("sigNEW"));
        QCOMPARE(toString(got->category), QStringLiteral("network"));
        QCOMPARE(toString(got->policy), QStringLiteral("exponential"));
        QCOMPARE(got->updatedAtMs, 3'000'100);
        QVERIFY(got->edited && *got->edited == recipe(7));
        QVERIFY(got->original == e.original); // the original recipe stays
        QCOMPARE(got->outputTail, QStringLiteral("new tail"));
        // Unchanged fields stay.
        QCOMPARE(got->runId, e.runId);
        QCOMPARE(got->workflow, e.workflow);
        QCOMPARE(got->enqueuedAtMs, e.enqueuedAtMs);

        const auto history = parseHistory(got->historyJson);
        QCOMPARE(history.size(), 3);
        QCOMPARE(history[0].event, QStringLiteral("enqueued"));
        QCOMPARE(history[1].event, QStringLiteral("retry-started"));
        QCOMPARE(history[2].event, QStringLiteral("retry-failed"));
        QCOMPARE(history[2].detail, QStringLiteral("boom"));

        // An update of details only (no row field, no time) still applies.
        DlqUpdate onlyHistory;
        onlyHistory.key = key;
        onlyHistory.appendHistory = historyOf(QStringLiteral("edited"), 4);
        onlyHistory.outputTail = QString(); // empty: removes the tail
        f.store->dlqUpdate({onlyHistory});
        f.store->sync();
        const auto again = f.store->dlqEntry(key);
        QVERIFY(again);
        QCOMPARE(parseHistory(again->historyJson).size(), 4);
        QCOMPARE(again->updatedAtMs, 3'000'100);
        QVERIFY(again->outputTail.isEmpty());

        // Counts followed the category/policy change; counter deltas were added.
        DlqCounters deltas;
        deltas.retryFailed = 2;
        deltas.manualRetries = 1;
        f.store->dlqUpdate({}, deltas);
        f.store->sync();
        const DlqStats stats = f.store->dlqStats();
        QCOMPARE(stats.size, 1);
        QCOMPARE(stats.byStatus.value(QStringLiteral("pending")), 1);
        QCOMPARE(stats.byStatus.value(QStringLiteral("retrying")), 0);
        QCOMPARE(stats.byCategory.value(QStringLiteral("network")), 1);
        QCOMPARE(stats.byCategory.value(toString(e.category)), e.category == ErrorCategory::Network ? 1 : 0);
        QCOMPARE(stats.byPolicy.value(QStringLiteral("exponential")), 1);
        QCOMPARE(stats.lifetime.enqueued, 1);
        QCOMPARE(stats.lifetime.retryFailed, 2);
        QCOMPARE(stats.lifetime.manualRetries, 1);
        QCOMPARE(stats.byStatus.size(), 5);
        QCOMPARE(stats.byCategory.size(), 6);
        QCOMPARE(stats.byPolicy.size(), 4);
    }

    void everyFilterFieldNarrows_data() {
        QTest::addColumn<int>("which");
        const char* names[] = {"keys", "statuses", "categories", "policies", "workflow",
                               "task", "repo",     "no repo",    "run",      "signature",
                               "from", "before",   "error",      "combined"};
        for (int i = 0; i < int(std::size(names)); ++i)
            QTest::newRow(names[i]) << i;
    }

    void everyFilterFieldNarrows() {
        QFETCH(int, which);
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 120; ++i)
            entries.append(makeEntry(i));
        entries[17].error = QStringLiteral("Disk FULL on /var");
        const auto keys = f.enqueue(entries).keys;
        QCOMPARE(keys.size(), entries.size());
        for (int i = 0; i < entries.size(); ++i)
            entries[i].key = keys[i];

        DlqFilter filter;
        std::function<bool(const DeadLetter&)> want;
        switch (which) {
        case 0:
            filter.keys = {keys[3], keys[50], keys[99], 999'999};
            want = [&](const DeadLetter& e) {
                return e.key == keys[3] || e.key == keys[50] || e.key == keys[99];
            };
            break;
        case 1:
            filter.statuses = {DlqStatus::Exhausted, DlqStatus::Archived};
            want = [](const DeadLetter& e) {
                return e.status == DlqStatus::Exhausted || e.status == DlqStatus::Archived;
            };
            break;
        case 2:
            filter.categories = {ErrorCategory::Network};
            want = [](const DeadLetter& e) { return e.category == ErrorCategory::Network; };
            break;
        case 3:
            filter.policies = {RetryPolicy::Linear, RetryPolicy::Never, RetryPolicy::Linear};
            want = [](const DeadLetter& e) {
                return e.policy == RetryPolicy::Linear || e.policy == RetryPolicy::Never;
            };
            break;
        case 4:
            filter.workflow = QStringLiteral("deploy");
            want = [](const DeadLetter& e) { return e.workflow == u"deploy"; };
            break;
        case 5:
            filter.taskId = QStringLiteral("push");
            want = [](const DeadLetter& e) { return e.taskId == u"push"; };
            break;
        case 6:
            filter.repo = QStringLiteral("api");
            want = [](const DeadLetter& e) { return e.repo == u"api"; };
            break;
        case 7: // an empty repo is "any", not "none"
            filter.repo = QString();
            want = [](const DeadLetter&) { return true; };
            break;
        case 8:
            filter.runId = QStringLiteral("r_4");
            want = [](const DeadLetter& e) { return e.runId == u"r_4"; };
            break;
        case 9:
            filter.signature = QStringLiteral("sig2");
            want = [](const DeadLetter& e) { return e.signature == u"sig2"; };
            break;
        case 10:
            filter.enqueuedFromMs = 1'000'500;
            want = [](const DeadLetter& e) { return e.enqueuedAtMs >= 1'000'500; };
            break;
        case 11:
            filter.enqueuedBeforeMs = 1'000'500;
            want = [](const DeadLetter& e) { return e.enqueuedAtMs < 1'000'500; };
            break;
        case 12:
            filter.errorContains = QStringLiteral("disk full");
            want = [](const DeadLetter& e) { return e.error.contains(u"disk full", Qt::CaseInsensitive); };
            break;
        case 13:
            filter.statuses = {DlqStatus::Pending, DlqStatus::Retrying};
            filter.workflow = QStringLiteral("nightly");
            filter.errorContains = QStringLiteral("HOST-1");
            filter.enqueuedFromMs = 1'000'100;
            want = [](const DeadLetter& e) {
                return (e.status == DlqStatus::Pending || e.status == DlqStatus::Retrying) &&
                       e.workflow == u"nightly" && e.error.contains(u"host-1", Qt::CaseInsensitive) &&
                       e.enqueuedAtMs >= 1'000'100;
            };
            break;
        }
        QList<qint64> expected;
        for (const auto& e : entries) {
            if (want(e))
                expected.append(e.key);
        }
        QVERIFY(!expected.isEmpty());
        if (which != 7)
            QVERIFY2(expected.size() < entries.size(), "the filter must narrow");
        QCOMPARE(keysOf(f.all(filter, DlqSort{DlqSortKey::Enqueued, false}, 7)), expected);
        QCOMPARE(f.store->dlqCount(filter), expected.size());
    }

    void errorContainsIsPlainText() {
        Fixture f;
        QVERIFY(f.open());
        const QStringList errors{QStringLiteral("100% done"),   QStringLiteral("100 percent done"),
                                 QStringLiteral("a_b failed"),  QStringLiteral("axb failed"),
                                 QStringLiteral("back\\slash"), QStringLiteral("quote ' \" [x]")};
        QList<DeadLetter> entries;
        for (int i = 0; i < errors.size(); ++i) {
            DeadLetter e = makeEntry(i);
            e.error = errors[i];
            entries.append(e);
        }
        const auto keys = f.enqueue(entries).keys;
        auto match = [&](const QString& text) {
            DlqFilter filter;
            filter.errorContains = text;
            return keysOf(f.all(filter, DlqSort{DlqSortKey::Enqueued, false}));
        };
        QCOMPARE(match(QStringLiteral("100%")), QList<qint64>{keys[0]});
        QCOMPARE(match(QStringLiteral("%")), QList<qint64>{keys[0]});
        QCOMPARE(match(QStringLiteral("a_b")), QList<qint64>{keys[2]});
        QCOMPARE(match(QStringLiteral("_")), QList<qint64>{keys[2]});
        QCOMPARE(match(QStringLiteral("\\")), QList<qint64>{keys[4]});
        QCOMPARE(match(QStringLiteral("' \" [X]")), QList<qint64>{keys[5]});
        QCOMPARE(match(QStringLiteral("DONE")), (QList<qint64>{keys[0], keys[1]}));
        QCOMPARE(match(QStringLiteral("nothing like it")), QList<qint64>{});
    }

    void keysetPagesCoverEverythingOnce_data() {
        QTest::addColumn<int>("sortKey");
        QTest::addColumn<bool>("descending");
        const char* names[] = {"enqueued", "updated",  "next-retry", "workflow", "task",
                               "repo",     "category", "status",     "attempts"};
        for (int k = 0; k < 9; ++k) {
            QTest::addRow("%s desc", names[k]) << k << true;
            QTest::addRow("%s asc", names[k]) << k << false;
        }
    }

    void keysetPagesCoverEverythingOnce() {
        QFETCH(int, sortKey);
        QFETCH(bool, descending);
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 97; ++i)
            entries.append(makeEntry(i));
        const auto keys = f.enqueue(entries).keys;
        for (int i = 0; i < entries.size(); ++i)
            entries[i].key = keys[i];
        const DlqSort sort{static_cast<DlqSortKey>(sortKey), descending};
        std::sort(entries.begin(), entries.end(), [&](const DeadLetter& a, const DeadLetter& b) {
            return lessBy(sort.key, descending, a, b);
        });
        const auto paged = f.all({}, sort, 10);
        QCOMPARE(keysOf(paged), keysOf(entries));
        // A filtered walk too (exercises the keyset condition after a WHERE).
        DlqFilter filter;
        filter.statuses = {DlqStatus::Pending, DlqStatus::Exhausted};
        QList<qint64> expected;
        for (const auto& e : entries) {
            if (e.status == DlqStatus::Pending || e.status == DlqStatus::Exhausted)
                expected.append(e.key);
        }
        QCOMPARE(keysOf(f.all(filter, sort, 6)), expected);
    }

    void keysetPagesAreStableWhileEntriesArrive() {
        for (const DlqSort sort :
             {DlqSort{DlqSortKey::Enqueued, true}, DlqSort{DlqSortKey::Enqueued, false},
              DlqSort{DlqSortKey::Workflow, true}, DlqSort{DlqSortKey::Updated, false}}) {
            Fixture f;
            QVERIFY(f.open());
            QList<DeadLetter> entries;
            for (int i = 0; i < 60; ++i)
                entries.append(makeEntry(i));
            const auto original = f.enqueue(entries).keys;
            DlqPageRequest page;
            page.sort = sort;
            page.limit = 8;
            QList<qint64> seen;
            int added = 0;
            for (;;) {
                const auto got = f.store->dlqEntries({}, page);
                seen += keysOf(got);
                if (got.size() < page.limit)
                    break;
                page.after = got.last();
                // Between pages, new entries arrive (and one old entry changes status).
                QList<DeadLetter> more;
                for (int i = 0; i < 3; ++i)
                    more.append(makeEntry(1000 + added++));
                f.enqueue(more);
                DlqUpdate u;
                u.key = original[added % original.size()];
                u.status = DlqStatus::Archived;
                f.store->dlqUpdate({u});
                f.store->sync();
            }
            const QSet<qint64> unique(seen.begin(), seen.end());
            QCOMPARE(unique.size(), seen.size()); // no duplicates
            for (qint64 key : original)
                QVERIFY2(unique.contains(key), "an entry present from the start was skipped");
            if (sort.key == DlqSortKey::Enqueued && sort.descending)
                QCOMPARE(seen,
                         QList<qint64>(original.rbegin(), original.rend())); // newer ones are before page 1
            if (sort.key == DlqSortKey::Enqueued && !sort.descending)
                QCOMPARE(seen.size(), original.size() + added); // arrivals at the end are reached too
        }
    }

    void pageLimitIsClamped() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 5; ++i)
            entries.append(makeEntry(i));
        f.enqueue(entries);
        DlqPageRequest page;
        page.limit = 0;
        QCOMPARE(f.store->dlqEntries({}, page).size(), 1);
        page.limit = -5;
        QCOMPARE(f.store->dlqEntries({}, page).size(), 1);
        page.limit = 1'000'000;
        QCOMPARE(f.store->dlqEntries({}, page).size(), 5);
    }

    void groupsBySignature() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        auto add = [&](const QString& sig, DlqStatus status, const QString& error, qint64 at) {
            DeadLetter e = makeEntry(entries.size());
            e.signature = sig;
            e.taskId = sig == u"sA" ? QStringLiteral("taskA") : QStringLiteral("taskB");
            e.status = status;
            e.error = error;
            e.enqueuedAtMs = at;
            entries.append(e);
        };
        add(QStringLiteral("sB"), DlqStatus::Pending, QStringLiteral("b1"), 100);
        for (int i = 0; i < 5; ++i)
            add(QStringLiteral("sA"), i < 2 ? DlqStatus::Archived : DlqStatus::Pending,
                QStringLiteral("a%1").arg(i), 200 + i);
        add(QStringLiteral("sB"), DlqStatus::Archived, QStringLiteral("b2"), 300);
        add(QStringLiteral("sC"), DlqStatus::Pending, QStringLiteral("c1"), 50);
        add(QStringLiteral("sC"), DlqStatus::Pending, QStringLiteral("c2"), 60);
        add(QStringLiteral("sB"), DlqStatus::Pending, QStringLiteral("b3"), 400);
        const auto keys = f.enqueue(entries).keys;

        DlqGroupRequest request;
        request.sampleKeys = 2;
        auto groups = f.store->dlqGroups({}, request);
        QCOMPARE(groups.size(), 3);
        QCOMPARE(groups[0].signature, QStringLiteral("sA"));
        QCOMPARE(groups[0].count, 5);
        QCOMPARE(groups[0].taskId, QStringLiteral("taskA"));
        QCOMPARE(groups[0].sampleError, QStringLiteral("a4"));
        QCOMPARE(groups[0].sampleKeys, (QList<qint64>{keys[5], keys[4]}));
        QCOMPARE(groups[0].newestEnqueuedAtMs, 204);
        QCOMPARE(groups[0].oldestEnqueuedAtMs, 200);
        // sB and sC... sB has 3, sC 2.
        QCOMPARE(groups[1].signature, QStringLiteral("sB"));
        QCOMPARE(groups[1].count, 3);
        QCOMPARE(groups[1].sampleError, QStringLiteral("b3"));
        QCOMPARE(groups[1].newestEnqueuedAtMs, 400);
        QCOMPARE(groups[1].oldestEnqueuedAtMs, 100);
        QCOMPARE(groups[2].signature, QStringLiteral("sC"));
        QCOMPARE(groups[2].count, 2);

        // Filter aware: only pending entries; sA 3, sB 2, sC 2 (sC newer? no: sB's newest is newer).
        DlqFilter pending;
        pending.statuses = {DlqStatus::Pending};
        request.sampleKeys = 20;
        groups = f.store->dlqGroups(pending, request);
        QCOMPARE(groups.size(), 3);
        QCOMPARE(groups[0].signature, QStringLiteral("sA"));
        QCOMPARE(groups[0].count, 3);
        QCOMPARE(groups[0].sampleKeys, (QList<qint64>{keys[5], keys[4], keys[3]}));
        QCOMPARE(groups[0].oldestEnqueuedAtMs, 202);
        QCOMPARE(groups[1].signature, QStringLiteral("sB")); // tie with sC: newest first
        QCOMPARE(groups[1].count, 2);
        QCOMPARE(groups[1].sampleKeys, (QList<qint64>{keys[9], keys[0]}));
        QCOMPARE(groups[2].signature, QStringLiteral("sC"));
        // Limit: largest first.
        request.limit = 1;
        groups = f.store->dlqGroups({}, request);
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups[0].signature, QStringLiteral("sA"));
        // A filter on other fields counts the matching entries themselves.
        DlqFilter byError;
        byError.errorContains = QStringLiteral("b");
        groups = f.store->dlqGroups(byError, request);
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups[0].signature, QStringLiteral("sB"));
        QCOMPARE(groups[0].count, 3);
        QCOMPARE(groups[0].sampleKeys, (QList<qint64>{keys[9], keys[6], keys[0]}));
        byError.statuses = {DlqStatus::Archived};
        groups = f.store->dlqGroups(byError, request);
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups[0].count, 1);
        QCOMPARE(groups[0].sampleError, QStringLiteral("b2"));
        // Group sizes follow status changes and deletions.
        DlqUpdate archive;
        archive.key = keys[9];
        archive.status = DlqStatus::Archived;
        DlqUpdate move;
        move.key = keys[8];
        move.signature = QStringLiteral("sA");
        f.store->dlqUpdate({archive, move});
        f.store->sync();
        QString error;
        QCOMPARE(*f.store->dlqPurge({keys[1]}, &error), 1);
        request.limit = 100;
        groups = f.store->dlqGroups(pending, request);
        QCOMPARE(groups.size(), 3);
        QCOMPARE(groups[0].signature, QStringLiteral("sA"));
        QCOMPARE(groups[0].count, 4); // 3 + the moved one
        QCOMPARE(groups[1].signature,
                 QStringLiteral("sC")); // 1 each: sC's (keys[7]) is newer than sB's (keys[0])
        QCOMPARE(groups[1].count, 1);
        QCOMPARE(groups[1].sampleKeys, QList<qint64>{keys[7]});
        QCOMPARE(groups[2].signature, QStringLiteral("sB"));
        QCOMPARE(groups[2].count, 1);
        QCOMPARE(f.store->dlqGroups({}, request).value(0).count, 5); // sA: 5 - purged + moved
        // A filter matching nothing: no groups.
        DlqFilter none;
        none.workflow = QStringLiteral("no such workflow");
        QVERIFY(f.store->dlqGroups(none, request).isEmpty());
    }

    void statsAgreeWithFullRecount() {
        Fixture f;
        QVERIFY(f.open());
        QRandomGenerator rng(42);
        qint64 enqueued = 0, evicted = 0, purged = 0, retryFailed = 0;
        QList<qint64> live;
        for (int round = 0; round < 30; ++round) {
            QList<DeadLetter> batch;
            const int n = 1 + int(rng.bounded(20));
            for (int i = 0; i < n; ++i)
                batch.append(makeEntry(int(rng.bounded(10'000))));
            const auto result = f.enqueue(batch, 150);
            enqueued += n;
            evicted += result.evicted;
            QVERIFY(result.sizeAfter <= 150 || result.overCapacity);
            live += result.keys;
            // Random updates (some to keys already gone).
            QList<DlqUpdate> updates;
            for (int i = 0; i < 10; ++i) {
                DlqUpdate u;
                u.key = live[int(rng.bounded(int(live.size())))];
                if (rng.bounded(2))
                    u.status = static_cast<DlqStatus>(rng.bounded(5));
                if (rng.bounded(2))
                    u.category = static_cast<ErrorCategory>(1 + rng.bounded(6));
                if (rng.bounded(2))
                    u.policy = static_cast<RetryPolicy>(rng.bounded(4));
                if (rng.bounded(3) == 0)
                    u.attempts = int(rng.bounded(5));
                updates.append(u);
            }
            DlqCounters deltas;
            deltas.retryFailed = round;
            retryFailed += round;
            f.store->dlqUpdate(updates, deltas);
            if (round % 3 == 0) {
                QList<qint64> some;
                for (int i = 0; i < 8; ++i)
                    some.append(live[int(rng.bounded(int(live.size())))]);
                QString error;
                const auto deleted = f.store->dlqPurge(some, &error);
                QVERIFY2(deleted, qPrintable(error));
                purged += *deleted;
            }
            f.store->sync();
            const DlqStats stats = f.store->dlqStats();
            QCOMPARE(fromStats(stats), recount(f.store->databasePath()));
            // Group sizes (kept in their own table) agree with a count of the entries too.
            DlqFilter archived;
            archived.statuses = {DlqStatus::Archived, DlqStatus::Pending};
            for (const DlqFilter& filter : {DlqFilter{}, archived}) {
                for (const DlqGroup& group : f.store->dlqGroups(filter, DlqGroupRequest{1000, 1})) {
                    DlqFilter inGroup = filter;
                    inGroup.signature = group.signature;
                    QCOMPARE(group.count, f.store->dlqCount(inGroup));
                }
            }
        }
        QCOMPARE(f.store->failedWrites(), 0);
        const DlqStats stats = f.store->dlqStats();
        QCOMPARE(stats.lifetime.enqueued, enqueued);
        QCOMPARE(stats.lifetime.evicted, evicted);
        QCOMPARE(stats.lifetime.purged, purged);
        QCOMPARE(stats.lifetime.retryFailed, retryFailed);
        QVERIFY(evicted > 0);
        QVERIFY(purged > 0);
        QCOMPARE(stats.size, enqueued - evicted - purged);
        QCOMPARE(f.store->dlqCount({}), stats.size);
    }

    void evictionTakesArchivedThenCompletedNeverActive() {
        Fixture f;
        QVERIFY(f.open());
        auto entry = [](int i, DlqStatus status) {
            DeadLetter e = makeEntry(i);
            e.status = status;
            return e;
        };
        // keys 1..4: completed, archived, completed, archived
        const auto first = f.enqueue({entry(0, DlqStatus::Completed), entry(1, DlqStatus::Archived),
                                      entry(2, DlqStatus::Completed), entry(3, DlqStatus::Archived)});
        QCOMPARE(first.evicted, 0);
        // 3 more with room for 4: both archived go first, then the oldest completed.
        const auto second = f.enqueue(
            {entry(4, DlqStatus::Pending), entry(5, DlqStatus::Exhausted), entry(6, DlqStatus::Retrying)}, 4);
        QCOMPARE(second.evicted, 3);
        QCOMPARE(second.sizeAfter, 4);
        QVERIFY(!second.overCapacity);
        QVERIFY(!f.store->dlqEntry(first.keys[0]));
        QVERIFY(!f.store->dlqEntry(first.keys[1]));
        QVERIFY(f.store->dlqEntry(first.keys[2])); // the newer completed stays
        QVERIFY(!f.store->dlqEntry(first.keys[3]));
        // Only active entries left to evict: over capacity, nothing active dropped.
        const auto third = f.enqueue({entry(7, DlqStatus::Pending), entry(8, DlqStatus::Pending)}, 4);
        QCOMPARE(third.evicted, 1); // the last completed
        QCOMPARE(third.sizeAfter, 5);
        QVERIFY(third.overCapacity);
        QCOMPARE(f.store->dlqCount({}), 5);
        DlqFilter active;
        active.statuses = {DlqStatus::Pending, DlqStatus::Retrying, DlqStatus::Exhausted};
        QCOMPARE(f.store->dlqCount(active), 5);
        const DlqStats stats = f.store->dlqStats();
        QCOMPARE(stats.lifetime.evicted, 4);
        QCOMPARE(stats.lifetime.enqueued, 9);
        QCOMPARE(stats.size, 5);
    }

    void purgeDeletesOnlyArchived() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 10; ++i)
            entries.append(makeEntry(i)); // statuses cycle: 4 and 9 are archived
        auto keys = f.enqueue(entries).keys;
        QString error;
        const auto deleted = f.store->dlqPurge(keys, &error);
        QVERIFY2(deleted, qPrintable(error));
        QCOMPARE(*deleted, 2);
        QCOMPARE(f.store->dlqCount({}), 8);
        QVERIFY(!f.store->dlqEntry(keys[4]));
        QVERIFY(f.store->dlqEntry(keys[3]));
        QCOMPARE(*f.store->dlqPurge(keys, &error), 0); // again: nothing archived left
        QCOMPARE(f.store->dlqStats().lifetime.purged, 2);
        QCOMPARE(f.store->dlqStats().byStatus.value(QStringLiteral("archived")), 0);
    }

    void dueActiveAndRetrying() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 6; ++i) {
            DeadLetter e = makeEntry(i);
            e.runId = QStringLiteral("r_due");
            e.index = i % 3;
            e.status = DlqStatus::Pending;
            e.nextRetryAtMs = 1000 - i * 100; // 1000, 900, ... 500
            entries.append(e);
        }
        entries[0].status = DlqStatus::Completed; // index 0: completed, then a pending one (3)
        entries[1].status = DlqStatus::Retrying;
        entries[2].nextRetryAtMs.reset();
        entries[4].status = DlqStatus::Archived;
        const auto keys = f.enqueue(entries).keys;
        const auto due = f.store->dlqDue(800, 10);
        // pending with next retry <= 800: entries 3 (700), 5 (500); earliest first, with details
        QCOMPARE(keysOf(due), (QList<qint64>{keys[5], keys[3]}));
        QVERIFY(due[0].original == entries[5].original);
        QCOMPARE(keysOf(f.store->dlqDue(800, 1)), QList<qint64>{keys[5]});
        QVERIFY(f.store->dlqDue(100, 10).isEmpty());

        const auto active0 = f.store->dlqActiveEntryFor(QStringLiteral("r_due"), 0);
        QVERIFY(active0);
        QCOMPARE(active0->key, keys[3]);
        QVERIFY(active0->original == entries[3].original);
        QCOMPARE(f.store->dlqActiveEntryFor(QStringLiteral("r_due"), 1)->key, keys[1]); // 4 is archived
        QVERIFY(!f.store->dlqActiveEntryFor(QStringLiteral("r_other"), 0));

        const auto retrying = f.store->dlqRetrying();
        QCOMPARE(keysOf(retrying), QList<qint64>{keys[1]});
        QVERIFY(retrying[0].original == entries[1].original);
    }

    void bulkJobs() {
        Fixture f;
        QVERIFY(f.open());
        QList<DeadLetter> entries;
        for (int i = 0; i < 50; ++i)
            entries.append(makeEntry(i));
        const auto keys = f.enqueue(entries).keys;
        DlqFilter filter;
        filter.statuses = {DlqStatus::Pending};
        filter.workflow = QStringLiteral("nightly");
        QList<qint64> expected;
        for (int i = 0; i < entries.size(); ++i) {
            if (entries[i].status == DlqStatus::Pending && entries[i].workflow == u"nightly")
                expected.append(keys[i]);
        }
        QVERIFY(expected.size() >= 3);

        BulkJob job;
        job.action = BulkAction::Retry;
        job.actor = QStringLiteral("alice");
        job.selector = QStringLiteral("--filter-status pending --workflow nightly");
        job.createdAtMs = 5000;
        job.done = 99; // ignored: a new job starts at zero
        QString error;
        const auto created = f.store->dlqCreateJob(job, filter, &error);
        QVERIFY2(created, qPrintable(error));
        QVERIFY(created->key > 0);
        QCOMPARE(created->total, expected.size());
        QCOMPARE(created->done, 0);
        // Items are fixed: an entry enqueued later that matches is not part of the job.
        f.enqueue({makeEntry(0)}); // pending, nightly
        auto items = f.store->dlqJobItems(created->key, std::nullopt, 0, 1000);
        QList<qint64> itemKeys;
        for (const auto& item : items) {
            itemKeys.append(item.entryKey);
            QCOMPARE(toString(item.result), QStringLiteral("pending"));
            QCOMPARE(item.jobKey, created->key);
        }
        QCOMPARE(itemKeys, expected);

        // Results: succeeded, failed, skipped; then the same item again is not counted twice.
        BulkJobItem ok{created->key, expected[0], ItemResult::Succeeded, {}, 6000};
        BulkJobItem bad{created->key, expected[1], ItemResult::Failed, QStringLiteral("spawn failed"), 6001};
        BulkJobItem skip{created->key, expected[2], ItemResult::Skipped, QStringLiteral("completed"), 6002};
        f.store->dlqRecordItems(created->key, {ok, bad});
        f.store->dlqRecordItems(created->key, {skip, ok});
        BulkJobItem flip = ok;
        flip.result = ItemResult::Failed;
        f.store->dlqRecordItems(created->key,
                                {flip, BulkJobItem{created->key, 999'999, ItemResult::Failed, {}, 1}});
        f.store->sync();
        QCOMPARE(f.store->failedWrites(), 0);
        auto stored = f.store->dlqJob(created->key);
        QVERIFY(stored);
        QCOMPARE(stored->done, 3);
        QCOMPARE(stored->succeeded, 1);
        QCOMPARE(stored->failed, 2);
        QCOMPARE(stored->total, expected.size());
        QCOMPARE(stored->actor, QStringLiteral("alice"));
        QCOMPARE(stored->selector, job.selector);
        QCOMPARE(toString(stored->action), QStringLiteral("retry"));
        QCOMPARE(toString(stored->state), QStringLiteral("queued"));
        QCOMPARE(stored->createdAtMs, 5000);

        const auto failed = f.store->dlqJobItems(created->key, ItemResult::Failed, 0, 10);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed[0].entryKey, expected[1]);
        QCOMPARE(failed[0].message, QStringLiteral("spawn failed"));
        QCOMPARE(failed[0].finishedAtMs, 6001);
        QCOMPARE(toString(f.store->dlqJobItems(created->key, std::nullopt, 0, 10)[0].result),
                 QStringLiteral("succeeded")); // the first result stands
        const auto rest = f.store->dlqJobItems(created->key, ItemResult::Pending, expected[2], 1000);
        QCOMPARE(rest.size(), expected.size() - 3);
        QCOMPARE(f.store->dlqJobItems(created->key, std::nullopt, expected[0], 1).value(0).entryKey,
                 expected[1]);

        // State and times only.
        BulkJob change = *stored;
        change.state = JobState::Done;
        change.updatedAtMs = 7000;
        change.finishedAtMs = 7001;
        change.done = 0;
        change.actor = QStringLiteral("mallory");
        f.store->dlqUpdateJob(change);
        BulkJob second = job;
        second.createdAtMs = 8000;
        second.action = BulkAction::Archive;
        const auto other = f.store->dlqCreateJob(second, DlqFilter{}, &error);
        QVERIFY(other);
        QCOMPARE(other->total, 51);
        f.store->sync();
        stored = f.store->dlqJob(created->key);
        QCOMPARE(toString(stored->state), QStringLiteral("done"));
        QCOMPARE(stored->updatedAtMs, 7000);
        QCOMPARE(stored->finishedAtMs, 7001);
        QCOMPARE(stored->done, 3);
        QCOMPARE(stored->actor, QStringLiteral("alice"));
        const auto all = f.store->dlqJobs(false, 10);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].key, other->key); // newest first
        const auto unfinished = f.store->dlqJobs(true, 10);
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished[0].key, other->key);
        QVERIFY(!f.store->dlqJob(other->key + 5));
    }

    void auditIsNewestFirst() {
        Fixture f;
        QVERIFY(f.open());
        for (int i = 0; i < 5; ++i) {
            AuditRecord r;
            r.atMs = 100 + i;
            r.actor = QStringLiteral("bob");
            r.action = i % 2 ? QStringLiteral("retry") : QStringLiteral("archive");
            r.target = QStringLiteral("d_%1").arg(i);
            r.count = i;
            r.outcome = QStringLiteral("ok");
            f.store->appendAudit(r);
        }
        f.store->sync();
        const auto newest = f.store->audit(3);
        QCOMPARE(newest.size(), 3);
        QCOMPARE(newest[0].target, QStringLiteral("d_4"));
        QCOMPARE(newest[0].atMs, 104);
        QCOMPARE(newest[0].count, 4);
        QCOMPARE(newest[0].action, QStringLiteral("archive"));
        QCOMPARE(newest[0].actor, QStringLiteral("bob"));
        QCOMPARE(newest[0].outcome, QStringLiteral("ok"));
        QCOMPARE(newest[2].target, QStringLiteral("d_2"));
        QVERIFY(newest[0].key > newest[1].key);
        const auto older = f.store->audit(10, newest[2].key);
        QCOMPARE(older.size(), 2);
        QCOMPARE(older[0].target, QStringLiteral("d_1"));
        QCOMPARE(older[1].target, QStringLiteral("d_0"));
    }

    void settingsRoundTrip() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(!f.store->setting(QStringLiteral("dlq")));
        QString error;
        QVERIFY2(f.store->setSetting(QStringLiteral("dlq"), R"({"max_size":500})", &error),
                 qPrintable(error));
        QCOMPARE(f.store->setting(QStringLiteral("dlq")), std::optional<QByteArray>(R"({"max_size":500})"));
        QVERIFY(f.store->setSetting(QStringLiteral("dlq"), R"({"max_size":600})", &error));
        QVERIFY(f.store->setSetting(QStringLiteral("other"), QByteArray("\0x", 2), &error));
        QCOMPARE(f.store->setting(QStringLiteral("dlq")), std::optional<QByteArray>(R"({"max_size":600})"));
        QCOMPARE(f.store->setting(QStringLiteral("other")), std::optional<QByteArray>(QByteArray("\0x", 2)));
        QVERIFY(!f.store->setSetting(QString(), "x", &error));
        QVERIFY(!error.isEmpty());
    }

    void survivesReopen() {
        QTemporaryDir dir;
        QString error;
        QList<qint64> keys;
        {
            auto store = Store::open(dir.path(), &error);
            QVERIFY2(store, qPrintable(error));
            QList<DeadLetter> entries;
            for (int i = 0; i < 10; ++i)
                entries.append(makeEntry(i));
            store->dlqEnqueue(entries, 100, [&](const DlqEnqueueResult& r) { keys = r.keys; });
            DlqUpdate u;
            u.key = 3;
            u.appendHistory = historyOf(QStringLiteral("retry-started"), 5);
            store->dlqUpdate({u});
            AuditRecord r;
            r.action = QStringLiteral("enqueue");
            store->appendAudit(r);
            QVERIFY(store->setSetting(QStringLiteral("dlq"), "{}", &error));
            // The destructor commits what is queued.
        }
        QCOMPARE(keys.size(), 10);
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->dlqCount({}), 10);
        QCOMPARE(store->dlqStats().size, 10);
        QCOMPARE(store->dlqStats().lifetime.enqueued, 10);
        QCOMPARE(parseHistory(store->dlqEntry(3)->historyJson).size(), 2);
        QCOMPARE(store->audit(10).size(), 1);
        QCOMPARE(store->setting(QStringLiteral("dlq")), std::optional<QByteArray>("{}"));
        // Keys are never reused, even after the newest entries are gone.
        QString why;
        DlqUpdate archive;
        archive.key = keys.last();
        archive.status = DlqStatus::Archived;
        store->dlqUpdate({archive});
        store->sync();
        QCOMPARE(*store->dlqPurge({keys.last()}, &why), 1);
        store.reset();
        store = Store::open(dir.path(), &error);
        QVERIFY(store);
        QList<qint64> next;
        store->dlqEnqueue({makeEntry(50)}, 100, [&](const DlqEnqueueResult& r) { next = r.keys; });
        store->sync();
        QCOMPARE(next.size(), 1);
        QVERIFY(next[0] > keys.last());
    }

    // Enqueue appends to the inbox (schema v6); the writer moves entries into the indexed
    // tables when idle, and sync() and close never return before it did. What a killed
    // process left in the inbox is moved by the next writer on its own, with counts right.
    void inboxLeftByAKilledProcessIsDrainedOnNextOpen() {
        QTemporaryDir dir;
        QString error;
        QList<qint64> keys;
        {
            auto store = Store::open(dir.path(), &error);
            QVERIFY2(store, qPrintable(error));
            store->dlqEnqueue({makeEntry(0), makeEntry(1)}, 100,
                              [&](const DlqEnqueueResult& r) { keys = r.keys; });
            store->sync();
            QCOMPARE(store->dlqCount({}), 2);
        }
        const QString dbPath = QDir(dir.path()).filePath(QStringLiteral("signalbox.db"));
        {
            // What an enqueue leaves when the process dies before the drain: copy entry 1
            // back into the inbox as a new key, as the enqueue would have written it.
            auto db = SqliteConnection::open(dbPath, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY2(db, qPrintable(error));
            const QString copy =
                QStringLiteral(
                    "INSERT INTO dlq_inbox SELECT e.key + 100, run_id, idx, workflow, task_id, repo, "
                    "repo_path, status, "
                    "category, policy, attempts, max_retries, error, exit_code, signal, signature, "
                    "enqueued_at_ms, "
                    "updated_at_ms, next_retry_at_ms, original_recipe, edited_recipe, history, 'tail' "
                    "FROM dlq_entries e JOIN dlq_details USING (key) WHERE key = %1")
                    .arg(keys.last());
            QVERIFY2(db->exec(copy, &error), qPrintable(error));
            QVERIFY(
                db->exec("UPDATE sqlite_sequence SET seq = seq + 100 WHERE name = 'dlq_entries'", &error));
        }
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        const qint64 moved = keys.last() + 100;
        // No sync(): the idle writer moves it by itself.
        QTRY_VERIFY_WITH_TIMEOUT(store->dlqEntry(moved).has_value(), 10000);
        QCOMPARE(store->dlqEntry(moved)->outputTail, QStringLiteral("tail"));
        QCOMPARE(store->dlqCount({}), 3);
        DlqGroupRequest request;
        qint64 grouped = 0;
        for (const DlqGroup& group : store->dlqGroups({}, request))
            grouped += group.count;
        QCOMPARE(grouped, 3);
        // New keys continue after the inbox's.
        QList<qint64> next;
        store->dlqEnqueue({makeEntry(2)}, 100, [&](const DlqEnqueueResult& r) { next = r.keys; });
        store->sync();
        QCOMPARE(next, QList<qint64>{moved + 1});
        QVERIFY(store->dlqEntry(moved + 1));
    }
};

QTEST_GUILESS_MAIN(TestStoreDlq)
#include "tst_store_dlq.moc"
