#pragma once
// The in-memory form of a workflow file (version 1, ../docs/user/workflows.md).
// Produced only by the parser, which has already validated it.

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::workflow {

struct SourcePos {
    int line = 0;   // 1-based
    int column = 0; // 1-based
};

struct RepoSpec {
    QString name;          // defaults to the last path component
    QString path;          // absolute, resolved against the workflow file's folder
    QStringList tags;
    QString role;
    SourcePos pos;
};

struct CatalogSelection {
    bool enabled = false;  // repos: {catalog: true, ...}
    QStringList tags;      // any-of
    QStringList roles;     // any-of
};

struct QualityRule {
    QString metric;
    QString category;      // security|performance|testing|architecture|code_quality|documentation
    std::optional<double> min;
    std::optional<double> max;
};

// Keys of a task that `defaults:` may also set; unset means "inherit".
struct TaskSettings {
    std::optional<QString> pool;
    std::optional<qint64> timeoutMs;
    std::optional<int> retries;
    std::optional<QString> workingDir;   // raw, may hold templates
    std::optional<QString> dlqPolicy;    // never|immediate|linear|exponential
    QMap<QString, QString> env;
    QMap<QString, QString> labels;
    QMap<QString, QString> reports;      // junit|cobertura|sarif -> path
    QList<QualityRule> quality;
    std::optional<bool> forEachRepos;    // for_each: repos
    QStringList whereTags;
};

struct TaskSpec {
    QString id;
    QStringList needs;
    bool runIsScript = false;  // string `run:` -> /bin/sh -e -c SCRIPT
    QStringList argv;          // list `run:`, raw (templates unexpanded)
    QString script;            // string `run:`, raw
    TaskSettings settings;     // already merged with `defaults:`
    SourcePos pos;

    bool forEach() const { return settings.forEachRepos.value_or(false); }
    qint64 timeoutMs() const { return settings.timeoutMs.value_or(0); } // 0 = none
    int retries() const { return settings.retries.value_or(0); }
    QString pool() const { return settings.pool.value_or(QStringLiteral("local")); }
};

struct Workflow {
    QString filePath;          // absolute path ("" when parsed from text)
    QString displayName;       // the file as diagnostics name it (what the user typed)
    QString baseDir;           // folder relative paths resolve against
    QString name;
    QString description;
    QMap<QString, QString> params;
    QList<RepoSpec> repos;
    CatalogSelection catalog;
    int maxConcurrent = 0;     // 0 = unlimited
    QMap<QString, QString> env;
    QList<TaskSpec> tasks;     // in file order
    std::optional<double> qualityGate;

    const TaskSpec* task(const QString& id) const;
};

} // namespace signalbox::workflow
