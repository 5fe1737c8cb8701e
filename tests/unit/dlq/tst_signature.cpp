#include "dlq/signature.h"

#include <QtTest>

using namespace signalbox::dlq;
using namespace Qt::StringLiterals;

class TestSignature final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void normalize_data() {
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QString>("expected");
        const QString repo = u"/work/repos/billing"_s;
        QTest::newRow("plain text kept") << u"tests failed"_s << repo << u"tests failed"_s;
        QTest::newRow("exit code kept") << u"exit code 137"_s << repo << u"exit code 137"_s;
        QTest::newRow("signal number kept") << u"killed by signal 9"_s << repo << u"killed by signal 9"_s;
        QTest::newRow("pid") << u"worker pid 48213 died"_s << repo << u"worker pid <n> died"_s;
        QTest::newRow("decimal") << u"load 3.75 over limit"_s << repo << u"load <n> over limit"_s;
        QTest::newRow("identifier digits kept") << u"python3 not found"_s << repo << u"python3 not found"_s;
        QTest::newRow("pointer") << u"segfault at 0x7ffd5a3b9c10"_s << repo << u"segfault at <hex>"_s;
        QTest::newRow("short sha") << u"cannot checkout 3f9a2c1"_s << repo << u"cannot checkout <sha>"_s;
        QTest::newRow("full sha") << u"bad object 4b825dc642cb6eb9a060e54bf8d69288fbee4904"_s << repo
                                  << u"bad object <sha>"_s;
        QTest::newRow("hex-like word kept") << u"record defaced"_s << repo << u"record defaced"_s;
        QTest::newRow("uuid") << u"job 123e4567-e89b-12d3-a456-426614174000 lost"_s << repo
                              << u"job <uuid> lost"_s;
        QTest::newRow("repo path") << u"/work/repos/billing/src/app.cpp: error"_s << repo
                                   << u"<repo>/src/app.cpp: error"_s;
        QTest::newRow("repo path with trailing slash")
            << u"cd /work/repos/billing failed"_s << u"/work/repos/billing/"_s << u"cd <repo> failed"_s;
        QTest::newRow("sibling repo not swallowed")
            << u"/work/repos/billing2/x"_s << repo << u"/work/repos/billing2/x"_s;
        QTest::newRow("repo path with regex characters")
            << u"/w/a+b (1)/f.txt missing"_s << u"/w/a+b (1)"_s << u"<repo>/f.txt missing"_s;
        QTest::newRow("empty repo path")
            << u"/work/repos/billing/x"_s << QString() << u"/work/repos/billing/x"_s;
        QTest::newRow("iso timestamp")
            << u"at 2026-11-23T10:00:00.123Z: refused"_s << repo << u"at <time>: refused"_s;
        QTest::newRow("iso timestamp with offset")
            << u"since 2026-11-23 10:00:00+01:00"_s << repo << u"since <time>"_s;
        QTest::newRow("clock time") << u"[10:00:00] connection reset"_s << repo
                                    << u"[<time>] connection reset"_s;
        QTest::newRow("milliseconds")
            << u"timed out after 250ms"_s << repo << u"timed out after <duration>"_s;
        QTest::newRow("seconds") << u"timed out after 30s"_s << repo << u"timed out after <duration>"_s;
        QTest::newRow("fractional seconds")
            << u"took 1.5s, limit 1s"_s << repo << u"took <duration>, limit <duration>"_s;
        QTest::newRow("compound duration") << u"idle 2m30s"_s << repo << u"idle <duration>"_s;
        QTest::newRow("spelled duration") << u"retry in 5 seconds"_s << repo << u"retry in <duration>"_s;
        QTest::newRow("whitespace") << u"  a \t b\n\nc  "_s << repo << u"a b c"_s;
        QTest::newRow("everything")
            << u"2026-11-23T10:00:00Z pid 77 /work/repos/billing/.git/index.lock exists (0xdead, 12ms)"_s
            << repo << u"<time> pid <n> <repo>/.git/index.lock exists (<hex>, <duration>)"_s;
    }
    void normalize() {
        QFETCH(QString, error);
        QFETCH(QString, repo);
        QFETCH(QString, expected);
        QCOMPARE(normalizeError(error, repo), expected);
    }

    void signatureIsShortHex() {
        const QString sig = errorSignature(u"test"_s, u"exit code 1"_s, u"/r"_s);
        QCOMPARE(sig.size(), 16);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{16}$"_s).match(sig).hasMatch());
        QCOMPARE(errorSignature(u"test"_s, u"exit code 1"_s, u"/r"_s), sig);
    }

    void sameProblemAcrossReposGroups() {
        const QStringList errors{
            u"/work/repos/billing/build/out.o: No space left on device (pid 4121, after 1.2s) at 2026-11-23T10:00:00.001Z"_s,
            u"/srv/checkouts/auth/build/out.o: No space left on device (pid 77, after 350ms) at 2026-11-24T03:12:45.999Z"_s,
            u"/tmp/x/api-gateway/build/out.o: No space left on device (pid 9, after 12s) at 2026-12-01T23:59:59.000Z"_s};
        const QStringList repos{u"/work/repos/billing"_s, u"/srv/checkouts/auth/"_s, u"/tmp/x/api-gateway"_s};
        QSet<QString> signatures;
        for (qsizetype i = 0; i < errors.size(); ++i)
            signatures.insert(errorSignature(u"build"_s, errors[i], repos[i]));
        QCOMPARE(signatures.size(), 1);
    }

    void differentProblemsStayApart() {
        const QString repo = u"/work/repos/billing"_s;
        const QSet<QString> signatures{
            errorSignature(u"test"_s, u"exit code 1"_s, repo),
            errorSignature(u"test"_s, u"exit code 2"_s, repo),
            errorSignature(u"test"_s, u"killed by signal SIGKILL"_s, repo),
        };
        QCOMPARE(signatures.size(), 3);
        // Same error, different task: a different problem.
        QVERIFY(errorSignature(u"lint"_s, u"exit code 1"_s, repo) !=
                errorSignature(u"test"_s, u"exit code 1"_s, repo));
        // The separator keeps task id and error from running together.
        QVERIFY(errorSignature(u"ab"_s, u"c"_s, repo) != errorSignature(u"a"_s, u"bc"_s, repo));
    }
};

QTEST_GUILESS_MAIN(TestSignature)
#include "tst_signature.moc"
