#pragma once
// A real LocalBackend on a temporary data dir, for GUI and model tests: real SQLite,
// real child processes (the local pool), the engine on the backend's own thread.

#include "backend/local_backend.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace signalbox::test {

class ConsoleFixture {
public:
    ConsoleFixture();
    ~ConsoleFixture();

    // Creates the backend on a fresh data dir (local pool with `capacity` workers) and
    // waits (up to 60 s, on the state signal) until it is Ready. False + QTest failure
    // message via *error otherwise.
    bool open(int capacity = 4, QString* error = nullptr);
    ui::LocalBackend& backend() { return *m_backend; }
    QString dataDir() const;

    // A directory under the fixture's temp dir (created), e.g. a repo for for_each.
    QString makeDir(const QString& relative);
    // Writes a file under the temp dir and returns its absolute path.
    QString writeFile(const QString& relative, const QByteArray& content);
    // A workflow file with one task `check` over repos `names` (created as dirs) that
    // runs `sh -c SCRIPT` in each; returns its path. SCRIPT may test $SIGNALBOX_REPO_NAME.
    QString writeFanOutWorkflow(const QString& name, const QStringList& repoNames, const QString& script);

    // Launches a workflow file through the backend and waits (60 s) for the run to
    // finish; returns the run id (empty on failure, with *error).
    QString runToEnd(const QString& workflowPath, QString* error = nullptr);

    // The answer to one command (commandFinished, or failed() as a failed result); a
    // failed result naming the wait when none comes within 60 s.
    static ui::CommandResult waitForCommand(ui::Backend& backend, ui::Ticket ticket);

    // Test data shipped in tests/data.
    static QString testData(const QString& relative);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ui::LocalBackend> m_backend;
};

} // namespace signalbox::test
