// EngineSession, the engine host every front end shares: the data dir lock (a second
// session is busy), crash recovery at open, and the control channel answered from a
// session living on a worker QThread, as the desktop console runs it (role Console:
// ping says "console"; a run another process recorded and handed over with "start"
// runs here, in real child processes; the CLI's hand-over treats a console like the
// background executor).

#include "commands/run_handover.h"
#include "engine/control_channel.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "engine/noop_launcher.h"
#include "store/store.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <memory>

using namespace signalbox;
using namespace signalbox::engine;

namespace {

constexpr int kTimeoutMs = 30000;

// A session created, opened and destroyed on its own thread with an event loop.
class SessionOnThread final {
public:
    SessionOnThread(const QString& dataDir, EngineSession::Role role) {
        m_context.moveToThread(&m_thread);
        m_thread.start();
        onThread([&] {
            session = new EngineSession(dataDir, role);
            result = session->open(0, true, &error);
            if (result == EngineSession::OpenResult::Opened)
                session->addLocalPool(2);
        });
    }

    ~SessionOnThread() {
        QThread* main = QThread::currentThread();
        onThread([&] {
            delete session;
            session = nullptr;
            m_context.moveToThread(main);
        });
        m_thread.quit();
        m_thread.wait();
    }

    SessionOnThread(const SessionOnThread&) = delete;
    SessionOnThread& operator=(const SessionOnThread&) = delete;

    template <typename F> void onThread(F&& work) {
        QMetaObject::invokeMethod(&m_context, std::forward<F>(work), Qt::BlockingQueuedConnection);
    }

    EngineSession* session = nullptr;
    EngineSession::OpenResult result = EngineSession::OpenResult::Failed;
    QString error;

private:
    QThread m_thread;
    QObject m_context;
};

std::optional<QJsonObject> control(const QString& dataDir, const QJsonObject& request) {
    QString error;
    auto reply = ControlClient::request(dataDir, request, kTimeoutMs, &error);
    if (!reply)
        qWarning("control request failed: %s", qPrintable(error));
    return reply;
}

// Records a queued run the way `signalbox-cli run` does without the lock: its own store
// and an engine that only plans.
QString recordQueuedRun(const QString& dataDir, const QString& workflowFile) {
    QString error;
    auto store = store::Store::open(dataDir, &error);
    if (!store) {
        qWarning("cannot open the store: %s", qPrintable(error));
        return {};
    }
    Engine planner(*store);
    planner.addPool(QStringLiteral("local"), new NoopLauncher());
    RunRequest request;
    request.workflowPath = workflowFile;
    workflow::Diagnostics diagnostics;
    const auto id = planner.createRun(request, &diagnostics);
    if (!id) {
        for (const auto& diagnostic : diagnostics)
            qWarning("%s", qPrintable(diagnostic.format()));
        return {};
    }
    store->sync();
    return *id;
}

std::optional<RunStatus> storedStatus(const QString& dataDir, const QString& runId) {
    QString error;
    const auto store = store::Store::open(dataDir, &error);
    if (!store)
        return std::nullopt;
    const auto run = store->run(runId);
    return run ? std::optional<RunStatus>(run->status) : std::nullopt;
}

} // namespace

class TestEngineSession final : public QObject {
    Q_OBJECT

private:
    QString writeWorkflow(const QTemporaryDir& dir, const QByteArray& yaml) {
        const QString file = dir.filePath(QStringLiteral("hello.yaml"));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file));
        out.write(yaml);
        return file;
    }

