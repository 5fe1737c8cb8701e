#include "api/jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <cmath>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace signalbox::api {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray hmacSha256(const QByteArray& key, const QByteArray& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // A null key pointer makes HMAC() fail on some builds; pass a valid one for empty keys.
    static const unsigned char empty = 0;
    const auto* k = key.isEmpty() ? &empty : reinterpret_cast<const unsigned char*>(key.constData());
    if (!HMAC(EVP_sha256(), k, static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.constData()), static_cast<size_t>(data.size()), out,
              &len))
        return {};
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(len));
}

VerifyResult fail(TokenError error, const QString& message) {
    return VerifyResult{std::nullopt, error, message};
}

// Strict base64url: rejects characters outside the alphabet instead of skipping them.
std::optional<QByteArray> decodePart(const QByteArray& part) {
    auto decoded = QByteArray::fromBase64Encoding(part, kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

std::optional<QJsonObject> decodeObject(const QByteArray& part) {
    const auto raw = decodePart(part);
    if (!raw)
        return std::nullopt;
    QJsonParseError err{};
    const auto doc = QJsonDocument::fromJson(*raw, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// NumericDate claims must be whole numbers; fractions and huge values are refused.
std::optional<qint64> intClaim(const QJsonObject& obj, const QString& key) {
    const auto v = obj.value(key);
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e15)
        return std::nullopt;
    return static_cast<qint64>(d);
}

} // namespace

QString toString(Role role) {
    switch (role) {
    case Role::Viewer:
        return QStringLiteral("viewer");
    case Role::Operator:
        return QStringLiteral("operator");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("viewer");
}

std::optional<Role> roleFromString(const QString& text) {
    if (text == QLatin1String("viewer"))
        return Role::Viewer;
    if (text == QLatin1String("operator"))
        return Role::Operator;
    if (text == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

bool allows(Role held, Role needed) {
    return static_cast<int>(held) >= static_cast<int>(needed);
}

QByteArray signToken(const TokenClaims& claims, const QByteArray& secret) {
    const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");
    QJsonObject payload{
        {QStringLiteral("sub"), claims.subject},  {QStringLiteral("role"), toString(claims.role)},
        {QStringLiteral("iat"), claims.issuedAt}, {QStringLiteral("exp"), claims.expiresAt},
        {QStringLiteral("jti"), claims.id},
    };
    if (claims.notBefore != 0)
        payload.insert(QStringLiteral("nbf"), claims.notBefore);
    if (!claims.name.isEmpty())
        payload.insert(QStringLiteral("name"), claims.name);
    const QByteArray signingInput =
        header.toBase64(kB64) + '.' + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kB64);
    return signingInput + '.' + hmacSha256(secret, signingInput).toBase64(kB64);
}

VerifyResult verifyToken(const QByteArray& token, const QByteArray& secret, qint64 nowSeconds,
                         qint64 leewaySeconds) {
    const auto parts = token.split('.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return fail(TokenError::Malformed, QStringLiteral("token is not three base64url parts"));

    const auto header = decodeObject(parts[0]);
    if (!header)
        return fail(TokenError::Malformed, QStringLiteral("token header is not a JSON object"));
    // Only HS256: "none" and every other algorithm are refused before looking at the signature.
    const auto alg = header->value(QStringLiteral("alg"));
    if (!alg.isString() || alg.toString() != QLatin1String("HS256"))
        return fail(TokenError::UnsupportedAlgorithm, QStringLiteral("token algorithm is not HS256"));

    // Compare the encoded text, not decoded bytes: base64url has spare bits in its last
    // character, so decoding would accept several spellings of one signature.
    const QByteArray mac = hmacSha256(secret, parts[0] + '.' + parts[1]);
    const QByteArray expected = mac.toBase64(kB64);
    const QByteArray& signature = parts[2];
    // Lengths are public (43 characters); CRYPTO_memcmp keeps the byte comparison constant time.
    if (mac.isEmpty() || signature.size() != expected.size() ||
        CRYPTO_memcmp(signature.constData(), expected.constData(), static_cast<size_t>(expected.size())) != 0)
        return fail(TokenError::BadSignature, QStringLiteral("token signature does not match"));

    const auto payload = decodeObject(parts[1]);
    if (!payload)
        return fail(TokenError::Malformed, QStringLiteral("token payload is not a JSON object"));

    TokenClaims claims;
    const auto exp = intClaim(*payload, QStringLiteral("exp"));
    const auto iat = intClaim(*payload, QStringLiteral("iat"));
    const auto sub = payload->value(QStringLiteral("sub"));
    const auto role = payload->value(QStringLiteral("role"));
    const auto jti = payload->value(QStringLiteral("jti"));
    if (!exp)
        return fail(TokenError::MissingClaim, QStringLiteral("token has no valid exp claim"));
    if (!iat)
        return fail(TokenError::MissingClaim, QStringLiteral("token has no valid iat claim"));
    if (!sub.isString() || sub.toString().isEmpty())
        return fail(TokenError::MissingClaim, QStringLiteral("token has no sub claim"));
    if (!jti.isString() || jti.toString().isEmpty())
        return fail(TokenError::MissingClaim, QStringLiteral("token has no jti claim"));
    const auto parsedRole = role.isString() ? roleFromString(role.toString()) : std::nullopt;
    if (!parsedRole)
        return fail(TokenError::MissingClaim, QStringLiteral("token has no valid role claim"));
    if (payload->contains(QStringLiteral("nbf"))) {
        const auto nbf = intClaim(*payload, QStringLiteral("nbf"));
        if (!nbf)
            return fail(TokenError::Malformed, QStringLiteral("token nbf claim is not a number"));
        claims.notBefore = *nbf;
    }
    const auto name = payload->value(QStringLiteral("name"));
    if (name.isString())
        claims.name = name.toString();

    if (nowSeconds >= *exp + leewaySeconds)
        return fail(TokenError::Expired, QStringLiteral("token expired"));
    if (claims.notBefore != 0 && nowSeconds + leewaySeconds < claims.notBefore)
        return fail(TokenError::NotYetValid, QStringLiteral("token is not valid yet"));

    claims.subject = sub.toString();
    claims.role = *parsedRole;
    claims.issuedAt = *iat;
    claims.expiresAt = *exp;
    claims.id = jti.toString();
    return VerifyResult{claims, TokenError::Malformed, QString()};
}

QString newTokenId() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        qFatal("RAND_bytes failed: no secure randomness for token ids");
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(bytes), sizeof bytes).toHex());
}

} // namespace signalbox::api
