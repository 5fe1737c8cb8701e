#pragma once
// HS256 JSON Web Tokens for the server API (spec: api.md "Authentication and roles").

#include <QByteArray>
#include <QString>
#include <optional>

namespace signalbox::api {

enum class Role { Viewer, Operator, Admin };

QString toString(Role role);
std::optional<Role> roleFromString(const QString& text);
// True when a token holding `held` may do what needs `needed` (admin > operator > viewer).
bool allows(Role held, Role needed);

struct TokenClaims {
    QString subject; // sub
    Role role = Role::Viewer;
    qint64 issuedAt = 0;  // iat, Unix seconds
    qint64 notBefore = 0; // nbf; 0 = not set
    qint64 expiresAt = 0; // exp
    QString id;           // jti, random 128-bit hex
    QString name;         // optional display name ("name")
};

// Compact JWS, header {"alg":"HS256","typ":"JWT"}, base64url without padding.
QByteArray signToken(const TokenClaims& claims, const QByteArray& secret);

enum class TokenError { Malformed, UnsupportedAlgorithm, BadSignature, Expired, NotYetValid, MissingClaim };

struct VerifyResult {
    std::optional<TokenClaims> claims; // set only on success
    TokenError error = TokenError::Malformed;
    QString message; // one line, empty on success
};

// Never throws; any input that is not a valid token yields an error.
VerifyResult verifyToken(const QByteArray& token, const QByteArray& secret, qint64 nowSeconds,
                         qint64 leewaySeconds = 0);

// 128 random bits as 32 lowercase hex characters.
QString newTokenId();

} // namespace signalbox::api
