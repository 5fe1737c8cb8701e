// Pool controls the console's Pools view drives, with real child processes: a larger
// LocalLauncher capacity starts waiting instances at once, a smaller one lets running
// ones finish, and a paused pool launches nothing until it resumes. Every child waits
// for its own gate file, which the test creates to let it end.

#include "../engine/engine_fixture.h"
#include "pools/local_launcher.h"

#include <QSignalSpy>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::engine;
using signalbox::engine::testing::EngineFixture;

namespace {

constexpr int kTimeoutMs = 30000;

// One instance per repo; each runs until GATES/<repo> exists.
struct GatedRun {
    EngineFixture& f;
    QString gates;
    QStringList repos;
    QString id;

    GatedRun(EngineFixture& fixture, const QStringList& repoNames)
        : f(fixture)
        , gates(fixture.path(QStringLiteral("gates")))
        , repos(repoNames) {
        QDir().mkpath(gates);
        QByteArray yaml = "name: gated\nrepos:\n";
        for (const QString& repo : repos) {
            f.makeRepo(repo);
            yaml += "  - ./repos/" + repo.toUtf8() + '\n';
        }
        yaml += "tasks:\n"
                "  - id: wait\n"
                "    for_each: repos\n"
                "    run: |\n"
                "      while [ ! -e '" +
                gates.toUtf8() +
                "'/\"$SIGNALBOX_REPO\" ]; do sleep 0.01; done\n"
                "      echo released\n";
        id = f.startFile(f.writeWorkflow(QStringLiteral("gated.yaml"), yaml));
    }

    void release(const QString& repo) const {
        QFile gate(gates + u'/' + repo);
        QVERIFY(gate.open(QIODevice::WriteOnly));
    }

    void releaseAll() const {
        for (const QString& repo : repos)
            release(repo);
    }

    InstanceStatus status(const QString& repo) const {
        for (const InstanceRecord& rec : f.store->instances(id)) {
            if (rec.repo == repo)
                return f.engine->liveStatus(id, rec.index).value_or(rec.status);
        }
        return InstanceStatus::Pending;
    }
};

QString describe(const PoolLoad& load) {
    return QStringLiteral("capacity %1 busy %2 queued %3 paused %4")
        .arg(load.capacity)
        .arg(load.busy)
        .arg(load.queued)
        .arg(load.paused);
}

} // namespace

class TestPoolControls final : public QObject {
    Q_OBJECT

private:
    static pools::LocalLauncher* addLocal(EngineFixture& f, int capacity) {
        auto* launcher = new pools::LocalLauncher(capacity);
        f.engine->addPool(QStringLiteral("local"), launcher);
        return launcher;
    }

    static PoolLoad load(EngineFixture& f) { return f.engine->poolLoad(QStringLiteral("local")); }

    static bool loadIs(EngineFixture& f, int busy, int queued) {
        const PoolLoad now = load(f);
        return now.busy == busy && now.queued == queued;
    }

private Q_SLOTS:
    void unknownPoolHasNoLoad() {
        EngineFixture f;
        addLocal(f, 2);
        const PoolLoad none = f.engine->poolLoad(QStringLiteral("nowhere"));
        QCOMPARE(none.capacity, 0);
        QCOMPARE(none.busy, 0);
        QVERIFY(!f.engine->isPoolPaused(QStringLiteral("nowhere")));
        f.engine->setPoolPaused(QStringLiteral("nowhere"), true); // ignored, no crash
        QVERIFY(!f.engine->isPoolPaused(QStringLiteral("nowhere")));
        QCOMPARE(load(f).capacity, 2);
    }

