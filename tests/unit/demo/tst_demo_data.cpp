// The demo history (core/demo): a small size written into a temp dir and read back
// through a reopened Store: counts, nothing left running, every error category and
// every dead letter status present, output and attempts stored, the same history for
// the same clock, and a data dir that already has runs refused.

#include "demo/demo_data.h"
#include "dlq/dead_letter.h"
#include "domain/clock.h"
#include "store/store.h"

#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace signalbox;

namespace {

constexpr qint64 kNow = 1'795'000'000'000;

demo::DemoSize smallSize() {
    demo::DemoSize size;
    size.runs = 80;
    size.deadLetters = 400;
    size.days = 3;
    return size;
}

QList<RunRecord> allRuns(const store::Store& store) {
    store::RunFilter filter;
    filter.limit = 0;
    return store.runs(filter);
}

} // namespace

class TstDemoData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Clock::install(&m_clock); }
    void cleanup() { Clock::install(nullptr); }

    void writesACompleteHistory() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        QVERIFY2(demo::generate(dir.path(), smallSize(), &error), qPrintable(error));

        std::unique_ptr<store::Store> store = store::Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        const QList<RunRecord> runs = allRuns(*store);
        QCOMPARE(runs.size(), 80);

        QSet<ErrorCategory> categories;
        QSet<RunStatus> runStatuses;
        qint64 instances = 0;
        qint64 attempts = 0;
        for (const RunRecord& run : runs) {
            runStatuses.insert(run.status);
            QVERIFY2(isTerminal(run.status), qPrintable(run.id));
            QVERIFY(run.createdAtMs >= kNow - 3 * 24 * 3600 * 1000LL - 3600 * 1000LL);
            QVERIFY(run.finishedAtMs <= kNow);
            QVERIFY(!run.workflowYaml.isEmpty());
            for (const InstanceRecord& instance : store->instances(run.id)) {
                ++instances;
                QVERIFY(instance.status != InstanceStatus::Running &&
                        instance.status != InstanceStatus::Pending);
                if (instance.status == InstanceStatus::Failed) {
                    categories.insert(instance.category);
                    QVERIFY(!instance.error.isEmpty());
                }
                if (instance.startedAtMs > 0)
                    attempts += store->attempts(run.id, instance.index).size();
            }
        }
        QVERIFY(instances > runs.size());
        QVERIFY(attempts > 0);
        QVERIFY(runStatuses.contains(RunStatus::Succeeded));
        QVERIFY(runStatuses.contains(RunStatus::Failed));
        for (ErrorCategory category :
             {ErrorCategory::Transient, ErrorCategory::Network, ErrorCategory::Resource,
              ErrorCategory::Permission, ErrorCategory::Validation, ErrorCategory::Permanent})
            QVERIFY2(categories.contains(category), qPrintable(toString(category)));

        // The newest run has full output.
        QVERIFY(store->logLineCount(runs.first().id) > 0);
        QVERIFY(store->catalog().size() >= 30);

        const dlq::DlqStats stats = store->dlqStats();
        QCOMPARE(stats.size, 400);
        for (const QString& status :
             {QStringLiteral("pending"), QStringLiteral("retrying"), QStringLiteral("exhausted"),
              QStringLiteral("completed"), QStringLiteral("archived")})
            QVERIFY2(stats.byStatus.value(status) > 0, qPrintable(status));
        for (const QString& category :
             {QStringLiteral("transient"), QStringLiteral("network"), QStringLiteral("resource"),
              QStringLiteral("permission"), QStringLiteral("validation"), QStringLiteral("permanent")})
            QVERIFY2(stats.byCategory.value(category) > 0, qPrintable(category));

        // A dead letter carries its history and a signature that groups it.
        const QList<dlq::DeadLetter> page = store->dlqEntries({}, {});
        QVERIFY(!page.isEmpty());
        const std::optional<dlq::DeadLetter> entry = store->dlqEntry(page.first().key);
        QVERIFY(entry);
        QVERIFY(!entry->signature.isEmpty());
        QVERIFY(entry->historyJson.startsWith('['));
        QVERIFY(!entry->original.argv.isEmpty());
    }

    void sameClockSameHistory() {
        QTemporaryDir first;
        QTemporaryDir second;
        QString error;
        QVERIFY2(demo::generate(first.path(), smallSize(), &error), qPrintable(error));
        QVERIFY2(demo::generate(second.path(), smallSize(), &error), qPrintable(error));
        auto a = store::Store::open(first.path(), &error);
        auto b = store::Store::open(second.path(), &error);
        QVERIFY(a && b);
        const QList<RunRecord> runsA = allRuns(*a);
        const QList<RunRecord> runsB = allRuns(*b);
        QCOMPARE(runsA.size(), runsB.size());
        for (qsizetype i = 0; i < runsA.size(); ++i) {
            QCOMPARE(runsA.at(i).id, runsB.at(i).id);
            QCOMPARE(toString(runsA.at(i).status), toString(runsB.at(i).status));
        }
        QCOMPARE(a->dlqStats().byStatus, b->dlqStats().byStatus);
    }

    void refusesADataDirWithRuns() {
        QTemporaryDir dir;
        QString error;
        QVERIFY2(demo::generate(dir.path(), smallSize(), &error), qPrintable(error));
        error.clear();
        QVERIFY(!demo::generate(dir.path(), smallSize(), &error));
        QVERIFY2(error.contains(QLatin1String("already")), qPrintable(error));

        auto store = store::Store::open(dir.path(), &error);
        QVERIFY(store);
        QCOMPARE(allRuns(*store).size(), 80); // nothing added by the refused call
    }

private:
    ManualClock m_clock{kNow};
};

QTEST_GUILESS_MAIN(TstDemoData)
#include "tst_demo_data.moc"
