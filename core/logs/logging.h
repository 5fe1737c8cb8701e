#pragma once
// Process-wide logging through spdlog: a JSON-lines file in DATA_DIR/logs (rotated),
// a console sink on stderr filtered by level, and a ring buffer (LogBuffer) that a
// GUI log view can read and watch. Qt's own messages are routed into the same logger.
// Callers outside core/ use the Qt-typed helpers below and never include spdlog.

#include <QString>
#include <optional>

namespace signalbox::logs {

enum class Level { Trace, Debug, Info, Warn, Error, Off };

// "trace|debug|info|warn|error|off" (also "warning"); nullopt for anything else.
std::optional<Level> levelFromString(const QString& text);
QString toString(Level level);

struct LoggingOptions {
    QString logDir; // empty = no file sink
    QString fileName = QStringLiteral("signalbox.log");
    Level fileLevel = Level::Info;
    Level consoleLevel = Level::Warn; // stderr
    QString consolePrefix;            // e.g. "signalbox-cli" -> "signalbox-cli: warning: ..."
    qint64 maxFileBytes = 10 * 1024 * 1024;
    int maxFiles = 5;
    int ringCapacity = 2000;       // entries kept in logBuffer()
    bool captureQtMessages = true; // qInstallMessageHandler -> spdlog
};

// Replaces the default spdlog logger. Returns false with *error (one line) when the
// log file cannot be opened; console and ring sinks are still installed then.
bool initLogging(const LoggingOptions& options, QString* error = nullptr);
// Flushes and drops the sinks (restores the Qt message handler).
void shutdownLogging();
// Changes the console level at run time.
void setConsoleLevel(Level level);
// Path of the current log file, empty when there is none.
QString logFilePath();

void log(Level level, const QString& message);
inline void trace(const QString& message) {
    log(Level::Trace, message);
}
inline void debug(const QString& message) {
    log(Level::Debug, message);
}
inline void info(const QString& message) {
    log(Level::Info, message);
}
inline void warn(const QString& message) {
    log(Level::Warn, message);
}
inline void error(const QString& message) {
    log(Level::Error, message);
}

// JSON string escaping used by the file format (exposed for tests).
QByteArray jsonEscape(const QByteArray& utf8);

} // namespace signalbox::logs