    void largerCapacityStartsWaitingInstancesAtOnce() {
        EngineFixture f;
        pools::LocalLauncher* pool = addLocal(f, 1);
        QSignalSpy poolsChanged(f.engine.get(), &Engine::poolsChanged);
        GatedRun run(f, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QVERIFY(!run.id.isEmpty());
        QTRY_VERIFY2_WITH_TIMEOUT(loadIs(f, 1, 2), qPrintable(describe(load(f))), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(poolsChanged.count() > 0, kTimeoutMs); // announced on a later turn

        poolsChanged.clear();
        pool->setCapacity(3);
        // Nothing was released: all three run at once only because the pool grew.
        QCOMPARE(load(f).capacity, 3);
        QVERIFY2(loadIs(f, 3, 0), qPrintable(describe(load(f))));
        QVERIFY(poolsChanged.wait(kTimeoutMs));
        QTRY_VERIFY_WITH_TIMEOUT(pool->running() == 3, kTimeoutMs);

        run.releaseAll();
        QVERIFY(f.waitFinished(run.id, kTimeoutMs));
        QCOMPARE(toString(f.finished.value(run.id)), toString(RunStatus::Succeeded));
        QTRY_VERIFY_WITH_TIMEOUT(loadIs(f, 0, 0), kTimeoutMs);
    }

    void smallerCapacityLetsRunningInstancesFinish() {
        EngineFixture f;
        pools::LocalLauncher* pool = addLocal(f, 3);
        GatedRun run(f, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
        QVERIFY(!run.id.isEmpty());
        QTRY_VERIFY2_WITH_TIMEOUT(loadIs(f, 3, 1), qPrintable(describe(load(f))), kTimeoutMs);

        pool->setCapacity(1);
        QCOMPARE(load(f).capacity, 1);
        QVERIFY2(loadIs(f, 3, 1), qPrintable(describe(load(f)))); // nobody is stopped
        QCOMPARE(pool->running(), 3);

        // Two of the three end: still at or over capacity, so d keeps waiting.
        run.release(QStringLiteral("a"));
        run.release(QStringLiteral("b"));
        QTRY_VERIFY2_WITH_TIMEOUT(loadIs(f, 1, 1), qPrintable(describe(load(f))), kTimeoutMs);
        QCOMPARE(toString(run.status(QStringLiteral("d"))), toString(InstanceStatus::Pending));

        // The last of the three ends: d takes the one slot.
        run.release(QStringLiteral("c"));
        QTRY_VERIFY_WITH_TIMEOUT(run.status(QStringLiteral("d")) == InstanceStatus::Running, kTimeoutMs);
        QVERIFY2(loadIs(f, 1, 0), qPrintable(describe(load(f))));

        run.release(QStringLiteral("d"));
        QVERIFY(f.waitFinished(run.id, kTimeoutMs));
        QCOMPARE(toString(f.finished.value(run.id)), toString(RunStatus::Succeeded));
        for (const QString& repo : run.repos)
            QCOMPARE(toString(f.instance(run.id, QStringLiteral("wait"), repo).status),
                     toString(InstanceStatus::Succeeded));
    }

    void pausedPoolLaunchesNothingUntilResumed() {
        EngineFixture f;
        addLocal(f, 2);
        QSignalSpy poolsChanged(f.engine.get(), &Engine::poolsChanged);
        GatedRun run(f, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QVERIFY(!run.id.isEmpty());
        QTRY_VERIFY2_WITH_TIMEOUT(loadIs(f, 2, 1), qPrintable(describe(load(f))), kTimeoutMs);

        poolsChanged.clear();
        f.engine->setPoolPaused(QStringLiteral("local"), true);
        QVERIFY(f.engine->isPoolPaused(QStringLiteral("local")));
        QVERIFY(load(f).paused);
        QVERIFY(poolsChanged.wait(kTimeoutMs));

        // The running ones finish; the third stays pending on the paused pool.
        run.release(QStringLiteral("a"));
        run.release(QStringLiteral("b"));
        run.release(QStringLiteral("c"));
        QTRY_VERIFY2_WITH_TIMEOUT(loadIs(f, 0, 1), qPrintable(describe(load(f))), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(f.instance(run.id, QStringLiteral("wait"), QStringLiteral("b")).status ==
                                     InstanceStatus::Succeeded,
                                 kTimeoutMs);
        QCOMPARE(toString(run.status(QStringLiteral("c"))), toString(InstanceStatus::Pending));
        QVERIFY(f.engine->isActive(run.id));

        f.engine->setPoolPaused(QStringLiteral("local"), false);
        QVERIFY(!f.engine->isPoolPaused(QStringLiteral("local")));
        QVERIFY(f.waitFinished(run.id, kTimeoutMs)); // c's gate is already open
        QCOMPARE(toString(f.finished.value(run.id)), toString(RunStatus::Succeeded));
    }

    void runStartedOnAPausedPoolWaitsPending() {
        EngineFixture f;
        addLocal(f, 4);
        f.engine->setPoolPaused(QStringLiteral("local"), true);
        GatedRun run(f, {QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(!run.id.isEmpty());
        run.releaseAll();
        QVERIFY2(loadIs(f, 0, 2), qPrintable(describe(load(f))));
        // Its pending state is announced (committed) while nothing launches.
        QTRY_VERIFY_WITH_TIMEOUT(f.store->run(run.id) && f.store->run(run.id)->status == RunStatus::Running,
                                 kTimeoutMs);
        QVERIFY2(loadIs(f, 0, 2), qPrintable(describe(load(f))));
        QCOMPARE(toString(run.status(QStringLiteral("a"))), toString(InstanceStatus::Pending));

        f.engine->setPoolPaused(QStringLiteral("local"), false);
        QVERIFY(f.waitFinished(run.id, kTimeoutMs));
        QCOMPARE(toString(f.finished.value(run.id)), toString(RunStatus::Succeeded));
    }
};

QTEST_GUILESS_MAIN(TestPoolControls)
#include "tst_pool_controls.moc"
