#include "demo/demo_data.h"

#include "demo/demo_generator.h"
#include "dlq/dlq_settings.h"
#include "domain/clock.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace signalbox::demo {

namespace detail {

bool Generator::writeCatalog(QString* error) {
    for (int i = 0; i < demoRepos().size(); ++i) {
        const DemoRepo& repo = demoRepos().at(i);
        // Real folders, so "open repo folder" and re-running a demo run work.
        QDir().mkpath(repoPath(i));
        if (!m_store.upsertCatalogRepo({repo.name, repoPath(i), repo.tags, repo.role, repo.description},
                                       error))
            return false;
    }
    QDir().mkpath(m_dataDir + QStringLiteral("/demo-workflows"));
    for (int w = 0; w < demoWorkflows().size(); ++w) {
        QStringList names;
        QStringList paths;
        for (int i = 0; i < demoRepos().size(); ++i) {
            names.append(demoRepos().at(i).name);
            paths.append(repoPath(i));
        }
        QFile file(workflowPath(w));
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(workflowYaml(demoWorkflows().at(w), names, paths)) < 0) {
            if (error)
                *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
    }
    return true;
}

bool Generator::writeSettings(QString* error) {
    // The demo's pending entries point at demo folders: the automatic processor stays off
    // so opening the demo never starts retrying them behind the user's back.
    dlq::DlqSettings settings;
    settings.maxSize = dlq::DlqSettings::kMaxMaxSize;
    settings.processorEnabled = false;
    return m_store.setSetting(QStringLiteral("dlq"),
                              QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact), error);
}

} // namespace detail

bool generate(const QString& dataDir, const DemoSize& size, QString* error) {
    if (!QDir().mkpath(dataDir)) {
        if (error)
            *error = QStringLiteral("cannot create the data dir %1").arg(dataDir);
        return false;
    }
    std::unique_ptr<store::Store> store = store::Store::open(dataDir, error);
    if (!store)
        return false;
    store::RunFilter any;
    any.limit = 1;
    if (!store->runs(any).isEmpty() || store->dlqStats().size > 0) {
        if (error)
            *error = QStringLiteral("%1 already holds runs: demo data goes into a new data dir").arg(dataDir);
        return false;
    }
    detail::Generator generator(*store, QDir(dataDir).absolutePath(), size, Clock::instance().nowMs());
    if (!generator.writeCatalog(error) || !generator.writeSettings(error))
        return false;
    generator.writeRuns();
    generator.writeDeadLetters();
    store->sync();
    if (store->failedWrites() > 0) {
        if (error)
            *error = QStringLiteral("demo data incomplete: %1").arg(store->lastWriteError());
        return false;
    }
    return true;
}

} // namespace signalbox::demo
