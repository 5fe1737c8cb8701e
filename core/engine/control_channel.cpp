#include "engine/control_channel.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocalServer>
#include <QLocalSocket>

namespace signalbox::engine {
namespace {

constexpr qsizetype kMaxSocketPathBytes = 100; // sockaddr_un::sun_path is 108 bytes on Linux
constexpr qsizetype kMaxRequestBytes = 1024 * 1024;

QByteArray toLine(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject errorReply(const QString& message) {
    return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
}

} // namespace

QString controlSocketPath(const QString& dataDir) {
    const QFileInfo info(dataDir);
    const QString dir = info.exists() ? info.canonicalFilePath() : QDir(dataDir).absolutePath();
    const QString inDir = QDir(dir).absoluteFilePath(QStringLiteral("engine.sock"));
    if (QFile::encodeName(inDir).size() <= kMaxSocketPathBytes)
        return inDir;
    const QByteArray hash =
        QCryptographicHash::hash(dir.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QDir(QDir::tempPath())
        .absoluteFilePath(QStringLiteral("signalbox-%1.sock").arg(QString::fromLatin1(hash)));
}

ControlServer::ControlServer(QObject* parent)
    : QObject(parent) {}

ControlServer::~ControlServer() {
    close();
}

bool ControlServer::listen(const QString& dataDir, QString* error) {
    close();
    const QString path = controlSocketPath(dataDir);
    QLocalServer::removeServer(path);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(path)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(path, m_server->errorString());
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::handleNewConnection);
    return true;
}

void ControlServer::close() {
    if (!m_server)
        return;
    const QString path = m_server->fullServerName();
    m_server->close();
    delete m_server;
    m_server = nullptr;
    QLocalServer::removeServer(path);
}

bool ControlServer::isListening() const {
    return m_server && m_server->isListening();
}

QString ControlServer::socketPath() const {
    return m_server ? m_server->fullServerName() : QString();
}

void ControlServer::setHandler(Handler handler) {
    m_handler = std::move(handler);
}

void ControlServer::handleNewConnection() {
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { handleReadyRead(socket); });
        if (socket->bytesAvailable() > 0)
            handleReadyRead(socket);
    }
}

void ControlServer::handleReadyRead(QLocalSocket* socket) {
    while (socket->canReadLine()) {
        const QByteArray line = socket->readLine().trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        QJsonObject reply;
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            reply = errorReply(QStringLiteral("malformed request: %1").arg(parseError.errorString()));
        } else {
            const QJsonObject request = doc.object();
            Q_EMIT requestReceived(request);
            if (!m_handler)
                reply = errorReply(QStringLiteral("no handler"));
            else
                reply = m_handler(request);
            if (!reply.contains(QStringLiteral("ok")))
                reply.insert(QStringLiteral("ok"), true);
            if (request.contains(QStringLiteral("id")))
                reply.insert(QStringLiteral("id"), request.value(QStringLiteral("id")));
        }
        socket->write(toLine(reply));
        socket->flush();
    }
    if (socket->bytesAvailable() > kMaxRequestBytes) {
        socket->write(toLine(errorReply(QStringLiteral("request too long"))));
        socket->disconnectFromServer();
    }
}

std::optional<QJsonObject> ControlClient::request(const QString& dataDir, const QJsonObject& request,
                                                  int timeoutMs, QString* error) {
    const QDeadlineTimer deadline(qMax(1, timeoutMs));
    QLocalSocket socket;
    socket.connectToServer(controlSocketPath(dataDir));
    if (!socket.waitForConnected(int(qMax<qint64>(1, deadline.remainingTime())))) {
        if (error)
            *error = QStringLiteral("no engine is listening on %1 (%2)")
                         .arg(controlSocketPath(dataDir), socket.errorString());
        return std::nullopt;
    }
    socket.write(toLine(request));
    if (!socket.waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime())))) {
        if (error)
            *error = QStringLiteral("cannot send to the engine: %1").arg(socket.errorString());
        return std::nullopt;
    }
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || socket.state() != QLocalSocket::ConnectedState ||
            !socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (socket.canReadLine())
                break;
            if (error)
                *error = QStringLiteral("the engine did not answer (%1)").arg(socket.errorString());
            return std::nullopt;
        }
    }
    const QByteArray line = socket.readLine().trimmed();
    socket.disconnectFromServer();
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("malformed reply from the engine");
        return std::nullopt;
    }
    return doc.object();
}

} // namespace signalbox::engine
