// Store: what a commit callback announced survives kill -9 of the process (WAL with
// synchronous=NORMAL), and the database is intact afterwards.

#include "store/sqlite_connection.h"
#include "store/store.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::store;

class TestStoreCrash final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void announcedWritesSurviveKill9() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QStringLiteral(STORE_CRASH_CHILD), {dir.path()});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));

        // Wait until the child has announced a good number of commits, then SIGKILL it
        // while it keeps writing.
        QStringList announced;
        QByteArray pending;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                pending += child.readAllStandardOutput();
                qsizetype newline;
                while ((newline = pending.indexOf('\n')) >= 0) {
                    announced.append(QString::fromUtf8(pending.left(newline)));
                    pending.remove(0, newline + 1);
                }
                return announced.size() >= 300 || child.state() == QProcess::NotRunning;
            }(),
            60000);
        QCOMPARE(child.state(), QProcess::Running);
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        pending += child.readAllStandardOutput();
        for (const QByteArray& line : pending.split('\n')) {
            if (!line.isEmpty())
                announced.append(QString::fromUtf8(line));
        }

        QString error;
        {
            auto db = SqliteConnection::open(dir.filePath(QStringLiteral("signalbox.db")),
                                             SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY2(db, qPrintable(error));
            Statement* check = db->cached("PRAGMA integrity_check", &error);
            QVERIFY(check && check->step() == Statement::Step::Row);
            QCOMPARE(check->text(0), QStringLiteral("ok"));
        }
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        for (const QString& id : std::as_const(announced)) {
            QVERIFY2(store->run(id), qPrintable(id));
            QCOMPARE(store->logLineCount(id), 100);
        }
        LogQuery search;
        search.runId = announced.last();
        search.match = QStringLiteral("line");
        QCOMPARE(store->logs(search).size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_store_crash.moc"
