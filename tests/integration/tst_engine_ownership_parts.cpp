// The pieces behind "one engine per data dir" and the CLI's logging, with real files,
// sockets and processes: DataDirLock (holder named, stale lock taken over),
// ControlServer/ControlClient (JSON lines over the local socket), and core/logs
// (JSON-lines file with rotation, ring buffer with its signal, levels).

#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "logs/log_buffer.h"
#include "logs/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>
#include <unistd.h>

using namespace signalbox;

class TestEngineOwnershipParts final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lockNamesItsHolder() {
        QTemporaryDir dir;
        engine::DataDirLock first(dir.path());
        QString error;
        QVERIFY(first.tryLock(0, &error));
        QVERIFY(first.isLocked());
        QVERIFY(QFileInfo::exists(first.lockPath()));

        engine::DataDirLock second(dir.path());
        QVERIFY(!second.tryLock(0, &error));
        QVERIFY2(error.contains(QStringLiteral("pid %1").arg(::getpid())), qPrintable(error));
        QVERIFY2(error.contains(dir.path()), qPrintable(error));
        const auto holder = second.holder();
        QVERIFY(holder.has_value());
        QCOMPARE(holder->pid, qint64(::getpid()));

        first.unlock();
        QVERIFY(!QFileInfo::exists(first.lockPath()));
        QVERIFY(second.tryLock(0, &error));
    }

    void staleLockOfADeadProcessIsTakenOver() {
        QTemporaryDir dir;
        // A process that has exited (and been reaped): its pid is free.
        QProcess gone;
        gone.start(QStringLiteral("/bin/true"), {});
        QVERIFY(gone.waitForFinished(30000));
        const qint64 deadPid = gone.processId() > 0 ? gone.processId() : 999999;
        QFile lockFile(QDir(dir.path()).absoluteFilePath(engine::DataDirLock::lockFileName()));
        QVERIFY(lockFile.open(QIODevice::WriteOnly));
        lockFile.write(QByteArray::number(deadPid) + '\n' + QCoreApplication::applicationName().toUtf8() +
                       '\n' + QSysInfo::machineHostName().toUtf8() + '\n');
        lockFile.close();

        engine::DataDirLock lock(dir.path());
        QVERIFY(!lock.holder().has_value()); // a dead holder holds nothing
        QString error;
        QVERIFY2(lock.tryLock(0, &error), qPrintable(error));
    }

    void controlChannelAnswersRequests() {
        QTemporaryDir dir;
        engine::ControlServer server;
        QString error;
        QVERIFY2(server.listen(dir.path(), &error), qPrintable(error));
        QCOMPARE(server.socketPath(), engine::controlSocketPath(dir.path()));
        QVERIFY(QFileInfo(server.socketPath()).permissions().testFlag(QFileDevice::ReadOwner));
        QVERIFY(!QFileInfo(server.socketPath()).permissions().testFlag(QFileDevice::ReadOther));
        server.setHandler([](const QJsonObject& request) {
            if (request.value(QStringLiteral("cmd")).toString() == u"cancel")
                return QJsonObject{{QStringLiteral("status"), QStringLiteral("cancelling")},
                                   {QStringLiteral("run"), request.value(QStringLiteral("run"))}};
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("error"), QStringLiteral("unknown")}};
        });

        // The client blocks, so it runs on its own thread while this one serves.
        std::atomic<bool> done = false;
        std::optional<QJsonObject> reply;
        std::optional<QJsonObject> badReply;
        std::thread client([&] {
            QString clientError;
            reply =
                engine::ControlClient::request(dir.path(),
                                               QJsonObject{{QStringLiteral("cmd"), QStringLiteral("cancel")},
                                                           {QStringLiteral("run"), QStringLiteral("r_1")}},
                                               20000, &clientError);
            badReply = engine::ControlClient::request(
                dir.path(), QJsonObject{{QStringLiteral("cmd"), QStringLiteral("nope")}}, 20000,
                &clientError);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 30000);
        client.join();
        QVERIFY(reply.has_value());
        QCOMPARE(reply->value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(reply->value(QStringLiteral("status")).toString(), QStringLiteral("cancelling"));
        QCOMPARE(reply->value(QStringLiteral("run")).toString(), QStringLiteral("r_1"));
        QVERIFY(badReply.has_value());
        QCOMPARE(badReply->value(QStringLiteral("ok")).toBool(), false);

        server.close();
        QString clientError;
        QVERIFY(!engine::ControlClient::request(
            dir.path(), QJsonObject{{QStringLiteral("cmd"), QStringLiteral("ping")}}, 2000, &clientError));
        QVERIFY(!clientError.isEmpty());
    }

    void longDataDirGetsAShortSocketName() {
        const QString longDir = QStringLiteral("/tmp/") + QString(150, u'x');
        const QString path = engine::controlSocketPath(longDir);
        QVERIFY(QFile::encodeName(path).size() < 108);
        QCOMPARE(engine::controlSocketPath(longDir), path); // stable
    }

    void levelsParse() {
        QVERIFY(logs::levelFromString(QStringLiteral("warn")) == logs::Level::Warn);
        QVERIFY(logs::levelFromString(QStringLiteral("OFF")) == logs::Level::Off);
        QVERIFY(!logs::levelFromString(QStringLiteral("loud")).has_value());
        QCOMPARE(logs::jsonEscape("a\"b\\c\nd\x01"), QByteArray("a\\\"b\\\\c\\nd\\u0001"));
    }

    void logFileIsJsonLinesAndRotates() {
        QTemporaryDir dir;
        logs::LoggingOptions options;
        options.logDir = dir.filePath(QStringLiteral("logs"));
        options.consoleLevel = logs::Level::Off;
        options.fileLevel = logs::Level::Debug;
        options.maxFileBytes = 4096;
        options.maxFiles = 2;
        options.captureQtMessages = false;
        QString error;
        QVERIFY2(logs::initLogging(options, &error), qPrintable(error));
        QCOMPARE(logs::logFilePath(), QDir(options.logDir).absoluteFilePath(QStringLiteral("signalbox.log")));
        logs::debug(QStringLiteral("quote \" backslash \\ newline \n tab \t done"));
        logs::trace(QStringLiteral("below the file level"));
        for (int i = 0; i < 200; ++i)
            logs::info(QStringLiteral("line %1 of the rotation test").arg(i));
        logs::shutdownLogging();

        const QStringList files = QDir(options.logDir).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, (QStringList{QStringLiteral("signalbox.1.log"), QStringLiteral("signalbox.2.log"),
                                     QStringLiteral("signalbox.log")}));
        for (const QString& name : files) {
            QFile file(QDir(options.logDir).absoluteFilePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(file.size() <= 4096 + 512);
            for (const QByteArray& line : file.readAll().trimmed().split('\n')) {
                const QJsonObject entry = QJsonDocument::fromJson(line).object();
                QVERIFY2(entry.value(QStringLiteral("msg")).isString(), line.constData());
                QVERIFY(entry.value(QStringLiteral("ts")).toString().endsWith(u'Z'));
                QVERIFY(!entry.value(QStringLiteral("msg"))
                             .toString()
                             .contains(QStringLiteral("below the file level")));
            }
        }
        QFile newest(logs::logFilePath().isEmpty()
                         ? QDir(options.logDir).absoluteFilePath(QStringLiteral("signalbox.log"))
                         : logs::logFilePath());
        QVERIFY(newest.open(QIODevice::ReadOnly));
        QVERIFY(newest.readAll().contains("line 199 of the rotation test"));
    }

    void ringBufferKeepsTheNewestAndAnnouncesThem() {
        logs::LoggingOptions options;
        options.consoleLevel = logs::Level::Off;
        options.ringCapacity = 5;
        options.captureQtMessages = false;
        QVERIFY(logs::initLogging(options));
        logs::LogBuffer& buffer = logs::LogBuffer::instance();
        buffer.clear();
        QSignalSpy spy(&buffer, &logs::LogBuffer::entryAppended);
        for (int i = 0; i < 8; ++i)
            logs::warn(QStringLiteral("entry %1").arg(i));
        QCOMPARE(spy.count(), 8);
        const QList<logs::LogEntry> entries = buffer.entries();
        QCOMPARE(entries.size(), 5);
        QCOMPARE(entries.first().message, QStringLiteral("entry 3"));
        QCOMPARE(entries.last().message, QStringLiteral("entry 7"));
        QVERIFY(entries.last().level == logs::Level::Warn);
        QCOMPARE(buffer.entries(entries.at(3).id).size(), 1);
        logs::shutdownLogging();
    }
};

QTEST_GUILESS_MAIN(TestEngineOwnershipParts)
#include "tst_engine_ownership_parts.moc"
