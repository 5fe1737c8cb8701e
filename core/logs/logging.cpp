#include "logs/logging.h"

#include "logs/log_buffer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <chrono>
#include <memory>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace signalbox::logs {
namespace {

spdlog::level::level_enum toSpd(Level level) {
    switch (level) {
    case Level::Trace:
        return spdlog::level::trace;
    case Level::Debug:
        return spdlog::level::debug;
    case Level::Info:
        return spdlog::level::info;
    case Level::Warn:
        return spdlog::level::warn;
    case Level::Error:
        return spdlog::level::err;
    case Level::Off:
        return spdlog::level::off;
    }
    return spdlog::level::info;
}

Level fromSpd(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::trace:
        return Level::Trace;
    case spdlog::level::debug:
        return Level::Debug;
    case spdlog::level::info:
        return Level::Info;
    case spdlog::level::warn:
        return Level::Warn;
    case spdlog::level::err:
    case spdlog::level::critical:
        return Level::Error;
    default:
        return Level::Off;
    }
}

const char* levelName(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::trace:
        return "trace";
    case spdlog::level::debug:
        return "debug";
    case spdlog::level::info:
        return "info";
    case spdlog::level::warn:
        return "warn";
    case spdlog::level::err:
        return "error";
    case spdlog::level::critical:
        return "critical";
    default:
        return "off";
    }
}

// One JSON object per line: {"ts","level","logger","pid","thread","msg"}.
class JsonLineFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const qint64 ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
        const QByteArray ts =
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        QByteArray line;
        line.reserve(int(msg.payload.size()) + 128);
        line += "{\"ts\":\"";
        line += ts;
        line += "\",\"level\":\"";
        line += levelName(msg.level);
        line += "\",\"logger\":\"";
        line += jsonEscape(QByteArray(msg.logger_name.data(), qsizetype(msg.logger_name.size())));
        line += "\",\"pid\":";
        line += QByteArray::number(qint64(::getpid()));
        line += ",\"thread\":";
        line += QByteArray::number(quint64(msg.thread_id));
        line += ",\"msg\":\"";
        line += jsonEscape(QByteArray(msg.payload.data(), qsizetype(msg.payload.size())));
        line += "\"}\n";
        dest.append(line.constData(), line.constData() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonLineFormatter>();
    }
};

// Feeds LogBuffer::instance(); LogBuffer has its own lock, so the sink needs none
// (and a slot that logs again cannot deadlock on the sink).
class RingSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const qint64 ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
        LogBuffer::instance().append(
            fromSpd(msg.level), QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size())),
            QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size())), ms);
    }
    void flush_() override {}
};

struct State {
    QMutex mutex;
    std::shared_ptr<spdlog::sinks::sink> console;
    QString filePath;
    QtMessageHandler previousHandler = nullptr;
    bool handlerInstalled = false;
};

State& state() {
    static State s;
    return s;
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    Q_UNUSED(context)
    Level level = Level::Debug;
    switch (type) {
    case QtDebugMsg:
        level = Level::Debug;
        break;
    case QtInfoMsg:
        level = Level::Info;
        break;
    case QtWarningMsg:
        level = Level::Warn;
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        level = Level::Error;
        break;
    }
    log(level, QStringLiteral("[qt] ") + message);
    if (type == QtFatalMsg)
        spdlog::default_logger()->flush();
}

void updateLoggerLevel() {
    auto logger = spdlog::default_logger();
    auto lowest = spdlog::level::off;
    for (const auto& sink : logger->sinks())
        lowest = std::min(lowest, sink->level());
    logger->set_level(lowest);
}

} // namespace

std::optional<Level> levelFromString(const QString& text) {
    const QString t = text.trimmed().toLower();
    if (t == u"trace")
        return Level::Trace;
    if (t == u"debug")
        return Level::Debug;
    if (t == u"info")
        return Level::Info;
    if (t == u"warn" || t == u"warning")
        return Level::Warn;
    if (t == u"error")
        return Level::Error;
    if (t == u"off")
        return Level::Off;
    return std::nullopt;
}

QString toString(Level level) {
    switch (level) {
    case Level::Trace:
        return QStringLiteral("trace");
    case Level::Debug:
        return QStringLiteral("debug");
    case Level::Info:
        return QStringLiteral("info");
    case Level::Warn:
        return QStringLiteral("warn");
    case Level::Error:
        return QStringLiteral("error");
    case Level::Off:
        return QStringLiteral("off");
    }
    return {};
}

QByteArray jsonEscape(const QByteArray& utf8) {
    QByteArray out;
    out.reserve(utf8.size() + 8);
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    return out;
}

bool initLogging(const LoggingOptions& options, QString* error) {
    State& s = state();
    QMutexLocker locker(&s.mutex);
    std::vector<spdlog::sink_ptr> sinks;

    auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    const QByteArray prefix =
        options.consolePrefix.isEmpty() ? QByteArray() : options.consolePrefix.toUtf8() + ": ";
    console->set_pattern(std::string(prefix.constData()) + "%l: %v");
    console->set_level(toSpd(options.consoleLevel));
    sinks.push_back(console);
    s.console = console;

    auto ring = std::make_shared<RingSink>();
    ring->set_level(spdlog::level::trace);
    LogBuffer::instance().setCapacity(options.ringCapacity);
    sinks.push_back(ring);

    bool ok = true;
    s.filePath.clear();
    if (!options.logDir.isEmpty()) {
        const QString path = QDir(options.logDir).absoluteFilePath(options.fileName);
        try {
            if (!QDir().mkpath(options.logDir))
                throw spdlog::spdlog_ex("cannot create folder");
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                QFile::encodeName(path).toStdString(), std::size_t(options.maxFileBytes),
                std::size_t(options.maxFiles));
            file->set_formatter(std::make_unique<JsonLineFormatter>());
            file->set_level(toSpd(options.fileLevel));
            sinks.push_back(file);
            s.filePath = path;
        } catch (const std::exception& e) {
            ok = false;
            if (error)
                *error =
                    QStringLiteral("cannot open log file %1: %2").arg(path, QString::fromLocal8Bit(e.what()));
        }
    }

    auto logger = std::make_shared<spdlog::logger>("signalbox", sinks.begin(), sinks.end());
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    updateLoggerLevel();

    if (options.captureQtMessages && !s.handlerInstalled) {
        s.previousHandler = qInstallMessageHandler(qtMessageHandler);
        s.handlerInstalled = true;
    }
    return ok;
}

void shutdownLogging() {
    State& s = state();
    QMutexLocker locker(&s.mutex);
    if (s.handlerInstalled) {
        qInstallMessageHandler(s.previousHandler);
        s.handlerInstalled = false;
    }
    if (auto logger = spdlog::default_logger())
        logger->flush();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("signalbox"));
    s.console.reset();
    s.filePath.clear();
}

void setConsoleLevel(Level level) {
    State& s = state();
    QMutexLocker locker(&s.mutex);
    if (s.console) {
        s.console->set_level(toSpd(level));
        updateLoggerLevel();
    }
}

QString logFilePath() {
    State& s = state();
    QMutexLocker locker(&s.mutex);
    return s.filePath;
}

void log(Level level, const QString& message) {
    if (level == Level::Off)
        return;
    auto logger = spdlog::default_logger_raw();
    const auto spd = toSpd(level);
    if (!logger || !logger->should_log(spd))
        return;
    const QByteArray utf8 = message.toUtf8();
    logger->log(spd, spdlog::string_view_t(utf8.constData(), std::size_t(utf8.size())));
}

} // namespace signalbox::logs
