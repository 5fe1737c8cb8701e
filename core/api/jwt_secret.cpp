#include "api/jwt_secret.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <openssl/rand.h>

namespace signalbox::api {

namespace {

constexpr qsizetype kMinSecretBytes = 32;
constexpr int kGeneratedBytes = 48;

std::optional<QByteArray> failWith(QString* error, const QString& message) {
    if (error)
        *error = message;
    return std::nullopt;
}

std::optional<QByteArray> checkLength(const QByteArray& secret, const QString& where, QString* error) {
    if (secret.size() < kMinSecretBytes)
        return failWith(error, QStringLiteral("JWT secret in %1 is %2 bytes; at least %3 are required")
                                   .arg(where)
                                   .arg(secret.size())
                                   .arg(kMinSecretBytes));
    return secret;
}

std::optional<QByteArray> readSecretFile(const QString& path, QString* error) {
    // Resolve symlinks so errors and reads refer to the real file.
    const QString real = QFileInfo(path).canonicalFilePath();
    if (real.isEmpty())
        return failWith(error, QStringLiteral("JWT secret file %1 does not exist").arg(path));
    QFile file(real);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(error,
                        QStringLiteral("cannot read JWT secret file %1: %2").arg(real, file.errorString()));
    QByteArray secret = file.readAll();
    // Editors and `echo` add a newline that is not meant to be part of the secret.
    if (secret.endsWith('\n'))
        secret.chop(1);
    if (secret.endsWith('\r'))
        secret.chop(1);
    return checkLength(secret, real, error);
}

std::optional<QByteArray> generateSecret(const QString& path, QString* error) {
    unsigned char bytes[kGeneratedBytes];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return failWith(error, QStringLiteral("cannot generate a JWT secret: no secure randomness"));
    const QByteArray secret = QByteArray(reinterpret_cast<const char*>(bytes), sizeof bytes).toHex();
    QSaveFile file(path);
    // Permissions are set on the temp file before commit so the secret is never readable by others.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(secret + '\n') != secret.size() + 1 || !file.commit())
        return failWith(error,
                        QStringLiteral("cannot write JWT secret file %1: %2").arg(path, file.errorString()));
    // Set again on the final name: the rename keeps the mode, but be explicit about the contract.
    if (!QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return failWith(error, QStringLiteral("cannot restrict JWT secret file %1 to mode 0600").arg(path));
    return secret;
}

} // namespace

std::optional<QByteArray> loadJwtSecret(const QString& secretFile, const QByteArray& envValue,
                                        const QString& dataDir, QString* error) {
    if (!secretFile.isEmpty())
        return readSecretFile(secretFile, error);
    if (!envValue.isEmpty())
        return checkLength(envValue, QStringLiteral("SIGNALBOX_JWT_SECRET"), error);

    const QString path = QDir(dataDir).filePath(QStringLiteral("jwt.secret"));
    const QFileInfo info(path);
    if (!info.exists())
        return generateSecret(path, error);
    constexpr auto groupOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (info.permissions() & groupOther) {
        // Print the Unix mode (octal) from Qt's permission flags.
        const auto p = info.permissions();
        const int mode = ((p & QFileDevice::ReadOwner) ? 0400 : 0) |
                         ((p & QFileDevice::WriteOwner) ? 0200 : 0) |
                         ((p & QFileDevice::ExeOwner) ? 0100 : 0) | ((p & QFileDevice::ReadGroup) ? 040 : 0) |
                         ((p & QFileDevice::WriteGroup) ? 020 : 0) | ((p & QFileDevice::ExeGroup) ? 010 : 0) |
                         ((p & QFileDevice::ReadOther) ? 04 : 0) | ((p & QFileDevice::WriteOther) ? 02 : 0) |
                         ((p & QFileDevice::ExeOther) ? 01 : 0);
        return failWith(error,
                        QStringLiteral("JWT secret file %1 has mode %2; it must be 0600 (chmod 600 it)")
                            .arg(path, QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'))));
    }
    return readSecretFile(path, error);
}

} // namespace signalbox::api
