// Store: readers on other threads see consistent committed states while the writer writes.

#include "store/store.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace signalbox;
using namespace signalbox::store;

namespace {

LogQuery logQuery(const QString& runId) {
    LogQuery query;
    query.runId = runId;
    return query;
}

} // namespace

class TestStoreConcurrency final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsDuringHeavyWrites() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));

        const QString runId = QStringLiteral("r_flood");
        RunRecord run;
        run.id = runId;
        run.workflow = QStringLiteral("flood");
        InstanceRecord instance;
        instance.runId = runId;
        instance.taskId = QStringLiteral("spam");
        store->insertRun(run, {instance});
        store->sync();

        constexpr int kBatch = 1000;
        constexpr int kBatches = 100; // 100k lines
        constexpr qint64 kTotal = qint64(kBatch) * kBatches;

        std::atomic<bool> writing{true};
        std::atomic<int> problems{0};
        std::atomic<int> rounds{0};
        QString firstProblem; // written only before the first problems++ by the reader
        auto reader = [&] {
            qint64 lastCount = 0;
            qint64 lastId = 0;
            qint64 followed = 0;
            auto fail = [&](const QString& what) {
                if (problems++ == 0)
                    firstProblem = what;
            };
            for (;;) {
                const bool done = !writing.load();
                // Counts only grow, and only by whole batches (each append is atomic).
                const qint64 count = store->logLineCount(runId);
                if (count < lastCount || count % kBatch != 0)
                    fail(QStringLiteral("count %1 after %2").arg(count).arg(lastCount));
                lastCount = count;
                // Following with afterId sees ids in order, without gaps in content.
                LogQuery follow = logQuery(runId);
                follow.afterId = lastId;
                follow.limit = 2500;
                const auto lines = store->logs(follow);
                for (const auto& line : lines) {
                    if (line.id <= lastId)
                        fail(QStringLiteral("id %1 after %2").arg(line.id).arg(lastId));
                    if (line.text != QStringLiteral("flood line %1").arg(followed))
                        fail(QStringLiteral("line %1 reads '%2'").arg(followed).arg(line.text));
                    lastId = line.id;
                    ++followed;
                }
                // A run and its instances are read in one snapshot.
                if (store->instances(runId).size() != 1)
                    fail(QStringLiteral("instances missing"));
                ++rounds;
                if (done && followed == kTotal)
                    break;
                if (done && lines.isEmpty() && followed != kTotal) {
                    fail(QStringLiteral("followed %1 lines of %2").arg(followed).arg(kTotal));
                    break;
                }
            }
        };
        std::thread readerA(reader);
        std::thread readerB(reader);

        for (int b = 0; b < kBatches; ++b) {
            QList<LogLine> lines;
            lines.reserve(kBatch);
            for (int i = 0; i < kBatch; ++i) {
                LogLine line;
                line.runId = runId;
                line.tsMs = b * kBatch + i;
                line.text = QStringLiteral("flood line %1").arg(b * kBatch + i);
                lines.append(std::move(line));
            }
            store->appendLogLines(std::move(lines));
        }
        store->sync();
        writing = false;
        readerA.join();
        readerB.join();

        QVERIFY2(problems == 0, qPrintable(firstProblem));
        QVERIFY(rounds >= 2);
        QCOMPARE(store->logLineCount(runId), kTotal);
        LogQuery search = logQuery(runId);
        search.match = QStringLiteral("99999");
        const auto found = store->logs(search);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found[0].text, QStringLiteral("flood line 99999"));
    }
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_store_concurrency.moc"
