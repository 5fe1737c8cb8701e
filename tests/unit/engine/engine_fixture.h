#pragma once
// A data dir, a real Store and an Engine for engine tests, plus helpers to write
// workflows and repos in a temporary folder and to run a workflow to its end.

#include "engine/engine.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace signalbox::engine::testing {

class EngineFixture {
public:
    EngineFixture() {
        QString error;
        store = store::Store::open(dir.filePath(QStringLiteral("data")), &error);
        if (!store)
            qFatal("cannot open the store: %s", qPrintable(error));
        engine = std::make_unique<Engine>(*store);
        watch();
    }

    // Records what the engine announces.
    void watch() {
        QObject::connect(engine.get(), &Engine::runFinished, engine.get(),
                         [this](const QString& runId, RunStatus status) { finished.insert(runId, status); });
        QObject::connect(engine.get(), &Engine::logLinesAppended, engine.get(),
                         [this](const QString&, int count) { logLinesAnnounced += count; });
    }

    // Waits until runFinished announced runId.
    bool waitFinished(const QString& runId, int timeoutMs = 30000) {
        return QTest::qWaitFor([&] { return finished.contains(runId); }, timeoutMs);
    }

    // A fresh engine on the same store (the old one is destroyed first, as a process
    // restart would).
    void restartEngine() {
        engine.reset();
        engine = std::make_unique<Engine>(*store);
        watch();
    }

    QString path(const QString& relative) const { return dir.filePath(relative); }

    QString writeWorkflow(const QString& name, const QByteArray& yaml) {
        const QString file = dir.filePath(name);
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file));
        out.write(yaml);
        return file;
    }

    QString makeRepo(const QString& name) {
        const QString repo = dir.filePath(QStringLiteral("repos/") + name);
        QDir().mkpath(repo);
        return repo;
    }

    // createRun + startRun; fails the test on diagnostics.
    QString start(const RunRequest& request) {
        workflow::Diagnostics diagnostics;
        const std::optional<QString> id = engine->createRun(request, &diagnostics);
        if (!id) {
            for (const auto& diagnostic : diagnostics)
                qWarning("%s", qPrintable(diagnostic.format()));
            return {};
        }
        QString error;
        if (!engine->startRun(*id, &error)) {
            qWarning("startRun: %s", qPrintable(error));
            return {};
        }
        return *id;
    }

    QString startFile(const QString& file) {
        RunRequest request;
        request.workflowPath = file;
        return start(request);
    }

    InstanceRecord instance(const QString& runId, const QString& task, const QString& repo = {}) const {
        for (const InstanceRecord& rec : store->instances(runId)) {
            if (rec.taskId == task && rec.repo == repo)
                return rec;
        }
        return {};
    }

    QTemporaryDir dir;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Engine> engine;
    QHash<QString, RunStatus> finished;
    int logLinesAnnounced = 0;
};

} // namespace signalbox::engine::testing
