// JWT secret loading: precedence, minimum length, generated file mode and reuse, unsafe modes.
#include "api/jwt_secret.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signalbox::api;

namespace {

const QByteArray kLong = QByteArrayLiteral("file-secret-file-secret-file-secret-1234");
const QByteArray kEnv = QByteArrayLiteral("env-secret-env-secret-env-secret-env-1234");

void writeFile(const QString& path, const QByteArray& data, QFileDevice::Permissions perms) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
    f.close();
    QVERIFY(QFile::setPermissions(path, perms));
}

constexpr auto kOwnerRw = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace

class TestJwtSecret : public QObject {
    Q_OBJECT
private slots:
    void fileBeatsEnvBeatsDataDir() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("given.secret"));
        writeFile(file, kLong + '\n', kOwnerRw);
        writeFile(dir.filePath(QStringLiteral("jwt.secret")), QByteArray(40, 'd'), kOwnerRw);
        QString error;
        QCOMPARE(loadJwtSecret(file, kEnv, dir.path(), &error).value_or(QByteArray()), kLong);
        QCOMPARE(loadJwtSecret(QString(), kEnv, dir.path(), &error).value_or(QByteArray()), kEnv);
        QCOMPARE(loadJwtSecret(QString(), QByteArray(), dir.path(), &error).value_or(QByteArray()),
                 QByteArray(40, 'd'));
    }

    void fileThroughSymlink() {
        QTemporaryDir dir;
        const QString real = dir.filePath(QStringLiteral("real.secret"));
        const QString link = dir.filePath(QStringLiteral("link.secret"));
        writeFile(real, kLong, kOwnerRw);
        QVERIFY(QFile::link(real, link));
        QString error;
        QCOMPARE(loadJwtSecret(link, QByteArray(), dir.path(), &error).value_or(QByteArray()), kLong);
    }

    void shortSecretsRefused() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("short.secret"));
        writeFile(file, QByteArrayLiteral("too-short\n"), kOwnerRw);
        QString error;
        QVERIFY(!loadJwtSecret(file, kEnv, dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("is 9 bytes; at least 32 are required")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("short.secret")));
        error.clear();
        QVERIFY(!loadJwtSecret(QString(), QByteArrayLiteral("0123456789012345678901234567890"), dir.path(),
                               &error));
        QVERIFY2(error.contains(QStringLiteral("SIGNALBOX_JWT_SECRET is 31 bytes")), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        // A missing given file is an error, never a fallback to another source.
        QVERIFY(!loadJwtSecret(dir.filePath(QStringLiteral("absent")), kEnv, dir.path(), &error));
        QVERIFY(error.contains(QStringLiteral("absent")));
    }

    void generatedOnceWith0600AndReused() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jwt.secret"));
        QVERIFY(!QFile::exists(path));
        QString error;
        const auto first = loadJwtSecret(QString(), QByteArray(), dir.path(), &error);
        QVERIFY2(first.has_value(), qPrintable(error));
        QCOMPARE(first->size(), 96); // 48 random bytes, hex-encoded
        QVERIFY(QFile::exists(path));
        QCOMPARE(QFileInfo(path).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), kOwnerRw);
        const auto second = loadJwtSecret(QString(), QByteArray(), dir.path(), &error);
        QVERIFY(second.has_value());
        QCOMPARE(*second, *first);
        QTemporaryDir other;
        QVERIFY(loadJwtSecret(QString(), QByteArray(), other.path(), &error).value_or(QByteArray()) !=
                *first);
    }

    void refusesGroupOrWorldReadableFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jwt.secret"));
        writeFile(path, QByteArray(40, 'x'), kOwnerRw | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        QString error;
        QVERIFY(!loadJwtSecret(QString(), QByteArray(), dir.path(), &error));
        QVERIFY2(error.contains(path) && error.contains(QStringLiteral("0644")), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        QCOMPARE(QFileInfo(path).size(), qint64(40)); // left untouched
    }
};

QTEST_GUILESS_MAIN(TestJwtSecret)
#include "tst_jwt_secret.moc"
