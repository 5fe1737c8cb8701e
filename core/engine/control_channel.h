#pragma once
// Lets other processes act through the engine that holds a data dir's lock.
// The lock holder runs a ControlServer on a local socket (DATA_DIR/engine.sock, or
// a hashed name in the temp folder when that path is too long for a socket);
// anyone else uses ControlClient. Protocol: one JSON object per line each way;
// every request has "cmd" (e.g. {"cmd":"cancel","run":"r_..."}), every reply has
// "ok" (true, or false with "error": one line). Access is guarded by filesystem
// permissions only: the socket is created user-only (0600) in the data dir.
// Commands (answered by an EngineSession: the CLI's EngineHost or the console):
// "ping" ({"pid","role":"foreground"|"executor"|"console","active":[...]}), "cancel" RUN,
// "start" RUN (a queued run recorded by another process), "resume" RUN. A foreground
// holder answers start/resume with {"ok":false,"busy":true}; an executor that is exiting
// with {"ok":false,"closing":true}. A console takes runs and jobs like an executor.
// Dead letter commands (answered by executors, `dlq process` and the console; a
// foreground holder is busy): "dlq_job" JOB (run a job created by another process),
// "dlq_job_pause", "dlq_job_resume", "dlq_job_cancel" JOB, "dlq_settings",
// "dlq_enqueue", "dlq_edit";
// each may carry "actor" for the audit journal.

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

class QLocalServer;
class QLocalSocket;

namespace signalbox::engine {

// The socket path for a data dir (same answer in every process).
QString controlSocketPath(const QString& dataDir);

class ControlServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlServer)
public:
    // Returns the reply for one request; "ok" is added as true when missing.
    using Handler = std::function<QJsonObject(const QJsonObject& request)>;

    explicit ControlServer(QObject* parent = nullptr);
    ~ControlServer() override;

    // Only the lock holder may call this: a leftover socket file is removed first.
    bool listen(const QString& dataDir, QString* error);
    void close();
    bool isListening() const;
    QString socketPath() const;

    void setHandler(Handler handler);

Q_SIGNALS:
    void requestReceived(const QJsonObject& request);

private:
    void handleNewConnection();
    void handleReadyRead(QLocalSocket* socket);

    QLocalServer* m_server = nullptr;
    Handler m_handler;
};

class ControlClient final {
public:
    // Sends one request to the engine of dataDir and waits up to timeoutMs for the
    // reply. nullopt with *error when nobody listens, the peer hung up or timed out.
    static std::optional<QJsonObject> request(const QString& dataDir, const QJsonObject& request,
                                              int timeoutMs, QString* error);
};

} // namespace signalbox::engine
