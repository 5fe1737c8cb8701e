#pragma once
// What every verb gets: the global options and the ways to talk to the user.
// stdout carries results (text or --json), stderr carries errors, warnings and
// progress. Errors are exactly one line: "signalbox-cli: error: MESSAGE".

#include "commands/exit_codes.h"
#include "domain/records.h"
#include "logs/logging.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <memory>
#include <optional>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

struct GlobalOptions {
    QString dataDir; // absolute (resolved from --data-dir, env, default)
    bool json = false;
    logs::Level logLevel = logs::Level::Warn;
    bool logLevelGiven = false;
    QString remoteUrl;
    QString token;
};

class CliContext final {
public:
    explicit CliContext(GlobalOptions options, QString programPath);

    const GlobalOptions& options() const { return m_options; }
    bool json() const { return m_options.json; }
    const QString& dataDir() const { return m_options.dataDir; }
    // Absolute path of this executable (for starting detached children).
    const QString& programPath() const { return m_programPath; }

    // Prints "signalbox-cli: error: MESSAGE" and returns code.
    int fail(int code, const QString& message) const;
    void warn(const QString& message) const;
    // A plain line on stderr (progress, notes for humans).
    void note(const QString& message) const;
    // One line on stdout.
    void print(const QString& line) const;
    // A JSON document on stdout (compact, one line).
    void printJson(const QJsonValue& value) const;
    void writeOut(const QByteArray& bytes) const;
    void flushOut() const;

    // Opens the store of the data dir; on failure prints the error and sets *exitCode (3).
    std::unique_ptr<store::Store> openStore(int* exitCode) const;
    // Opens the store and finds runId in it. An unknown run prints "unknown run 'ID'" and
    // sets *exitCode to 2; a store that cannot be opened sets 3. *run is set on success.
    std::unique_ptr<store::Store> openStoreForRun(const QString& runId, std::optional<RunRecord>* run,
                                                  int* exitCode) const;

    static QString programName(); // "signalbox-cli"

private:
    GlobalOptions m_options;
    QString m_programPath;
};

// Creates dir if needed and checks that files can be created in it; *error is one
// line naming the path.
bool prepareDataDir(const QString& dir, QString* error);
// --data-dir, else $SIGNALBOX_DATA_DIR, else the platform's app-data location for "signalbox".
QString resolveDataDir(const QString& fromOption);

} // namespace signalbox::cli
