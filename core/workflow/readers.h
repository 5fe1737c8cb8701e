#pragma once
// The pieces of the validator. Each reader checks one part of the file, reports into a
// Checker and fills the in-memory form; positions the later checks need travel along
// in the *Source structs.

#include "workflow/schema.h"
#include "workflow/workflow.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace signalbox::workflow::detail {

// Where the template-bearing and conditional settings of a task (or of defaults) came from.
struct SettingsSource {
    SourcePos workingDir;
    QMap<QString, SourcePos> env;   // env name -> value position
    SourcePos whereTags;
    bool whereTagsSet = false;
    bool qualitySet = false;
};

struct TaskSource {
    TaskSpec spec;
    SettingsSource settings;
    bool hasId = false;             // id was a string (maybe not a valid one)
    SourcePos idPos;
    QList<SourcePos> needsPos;      // parallel to spec.needs
    QList<SourcePos> argvPos;       // parallel to spec.argv
    SourcePos scriptPos;
    bool hasRun = false;
};

// Task-level keys that `defaults:` may also set.
const QStringList& settingsKeys();
// Every key a task may have.
const QStringList& taskKeys();

// Reads the settings keys present in map (other keys are ignored; the caller checks them).
void readSettings(Checker& checker, const YamlNode& map, TaskSettings* settings, SettingsSource* source);
// Fills what the task did not set from defaults; maps merge key by key, the task winning.
void mergeDefaults(const TaskSettings& defaults, const SettingsSource& defaultsSource, TaskSettings* task,
                   SettingsSource* taskSource);

// `repos:` in either form. baseDir is where relative paths resolve.
void readRepos(Checker& checker, const YamlNode& node, const QString& baseDir, QList<RepoSpec>* repos,
               CatalogSelection* catalog);

// One entry of `tasks:` (number is 1-based, for messages about tasks without an id).
TaskSource readTask(Checker& checker, const YamlNode& node, int number);

// needs: unknown ids (with did-you-mean), self references, duplicates, cycles.
void checkDependencies(Checker& checker, const QList<TaskSource>& tasks);

// Placeholders in run, working_dir and env values; {{repo.*}} only in fan-out tasks.
void checkTemplates(Checker& checker, const QList<TaskSource>& tasks, const QMap<QString, QString>& workflowEnv,
                    const QMap<QString, SourcePos>& workflowEnvPos, const QStringList& paramNames);

// A mapping of environment variables (names checked, scalar values kept as strings).
QMap<QString, QString> readEnv(Checker& checker, const YamlNode& node, const QString& what,
                               QMap<QString, SourcePos>* valuePos);

// The whole document.
Workflow readWorkflow(Checker& checker, const YamlNode& root, const QString& baseDir);

} // namespace signalbox::workflow::detail