private Q_SLOTS:
    void secondSessionOnTheSameDataDirIsBusy() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        QString error;
        {
            EngineSession first(data, EngineSession::Role::Foreground);
            QCOMPARE(int(first.open(0, false, &error)), int(EngineSession::OpenResult::Opened));
            QCOMPARE(first.dataDir(), data);
            QVERIFY(first.localPool() == nullptr);
            first.addLocalPool(3);
            QVERIFY(first.localPool() != nullptr);
            QCOMPARE(first.engine().poolLoad(QStringLiteral("local")).capacity, 3);
            QVERIFY(first.isIdle());

            EngineSession second(data, EngineSession::Role::Console);
            QCOMPARE(int(second.open(0, false, &error)), int(EngineSession::OpenResult::Busy));
            QVERIFY2(error.contains(QString::number(QCoreApplication::applicationPid())), qPrintable(error));
        }
        // The first one is gone with its lock.
        EngineSession third(data, EngineSession::Role::Console);
        QCOMPARE(int(third.open(0, false, &error)), int(EngineSession::OpenResult::Opened));
    }

    void unusableDataDirFails() {
        QTemporaryDir dir;
        const QString notADir = dir.filePath(QStringLiteral("file"));
        QFile file(notADir);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        EngineSession session(notADir, EngineSession::Role::Console);
        QString error;
        QCOMPARE(int(session.open(0, false, &error)), int(EngineSession::OpenResult::Failed));
        QVERIFY(!error.isEmpty());
    }

    void recoverRecordsRunsLeftByAGoneProcessInterrupted() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        const QString id = recordQueuedRun(data, writeWorkflow(dir, "name: left\ntasks:\n"
                                                                    "  - id: t\n    run: [\"true\"]\n"));
        QVERIFY(!id.isEmpty());
        QString error;
        {
            EngineSession plain(data, EngineSession::Role::Executor);
            QCOMPARE(int(plain.open(0, false, &error)), int(EngineSession::OpenResult::Opened));
            QCOMPARE(toString(plain.store().run(id)->status), toString(RunStatus::Queued));
        }
        EngineSession recovering(data, EngineSession::Role::Executor);
        QCOMPARE(int(recovering.open(0, true, &error)), int(EngineSession::OpenResult::Opened));
        recovering.store().sync();
        QCOMPARE(toString(recovering.store().run(id)->status), toString(RunStatus::Interrupted));
        for (const InstanceRecord& instance : recovering.store().instances(id))
            QCOMPARE(toString(instance.status), toString(InstanceStatus::Interrupted));
    }

    void consoleOnAWorkerThreadAnswersPing() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        SessionOnThread console(data, EngineSession::Role::Console);
        QVERIFY2(console.result == EngineSession::OpenResult::Opened, qPrintable(console.error));
        const auto reply = control(data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("ping")}});
        QVERIFY(reply);
        QCOMPARE(reply->value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(reply->value(QStringLiteral("role")).toString(), QStringLiteral("console"));
        QCOMPARE(reply->value(QStringLiteral("closing")).toBool(), false);
        QCOMPARE(reply->value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());

        bool accepting = false;
        console.onThread([&] {
            accepting = console.session->isAccepting();
            console.session->stopAccepting();
        });
        QVERIFY(accepting);
        QString error;
        QVERIFY(!ControlClient::request(data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("ping")}},
                                        2000, &error));
    }

    void foregroundRefusesRunsOfOtherProcesses() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        SessionOnThread foreground(data, EngineSession::Role::Foreground);
        QVERIFY2(foreground.result == EngineSession::OpenResult::Opened, qPrintable(foreground.error));
        const auto ping = control(data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("ping")}});
        QVERIFY(ping);
        QCOMPARE(ping->value(QStringLiteral("role")).toString(), QStringLiteral("foreground"));
        const QString id = recordQueuedRun(data, writeWorkflow(dir, "name: refused\ntasks:\n"
                                                                    "  - id: t\n    run: [\"true\"]\n"));
        QVERIFY(!id.isEmpty());
        const auto reply = control(
            data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("start")}, {QStringLiteral("run"), id}});
        QVERIFY(reply);
        QCOMPARE(reply->value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(reply->value(QStringLiteral("busy")).toBool(), true);
        QCOMPARE(toString(*storedStatus(data, id)), toString(RunStatus::Queued));
    }

    void consoleRunsARunHandedOverByStart() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        SessionOnThread console(data, EngineSession::Role::Console);
        QVERIFY2(console.result == EngineSession::OpenResult::Opened, qPrintable(console.error));
        QSignalSpy accepted(console.session, &EngineSession::runAccepted);
        QSignalSpy maybeIdle(console.session, &EngineSession::maybeIdle);

        const QString marker = dir.filePath(QStringLiteral("ran-in-console"));
        const QString id = recordQueuedRun(
            data, writeWorkflow(dir, "name: handed-over\ntasks:\n  - id: t\n    run: [\"touch\", \"" +
                                         marker.toUtf8() + "\"]\n"));
        QVERIFY(!id.isEmpty());
        const auto reply = control(
            data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("start")}, {QStringLiteral("run"), id}});
        QVERIFY(reply);
        QVERIFY2(reply->value(QStringLiteral("ok")).toBool(),
                 qPrintable(reply->value(QStringLiteral("error")).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, kTimeoutMs);
        QCOMPARE(accepted.first().first().toString(), id);

        QVERIFY(maybeIdle.wait(kTimeoutMs)); // the run finished
        bool idle = false;
        console.onThread([&] { idle = console.session->isIdle(); });
        QVERIFY(idle);
        QTRY_VERIFY_WITH_TIMEOUT(storedStatus(data, id) == RunStatus::Succeeded, kTimeoutMs);
        QVERIFY(QFile::exists(marker)); // a real child process of the session's local pool

        // The same run cannot start twice.
        const auto again = control(
            data, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("start")}, {QStringLiteral("run"), id}});
        QVERIFY(again);
        QCOMPARE(again->value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(again->value(QStringLiteral("status")).toString(), toString(RunStatus::Succeeded));
    }

    void cliHandsItsRunToTheConsole() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        SessionOnThread console(data, EngineSession::Role::Console);
        QVERIFY2(console.result == EngineSession::OpenResult::Opened, qPrintable(console.error));
        // What `signalbox-cli run` does when another process holds the lock.
        QCOMPARE(int(cli::probeHolder(data)), int(cli::HolderKind::Executor));
        const QString id = recordQueuedRun(
            data, writeWorkflow(dir, "name: from-cli\ntasks:\n  - id: t\n    run: [\"true\"]\n"));
        QVERIFY(!id.isEmpty());
        QString error;
        QCOMPARE(int(cli::handOver(data, QStringLiteral("start"), id, &error)),
                 int(cli::HandoverResult::Accepted));
        QTRY_VERIFY_WITH_TIMEOUT(storedStatus(data, id) == RunStatus::Succeeded, kTimeoutMs);
    }
};

QTEST_GUILESS_MAIN(TestEngineSession)
#include "tst_engine_session.moc"
