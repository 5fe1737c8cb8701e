#include "console_fixture.h"

#include "support_paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtTest>
#include <optional>

namespace signalbox::test {

namespace {

constexpr int kWaitMs = 60000;

void setError(QString* error, const QString& message) {
    if (error)
        *error = message;
}

// A YAML double-quoted scalar (JSON string syntax is valid YAML).
QByteArray yamlString(const QString& text) {
    QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

} // namespace

ConsoleFixture::ConsoleFixture() = default;

ConsoleFixture::~ConsoleFixture() {
    m_backend.reset(); // before the temp dir goes: the engine drains into it
}

QString ConsoleFixture::dataDir() const {
    return QDir(m_dir.path()).absoluteFilePath(QStringLiteral("data"));
}

bool ConsoleFixture::open(int capacity, QString* error) {
    if (!m_dir.isValid()) {
        setError(error, QStringLiteral("cannot create a temporary dir"));
        return false;
    }
    m_backend.reset(); // a second open() starts over: the old engine gives the lock back first
    ui::LocalBackend::Options options;
    options.dataDir = dataDir();
    options.localCapacity = capacity;
    m_backend = std::make_unique<ui::LocalBackend>(options);
    QString message;
    bool done = false;
    QObject::connect(m_backend.get(), &ui::Backend::stateChanged, m_backend.get(),
                     [&](ui::Backend::State state, const QString& text) {
                         message = text;
                         done = state == ui::Backend::State::Ready || state == ui::Backend::State::Failed;
                     });
    m_backend->open();
    if (!QTest::qWaitFor([&] { return done; }, kWaitMs)) {
        setError(error, QStringLiteral("the backend did not open within 30 s"));
        return false;
    }
    if (m_backend->state() != ui::Backend::State::Ready) {
        setError(error, QStringLiteral("the backend failed to open: %1").arg(message));
        return false;
    }
    return true;
}

QString ConsoleFixture::makeDir(const QString& relative) {
    const QString path = QDir(m_dir.path()).absoluteFilePath(relative);
    QDir().mkpath(path);
    return path;
}

QString ConsoleFixture::writeFile(const QString& relative, const QByteArray& content) {
    return test::writeFile(m_dir.path(), relative, content);
}

QString ConsoleFixture::writeFanOutWorkflow(const QString& name, const QStringList& repoNames,
                                            const QString& script) {
    QByteArray yaml = "version: 1\nname: " + name.toUtf8() + "\nrepos:\n";
    for (const QString& repo : repoNames) {
        makeDir(QStringLiteral("repos/") + repo);
        yaml += "  - path: ./repos/" + repo.toUtf8() + "\n";
    }
    yaml += "tasks:\n"
            "  - id: check\n"
            "    for_each: repos\n"
            "    env: {SIGNALBOX_REPO_NAME: \"{{repo.name}}\"}\n"
            "    run: [\"sh\", \"-c\", " +
            yamlString(script) + "]\n";
    return writeFile(name + QStringLiteral(".yaml"), yaml);
}

QString ConsoleFixture::runToEnd(const QString& workflowPath, QString* error) {
    if (!m_backend) {
        setError(error, QStringLiteral("the fixture is not open"));
        return {};
    }
    ui::Backend& backend = *m_backend;
    QObject context;
    ui::Ticket launchTicket = 0;
    ui::Ticket runTicket = 0;
    QString runId;
    QString failure;
    bool finished = false;
    auto askRun = [&] {
        if (!runId.isEmpty())
            runTicket = backend.fetchRun(runId);
    };
    QObject::connect(&backend, &ui::Backend::commandFinished, &context,
                     [&](ui::Ticket ticket, const ui::CommandResult& result) {
                         if (ticket != launchTicket)
                             return;
                         if (!result.ok) {
                             failure = QStringLiteral("launch failed: %1").arg(result.message);
                             return;
                         }
                         runId = result.id;
                         askRun();
                     });
    QObject::connect(&backend, &ui::Backend::failed, &context,
                     [&](ui::Ticket ticket, const QString& message) {
                         if (ticket == launchTicket || ticket == runTicket)
                             failure = message;
                     });
    QObject::connect(&backend, &ui::Backend::runChanged, &context, [&](const QString& changed) {
        if (changed == runId)
            askRun();
    });
    QObject::connect(&backend, &ui::Backend::runFetched, &context,
                     [&](ui::Ticket ticket, const ui::RunDetail& detail) {
                         if (ticket == runTicket && isTerminal(detail.run.status))
                             finished = true;
                     });
    engine::RunRequest request;
    request.workflowPath = workflowPath;
    launchTicket = backend.launchRun(request);
    if (!QTest::qWaitFor([&] { return finished || !failure.isEmpty(); }, kWaitMs)) {
        setError(error, QStringLiteral("run %1 did not finish within 30 s").arg(runId));
        return {};
    }
    if (!failure.isEmpty()) {
        setError(error, failure);
        return {};
    }
    return runId;
}

QString ConsoleFixture::testData(const QString& relative) {
    return dataPath(relative);
}

ui::CommandResult ConsoleFixture::waitForCommand(ui::Backend& backend, ui::Ticket ticket) {
    std::optional<ui::CommandResult> answer;
    QObject context;
    QObject::connect(&backend, &ui::Backend::commandFinished, &context,
                     [&](ui::Ticket answered, const ui::CommandResult& result) {
                         if (answered == ticket)
                             answer = result;
                     });
    QObject::connect(&backend, &ui::Backend::failed, &context, [&](ui::Ticket answered, const QString& message) {
        if (answered == ticket)
            answer = ui::CommandResult{false, message, {}, {}};
    });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, kWaitMs))
        return ui::CommandResult{false, QStringLiteral("no answer within %1 s").arg(kWaitMs / 1000), {}, {}};
    return *answer;
}

} // namespace signalbox::test
