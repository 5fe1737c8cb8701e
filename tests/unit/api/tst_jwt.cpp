// HS256 tokens: round trip, independent HMAC check, tampering, algorithms, time, garbage.
#include "api/jwt.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace signalbox::api;

namespace {

const QByteArray kSecret = QByteArrayLiteral("0123456789abcdef0123456789abcdef-test");
constexpr qint64 kNow = 1700000000;
constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

TokenClaims sampleClaims() {
    TokenClaims c;
    c.subject = QStringLiteral("ci");
    c.role = Role::Operator;
    c.issuedAt = kNow - 10;
    c.expiresAt = kNow + 3600;
    c.id = QStringLiteral("00112233445566778899aabbccddeeff");
    c.name = QStringLiteral("CI bot");
    return c;
}

// Builds a token from raw header/payload JSON, signed correctly with kSecret.
QByteArray rawToken(const QByteArray& header, const QByteArray& payload) {
    const QByteArray input = header.toBase64(kB64) + '.' + payload.toBase64(kB64);
    return input + '.' +
           QMessageAuthenticationCode::hash(input, kSecret, QCryptographicHash::Sha256).toBase64(kB64);
}

const QByteArray kHs256 = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");

} // namespace

class TestJwt : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        const auto token = signToken(sampleClaims(), kSecret);
        const auto r = verifyToken(token, kSecret, kNow);
        QVERIFY2(r.claims.has_value(), qPrintable(r.message));
        QCOMPARE(r.claims->subject, QStringLiteral("ci"));
        QVERIFY(r.claims->role == Role::Operator);
        QCOMPARE(r.claims->issuedAt, kNow - 10);
        QCOMPARE(r.claims->expiresAt, kNow + 3600);
        QCOMPARE(r.claims->notBefore, qint64(0));
        QCOMPARE(r.claims->id, QStringLiteral("00112233445566778899aabbccddeeff"));
        QCOMPARE(r.claims->name, QStringLiteral("CI bot"));
        QVERIFY(r.message.isEmpty());
    }

    void signatureMatchesIndependentHmac() {
        const auto token = signToken(sampleClaims(), kSecret);
        const auto parts = token.split('.');
        QCOMPARE(parts.size(), 3);
        QCOMPARE(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding), kHs256);
        QVERIFY(!token.contains('='));
        const auto mac =
            QMessageAuthenticationCode::hash(parts[0] + '.' + parts[1], kSecret, QCryptographicHash::Sha256);
        QCOMPARE(parts[2], mac.toBase64(kB64));
    }

    void knownVector() {
        // The jwt.io HS256 example: the signature verifies, then the missing exp is reported.
        const QByteArray token =
            QByteArrayLiteral("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                              "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                              "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
        const auto ok = verifyToken(token, QByteArrayLiteral("your-256-bit-secret"), kNow);
        QVERIFY(!ok.claims);
        QVERIFY(ok.error == TokenError::MissingClaim);
        const auto bad = verifyToken(token, QByteArrayLiteral("another-secret"), kNow);
        QVERIFY(bad.error == TokenError::BadSignature);
    }

    void tamperedPayloadOrSignature() {
        const auto token = signToken(sampleClaims(), kSecret);
        auto parts = token.split('.');
        auto admin = sampleClaims();
        admin.role = Role::Admin;
        const auto otherPayload =
            signToken(admin, QByteArrayLiteral("attacker-secret-attacker-secret!!")).split('.')[1];
        const auto r1 = verifyToken(parts[0] + '.' + otherPayload + '.' + parts[2], kSecret, kNow);
        QVERIFY(!r1.claims);
        QVERIFY(r1.error == TokenError::BadSignature);

        QByteArray sig = parts[2];
        sig[0] = sig[0] == 'A' ? 'B' : 'A';
        QVERIFY(verifyToken(parts[0] + '.' + parts[1] + '.' + sig, kSecret, kNow).error ==
                TokenError::BadSignature);
        // Truncated and empty signatures fail the length check.
        QVERIFY(verifyToken(parts[0] + '.' + parts[1] + '.' + parts[2].left(10), kSecret, kNow).error ==
                TokenError::BadSignature);
        QVERIFY(verifyToken(parts[0] + '.' + parts[1] + '.', kSecret, kNow).error ==
                TokenError::BadSignature);
        QVERIFY(verifyToken(token, QByteArrayLiteral("wrong-secret-wrong-secret-wrong!!"), kNow).error ==
                TokenError::BadSignature);
    }

    void unsupportedAlgorithms() {
        const QByteArray payload =
            QByteArrayLiteral(R"({"sub":"x","role":"admin","iat":1,"exp":9999999999,"jti":"ab"})");
        const QByteArray none = QByteArrayLiteral(R"({"alg":"none","typ":"JWT"})").toBase64(kB64) + '.' +
                                payload.toBase64(kB64) + '.';
        const auto r = verifyToken(none, kSecret, kNow);
        QVERIFY(!r.claims);
        QVERIFY(r.error == TokenError::UnsupportedAlgorithm);
        QVERIFY(
            verifyToken(rawToken(QByteArrayLiteral(R"({"alg":"HS512"})"), payload), kSecret, kNow).error ==
            TokenError::UnsupportedAlgorithm);
        QVERIFY(verifyToken(rawToken(QByteArrayLiteral(R"({"typ":"JWT"})"), payload), kSecret, kNow).error ==
                TokenError::UnsupportedAlgorithm);
        const auto good = verifyToken(rawToken(kHs256, payload), kSecret, kNow);
        QVERIFY(good.claims.has_value() && good.claims->role == Role::Admin);
    }

    void timeChecks() {
        auto c = sampleClaims();
        c.expiresAt = kNow;
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow).error == TokenError::Expired);
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow, 30).claims.has_value());
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow + 30, 30).error == TokenError::Expired);

        c = sampleClaims();
        c.notBefore = kNow + 60;
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow).error == TokenError::NotYetValid);
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow + 60).claims.has_value());
        QVERIFY(verifyToken(signToken(c, kSecret), kSecret, kNow, 60).claims.has_value());
    }

    void missingClaims_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("no exp") << QByteArrayLiteral(R"({"sub":"x","role":"viewer","iat":1,"jti":"a"})");
        QTest::newRow("string exp") << QByteArrayLiteral(
            R"({"sub":"x","role":"viewer","iat":1,"exp":"9999999999","jti":"a"})");
        QTest::newRow("no iat") << QByteArrayLiteral(
            R"({"sub":"x","role":"viewer","exp":9999999999,"jti":"a"})");
        QTest::newRow("no sub") << QByteArrayLiteral(
            R"({"role":"viewer","iat":1,"exp":9999999999,"jti":"a"})");
        QTest::newRow("no role") << QByteArrayLiteral(R"({"sub":"x","iat":1,"exp":9999999999,"jti":"a"})");
        QTest::newRow("bad role") << QByteArrayLiteral(
            R"({"sub":"x","role":"root","iat":1,"exp":9999999999,"jti":"a"})");
        QTest::newRow("no jti") << QByteArrayLiteral(
            R"({"sub":"x","role":"viewer","iat":1,"exp":9999999999})");
    }
    void missingClaims() {
        QFETCH(QByteArray, payload);
        const auto r = verifyToken(rawToken(kHs256, payload), kSecret, kNow);
        QVERIFY(!r.claims);
        QVERIFY(r.error == TokenError::MissingClaim);
        QVERIFY(!r.message.isEmpty() && !r.message.contains(QLatin1Char('\n')));
    }

    void garbage() {
        const QList<QByteArray> fixed = {
            QByteArray(),
            QByteArrayLiteral("."),
            QByteArrayLiteral(".."),
            QByteArrayLiteral("..."),
            QByteArrayLiteral("a.b.c"),
            QByteArrayLiteral("a.b"),
            QByteArrayLiteral("!!!.???.***"),
            rawToken(QByteArrayLiteral("[1,2]"), QByteArrayLiteral("{}")),
            rawToken(kHs256, QByteArrayLiteral("not json")),
            rawToken(kHs256, QByteArrayLiteral(
                                 R"({"sub":"x","role":"viewer","iat":1.5,"exp":9999999999,"jti":"a"})")),
            rawToken(kHs256,
                     QByteArrayLiteral(R"({"sub":"x","role":"viewer","iat":1,"exp":1e300,"jti":"a"})")),
        };
        for (const auto& t : fixed) {
            const auto r = verifyToken(t, kSecret, kNow);
            QVERIFY2(!r.claims, t.constData());
            QVERIFY(!r.message.isEmpty());
        }
        // Every truncation of a valid token fails without crashing.
        const auto token = signToken(sampleClaims(), kSecret);
        for (qsizetype n = 0; n < token.size(); ++n)
            QVERIFY(!verifyToken(token.left(n), kSecret, kNow).claims);
        // Random bytes, with and without dots, seeded for reproducibility.
        QRandomGenerator rng(42);
        for (int i = 0; i < 2000; ++i) {
            QByteArray junk(rng.bounded(200), Qt::Uninitialized);
            for (auto& ch : junk)
                ch = static_cast<char>(rng.bounded(256));
            if (i % 2 && junk.size() > 4) {
                junk[junk.size() / 3] = '.';
                junk[2 * junk.size() / 3] = '.';
            }
            QVERIFY(!verifyToken(junk, kSecret, kNow).claims);
        }
        // Random flips of single characters in a valid token are all rejected.
        for (int i = 0; i < 500; ++i) {
            QByteArray t = token;
            const auto pos = rng.bounded(t.size());
            const char orig = t[pos];
            t[pos] = static_cast<char>(rng.bounded(256));
            if (t[pos] == orig)
                continue;
            QVERIFY(!verifyToken(t, kSecret, kNow).claims);
        }
    }

    void roles() {
        QVERIFY(allows(Role::Admin, Role::Operator));
        QVERIFY(allows(Role::Admin, Role::Viewer));
        QVERIFY(allows(Role::Operator, Role::Viewer));
        QVERIFY(allows(Role::Operator, Role::Operator));
        QVERIFY(!allows(Role::Operator, Role::Admin));
        QVERIFY(!allows(Role::Viewer, Role::Operator));
        for (auto r : {Role::Viewer, Role::Operator, Role::Admin})
            QCOMPARE(roleFromString(toString(r)), std::optional<Role>(r));
        QVERIFY(!roleFromString(QStringLiteral("Admin")));
        QVERIFY(!roleFromString(QString()));
    }

    void tokenIds() {
        const auto a = newTokenId();
        QCOMPARE(a.size(), 32);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(a).hasMatch());
        QVERIFY(a != newTokenId());
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
