#pragma once
// Where the server's JWT signing secret comes from (spec: api.md "Transport and start-up").

#include <QByteArray>
#include <QString>
#include <optional>

namespace signalbox::api {

// Precedence: secretFile (--jwt-secret-file) > envValue (SIGNALBOX_JWT_SECRET) > dataDir/jwt.secret.
// With neither given, dataDir/jwt.secret is generated on first call (48 random bytes written as
// 96 hex characters, so it can be pasted/inspected safely), mode 0600, and reused afterwards.
// Any secret shorter than 32 bytes, or a generated-file location with group/other permissions,
// is refused with a one-line *error. There is no default secret.
std::optional<QByteArray> loadJwtSecret(const QString& secretFile, const QByteArray& envValue,
                                        const QString& dataDir, QString* error);

} // namespace signalbox::api
