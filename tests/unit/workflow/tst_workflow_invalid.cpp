// Every file in tests/data/workflow/invalid must produce exactly the listed diagnostics
// (message, line and column), in file order.
#include "workflow/parser.h"

#include <QDir>
#include <QSet>
#include <QtTest>

using namespace Qt::StringLiterals;
using signalbox::workflow::Diagnostics;
using signalbox::workflow::parseWorkflowFile;
using signalbox::workflow::parseWorkflowText;

namespace {

QString invalidDir() {
    return QDir(qEnvironmentVariable("SIGNALBOX_TEST_DATA")).absoluteFilePath(u"workflow/invalid"_s);
}

QStringList formatted(const Diagnostics& diagnostics) {
    QStringList lines;
    for (const auto& d : diagnostics)
        lines.append(d.format());
    return lines;
}

} // namespace

class TestWorkflowInvalid final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void invalidFile_data();
    void invalidFile();
    void everyFixtureHasExpectations();
    void missingFile();
    void directoryIsNotAFile();
    void syntaxErrorFromText();
    void formatWithoutLine();

private:
    QSet<QString> m_covered;
};

void TestWorkflowInvalid::initTestCase() {
    QVERIFY2(!qEnvironmentVariable("SIGNALBOX_TEST_DATA").isEmpty(), "SIGNALBOX_TEST_DATA is not set");
    QVERIFY(QDir(invalidDir()).exists());
}

void TestWorkflowInvalid::invalidFile_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("bad_durations") << u"bad_durations.yaml"_s << QStringList{
        u"bad_durations.yaml:5:14: error: invalid duration '10' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"bad_durations.yaml:8:14: error: invalid duration '5min' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"bad_durations.yaml:11:14: error: invalid duration '1.5h' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"bad_durations.yaml:14:14: error: invalid duration '0s' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"bad_durations.yaml:17:14: error: invalid duration '2d' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"bad_durations.yaml:20:14: error: 'timeout' must be a string, got a list"_s};
    QTest::newRow("bad_name_pattern") << u"bad_name_pattern.yaml"_s << QStringList{
        u"bad_name_pattern.yaml:1:7: error: invalid workflow name 'my flow!' (use 1 to 64 of A-Z, a-z, 0-9, _, . and -)"_s};
    QTest::newRow("bad_task_ids") << u"bad_task_ids.yaml"_s << QStringList{
        u"bad_task_ids.yaml:3:9: error: invalid task id 'Lint' (use 1 to 64 of a-z, 0-9, _ and -)"_s,
        u"bad_task_ids.yaml:5:9: error: invalid task id 'run tests' (use 1 to 64 of a-z, 0-9, _ and -)"_s,
        u"bad_task_ids.yaml:7:9: error: invalid task id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' (use 1 to 64 of a-z, 0-9, _ and -)"_s};
    QTest::newRow("bad_version") << u"bad_version.yaml"_s << QStringList{
        u"bad_version.yaml:1:10: error: unsupported version '2' (only version 1 is supported)"_s};
    QTest::newRow("comments_only") << u"comments_only.yaml"_s << QStringList{
        u"comments_only.yaml: error: workflow file is empty"_s};
    QTest::newRow("defaults_invalid") << u"defaults_invalid.yaml"_s << QStringList{
        u"defaults_invalid.yaml:3:3: error: 'id' cannot be set in defaults"_s,
        u"defaults_invalid.yaml:4:3: error: 'run' cannot be set in defaults"_s,
        u"defaults_invalid.yaml:5:3: error: 'needs' cannot be set in defaults"_s,
        u"defaults_invalid.yaml:6:12: error: invalid duration 'forever' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"defaults_invalid.yaml:7:3: error: unknown key 'retry'"_s};
    QTest::newRow("defaults_not_mapping") << u"defaults_not_mapping.yaml"_s << QStringList{
        u"defaults_not_mapping.yaml:2:11: error: 'defaults' must be a mapping, got a list"_s};
    QTest::newRow("dlq_policy_invalid") << u"dlq_policy_invalid.yaml"_s << QStringList{
        u"dlq_policy_invalid.yaml:3:15: error: invalid dlq_policy 'sometimes' (expected never, immediate, linear or exponential)"_s,
        u"dlq_policy_invalid.yaml:7:17: error: invalid dlq_policy 'exponentail' (did you mean 'exponential'?)"_s};
    QTest::newRow("duplicate_keys") << u"duplicate_keys.yaml"_s << QStringList{
        u"duplicate_keys.yaml:2:1: error: duplicate key 'name'"_s,
        u"duplicate_keys.yaml:6:5: error: duplicate key 'run'"_s};
    QTest::newRow("duplicate_task_ids") << u"duplicate_task_ids.yaml"_s << QStringList{
        u"duplicate_task_ids.yaml:7:9: error: duplicate task id 'build' (first defined at line 3)"_s};
    QTest::newRow("empty") << u"empty.yaml"_s << QStringList{
        u"empty.yaml: error: workflow file is empty"_s};
    QTest::newRow("env_invalid") << u"env_invalid.yaml"_s << QStringList{
        u"env_invalid.yaml:3:3: error: invalid environment variable name 'MY-VAR'"_s,
        u"env_invalid.yaml:4:11: error: env 'NESTED' must be a string, got a mapping"_s,
        u"env_invalid.yaml:10:10: error: 'env' must be a mapping, got a list"_s,
        u"env_invalid.yaml:14:7: error: env 'EMPTY' has no value (expected a string)"_s};
    QTest::newRow("for_each_invalid") << u"for_each_invalid.yaml"_s << QStringList{
        u"for_each_invalid.yaml:4:15: error: invalid for_each 'tasks' (only 'repos' is supported)"_s,
        u"for_each_invalid.yaml:7:5: error: 'where_tags' needs for_each: repos in task 'b'"_s,
        u"for_each_invalid.yaml:11:17: error: 'where_tags' must be a list of strings, got a scalar"_s};
    QTest::newRow("many_errors") << u"many_errors.yaml"_s << QStringList{
        u"many_errors.yaml:1:10: error: unsupported version '3' (only version 1 is supported)"_s,
        u"many_errors.yaml:2:7: error: invalid workflow name 'bad name' (use 1 to 64 of A-Z, a-z, 0-9, _, . and -)"_s,
        u"many_errors.yaml:3:17: error: 'max_concurrent' must be at least 1, got -4"_s,
        u"many_errors.yaml:7:14: error: 'retries' must be between 0 and 10, got 20"_s,
        u"many_errors.yaml:9:13: error: task 'test' needs unknown task 'lnit' (did you mean 'lint'?)"_s,
        u"many_errors.yaml:10:10: error: unknown param 'x' in '{{params.x}}'"_s,
        u"many_errors.yaml:11:14: error: invalid duration '10 minutes' for 'timeout' (expected a positive number and a unit: 250ms, 30s, 10m, 2h)"_s,
        u"many_errors.yaml:12:9: error: duplicate task id 'test' (first defined at line 8)"_s,
        u"many_errors.yaml:14:1: error: unknown key 'bogus'"_s};
    QTest::newRow("max_concurrent_not_integer") << u"max_concurrent_not_integer.yaml"_s << QStringList{
        u"max_concurrent_not_integer.yaml:2:17: error: 'max_concurrent' must be an integer, got 'lots'"_s};
    QTest::newRow("max_concurrent_zero") << u"max_concurrent_zero.yaml"_s << QStringList{
        u"max_concurrent_zero.yaml:2:17: error: 'max_concurrent' must be at least 1, got 0"_s};
    QTest::newRow("missing_name_and_tasks") << u"missing_name_and_tasks.yaml"_s << QStringList{
        u"missing_name_and_tasks.yaml:1:1: error: missing required key 'name'"_s,
        u"missing_name_and_tasks.yaml:1:1: error: missing required key 'tasks'"_s};
    QTest::newRow("multiple_documents") << u"multiple_documents.yaml"_s << QStringList{
        u"multiple_documents.yaml:6:1: error: expected one YAML document, found 2"_s};
    QTest::newRow("name_empty") << u"name_empty.yaml"_s << QStringList{
        u"name_empty.yaml:1:1: error: 'name' has no value (expected a string)"_s};
    QTest::newRow("name_too_long") << u"name_too_long.yaml"_s << QStringList{
        u"name_too_long.yaml:1:7: error: invalid workflow name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn' (use 1 to 64 of A-Z, a-z, 0-9, _, . and -)"_s};
    QTest::newRow("name_wrong_type") << u"name_wrong_type.yaml"_s << QStringList{
        u"name_wrong_type.yaml:1:7: error: 'name' must be a string, got a list"_s,
        u"name_wrong_type.yaml:2:14: error: 'description' must be a string, got a mapping"_s};
    QTest::newRow("needs_cycle") << u"needs_cycle.yaml"_s << QStringList{
        u"needs_cycle.yaml:7:13: error: dependency cycle: a -> b -> a"_s};
    QTest::newRow("needs_cycle_long") << u"needs_cycle_long.yaml"_s << QStringList{
        u"needs_cycle_long.yaml:9:13: error: dependency cycle: a -> c -> b -> a"_s};
    QTest::newRow("needs_self") << u"needs_self.yaml"_s << QStringList{
        u"needs_self.yaml:4:13: error: task 'build' needs itself"_s};
    QTest::newRow("needs_unknown") << u"needs_unknown.yaml"_s << QStringList{
        u"needs_unknown.yaml:6:13: error: task 'test' needs unknown task 'lnit' (did you mean 'lint'?)"_s,
        u"needs_unknown.yaml:6:19: error: task 'test' needs unknown task 'deploy'"_s};
    QTest::newRow("needs_wrong_type") << u"needs_wrong_type.yaml"_s << QStringList{
        u"needs_wrong_type.yaml:6:12: error: 'needs' must be a list of task ids, got a mapping"_s,
        u"needs_wrong_type.yaml:9:16: error: task 'c' lists 'a' more than once in 'needs'"_s,
        u"needs_wrong_type.yaml:9:19: error: items of 'needs' must be a string, got a list"_s};
    QTest::newRow("params_invalid") << u"params_invalid.yaml"_s << QStringList{
        u"params_invalid.yaml:3:11: error: param 'branch' must be a scalar value, got a list"_s,
        u"params_invalid.yaml:4:3: error: param 'empty' has no value (use \"\" for an empty string)"_s,
        u"params_invalid.yaml:5:3: error: invalid param name '1x' (use a letter or _, then letters, digits, _ or -)"_s};
    QTest::newRow("quality_gate_not_number") << u"quality_gate_not_number.yaml"_s << QStringList{
        u"quality_gate_not_number.yaml:2:15: error: 'quality_gate' must be a number, got 'high'"_s};
    QTest::newRow("quality_gate_out_of_range") << u"quality_gate_out_of_range.yaml"_s << QStringList{
        u"quality_gate_out_of_range.yaml:2:15: error: 'quality_gate' must be between 0 and 100, got 101"_s};
    QTest::newRow("quality_not_list") << u"quality_not_list.yaml"_s << QStringList{
        u"quality_not_list.yaml:5:14: error: 'quality' must be a list, got a mapping"_s,
        u"quality_not_list.yaml:9:9: error: quality rule must be a mapping, got a scalar"_s};
    QTest::newRow("quality_rules_invalid") << u"quality_rules_invalid.yaml"_s << QStringList{
        u"quality_rules_invalid.yaml:7:19: error: invalid category 'speed' (expected security, performance, testing, architecture, code_quality or documentation)"_s,
        u"quality_rules_invalid.yaml:9:9: error: missing required key 'metric' in quality rule"_s,
        u"quality_rules_invalid.yaml:11:9: error: quality rule needs 'min' or 'max'"_s,
        u"quality_rules_invalid.yaml:15:14: error: quality rule 'min' (90) is greater than 'max' (80)"_s,
        u"quality_rules_invalid.yaml:19:14: error: 'min' must be a number, got 'high'"_s,
        u"quality_rules_invalid.yaml:20:9: error: unknown key 'treshold'"_s};
    QTest::newRow("reports_invalid") << u"reports_invalid.yaml"_s << QStringList{
        u"reports_invalid.yaml:6:14: error: report path 'junit' must be a string, got a list"_s,
        u"reports_invalid.yaml:7:7: error: unknown key 'xunit' (did you mean 'junit'?)"_s,
        u"reports_invalid.yaml:8:14: error: report path 'sarif' must not be empty"_s,
        u"reports_invalid.yaml:11:14: error: 'reports' must be a mapping, got a scalar"_s};
    QTest::newRow("repos_bad_entries") << u"repos_bad_entries.yaml"_s << QStringList{
        u"repos_bad_entries.yaml:3:5: error: repo must be a path or a mapping with 'path', got a list"_s,
        u"repos_bad_entries.yaml:4:5: error: missing required key 'path' in repo"_s,
        u"repos_bad_entries.yaml:6:5: error: unknown key 'tag' (did you mean 'tags'?)"_s,
        u"repos_bad_entries.yaml:8:11: error: 'tags' must be a list of strings, got a scalar"_s,
        u"repos_bad_entries.yaml:9:11: error: 'role' must be a string, got a list"_s};
    QTest::newRow("repos_catalog_invalid") << u"repos_catalog_invalid.yaml"_s << QStringList{
        u"repos_catalog_invalid.yaml:2:18: error: 'catalog' must be true (remove 'repos' to use none)"_s,
        u"repos_catalog_invalid.yaml:2:31: error: 'tags' must be a list of strings, got a scalar"_s,
        u"repos_catalog_invalid.yaml:2:39: error: unknown key 'labels'"_s};
    QTest::newRow("repos_catalog_missing_flag") << u"repos_catalog_missing_flag.yaml"_s << QStringList{
        u"repos_catalog_missing_flag.yaml:3:3: error: missing required key 'catalog' (repos is a list of repos or {catalog: true, tags, roles})"_s};
    QTest::newRow("repos_duplicate_names") << u"repos_duplicate_names.yaml"_s << QStringList{
        u"repos_duplicate_names.yaml:5:11: error: duplicate repo name 'billing' (first defined at line 3)"_s};
    QTest::newRow("repos_missing_paths") << u"repos_missing_paths.yaml"_s << QStringList{
        u"repos_missing_paths.yaml:4:5: error: repo path '../repos/nope' does not exist"_s,
        u"repos_missing_paths.yaml:5:11: error: repo path '/definitely/not/here' does not exist"_s,
        u"repos_missing_paths.yaml:6:5: error: repo path '../repos/not-a-dir.txt' is not a directory"_s};
    QTest::newRow("repos_wrong_type") << u"repos_wrong_type.yaml"_s << QStringList{
        u"repos_wrong_type.yaml:2:8: error: 'repos' must be a list of repos or {catalog: true, tags, roles}, got a scalar"_s};
    QTest::newRow("retries_invalid") << u"retries_invalid.yaml"_s << QStringList{
        u"retries_invalid.yaml:5:14: error: 'retries' must be between 0 and 10, got 11"_s,
        u"retries_invalid.yaml:8:14: error: 'retries' must be between 0 and 10, got -1"_s,
        u"retries_invalid.yaml:11:14: error: 'retries' must be an integer, got 'two'"_s};
    QTest::newRow("run_invalid") << u"run_invalid.yaml"_s << QStringList{
        u"run_invalid.yaml:4:10: error: 'run' must not be empty"_s,
        u"run_invalid.yaml:6:10: error: 'run' must not be empty"_s,
        u"run_invalid.yaml:8:10: error: 'run' must be a list of strings (argv) or a string (script), got a mapping"_s,
        u"run_invalid.yaml:10:17: error: items of 'run' must be strings, got a mapping"_s,
        u"run_invalid.yaml:12:11: error: the program in 'run' must not be empty"_s,
        u"run_invalid.yaml:14:5: error: 'run' has no value (expected a list of strings or a script)"_s};
    // The two lines of workflow.md's example, at the same positions.
    QTest::newRow("spec_error_example") << u"spec_error_example.yaml"_s << QStringList{
        u"spec_error_example.yaml:3:1: error: unknown key 'needs'"_s,
        u"spec_error_example.yaml:14:7: error: task 'test' needs unknown task 'lnit' (did you mean 'lint'?)"_s};
    // An error in a default is reported once, however many tasks inherit it.
    QTest::newRow("defaults_template_errors") << u"defaults_template_errors.yaml"_s << QStringList{
        u"defaults_template_errors.yaml:3:16: error: unknown param 'nope' in '{{params.nope}}'"_s,
        u"defaults_template_errors.yaml:4:16: error: '{{repo.path}}' used in task 'a', which has no for_each: repos"_s,
        u"defaults_template_errors.yaml:4:16: error: '{{repo.path}}' used in task 'c', which has no for_each: repos"_s};
    QTest::newRow("max_concurrent_too_large") << u"max_concurrent_too_large.yaml"_s << QStringList{
        u"max_concurrent_too_large.yaml:2:17: error: 'max_concurrent' must be at most 100000, got 100001"_s};
    QTest::newRow("syntax_bad_indent") << u"syntax_bad_indent.yaml"_s << QStringList{
        u"syntax_bad_indent.yaml:4:9: error: invalid YAML: illegal map value"_s};
    QTest::newRow("syntax_unclosed_list") << u"syntax_unclosed_list.yaml"_s << QStringList{
        u"syntax_unclosed_list.yaml:5:7: error: invalid YAML: end of sequence flow not found"_s};
    QTest::newRow("task_missing_id_and_run") << u"task_missing_id_and_run.yaml"_s << QStringList{
        u"task_missing_id_and_run.yaml:3:5: error: missing required key 'id' in task #1"_s,
        u"task_missing_id_and_run.yaml:4:5: error: missing required key 'run' in task 'no-run'"_s,
        u"task_missing_id_and_run.yaml:5:5: error: missing required key 'id' in task #3"_s,
        u"task_missing_id_and_run.yaml:5:5: error: missing required key 'run' in task #3"_s};
    QTest::newRow("task_not_mapping") << u"task_not_mapping.yaml"_s << QStringList{
        u"task_not_mapping.yaml:3:5: error: task #1 must be a mapping, got a scalar"_s,
        u"task_not_mapping.yaml:6:5: error: task #3 must be a mapping, got a list"_s};
    QTest::newRow("tasks_empty") << u"tasks_empty.yaml"_s << QStringList{
        u"tasks_empty.yaml:2:8: error: 'tasks' must not be empty"_s};
    QTest::newRow("tasks_not_list") << u"tasks_not_list.yaml"_s << QStringList{
        u"tasks_not_list.yaml:3:3: error: 'tasks' must be a list, got a mapping"_s};
    QTest::newRow("template_repo_without_for_each") << u"template_repo_without_for_each.yaml"_s << QStringList{
        u"template_repo_without_for_each.yaml:4:17: error: '{{repo.name}}' used in task 'summary', which has no for_each: repos"_s,
        u"template_repo_without_for_each.yaml:5:18: error: '{{repo.path}}' used in task 'summary', which has no for_each: repos"_s,
        u"template_repo_without_for_each.yaml:7:13: error: '{{repo.path}}' used in task 'summary', which has no for_each: repos"_s};
    QTest::newRow("template_unknown_param") << u"template_unknown_param.yaml"_s << QStringList{
        u"template_unknown_param.yaml:6:26: error: unknown param 'brnch' in '{{params.brnch}}' (did you mean 'branch'?)"_s,
        u"template_unknown_param.yaml:8:17: error: unknown param 'version' in '{{params.version}}'"_s};
    QTest::newRow("template_unknown_placeholder") << u"template_unknown_placeholder.yaml"_s << QStringList{
        u"template_unknown_placeholder.yaml:5:15: error: unknown placeholder '{{repo.dir}}' (known: {{repo.path}}, {{repo.name}}, {{run.id}}, {{task.id}}, {{params.NAME}})"_s,
        u"template_unknown_placeholder.yaml:7:10: error: unknown placeholder '{{ foo }}' (known: {{repo.path}}, {{repo.name}}, {{run.id}}, {{task.id}}, {{params.NAME}})"_s,
        u"template_unknown_placeholder.yaml:9:31: error: unknown placeholder '{{task.name}}' (known: {{repo.path}}, {{repo.name}}, {{run.id}}, {{task.id}}, {{params.NAME}})"_s,
        u"template_unknown_placeholder.yaml:11:17: error: unknown placeholder '{{run.di}}' (did you mean '{{run.id}}'?)"_s};
    QTest::newRow("template_unterminated") << u"template_unterminated.yaml"_s << QStringList{
        u"template_unterminated.yaml:4:17: error: unterminated placeholder '{{run.id' (missing '}}')"_s};
    QTest::newRow("top_level_list") << u"top_level_list.yaml"_s << QStringList{
        u"top_level_list.yaml:1:1: error: a workflow must be a mapping at the top level, got a list"_s};
    QTest::newRow("top_level_scalar") << u"top_level_scalar.yaml"_s << QStringList{
        u"top_level_scalar.yaml:1:1: error: a workflow must be a mapping at the top level, got a scalar"_s};
    QTest::newRow("types_mixed") << u"types_mixed.yaml"_s << QStringList{
        u"types_mixed.yaml:5:11: error: 'pool' must be a string, got a list"_s,
        u"types_mixed.yaml:6:13: error: 'labels' must be a mapping, got a list"_s,
        u"types_mixed.yaml:7:18: error: 'working_dir' must be a string, got a mapping"_s,
        u"types_mixed.yaml:8:15: error: 'for_each' must be a string, got a list"_s};
    QTest::newRow("unknown_task_keys") << u"unknown_task_keys.yaml"_s << QStringList{
        u"unknown_task_keys.yaml:6:5: error: unknown key 'need' (did you mean 'needs'?)"_s,
        u"unknown_task_keys.yaml:7:5: error: unknown key 'timout' (did you mean 'timeout'?)"_s,
        u"unknown_task_keys.yaml:8:5: error: unknown key 'command'"_s};
    QTest::newRow("unknown_top_level_keys") << u"unknown_top_level_keys.yaml"_s << QStringList{
        u"unknown_top_level_keys.yaml:2:1: error: unknown key 'descripton' (did you mean 'description'?)"_s,
        u"unknown_top_level_keys.yaml:3:1: error: unknown key 'needs'"_s};
    QTest::newRow("version_not_scalar") << u"version_not_scalar.yaml"_s << QStringList{
        u"version_not_scalar.yaml:1:10: error: 'version' must be 1, got a list"_s};
    QTest::newRow("workflow_env_repo_template") << u"workflow_env_repo_template.yaml"_s << QStringList{
        u"workflow_env_repo_template.yaml:3:13: error: '{{repo.path}}' cannot be used in workflow env (only in tasks with for_each: repos)"_s};
}

void TestWorkflowInvalid::invalidFile() {
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    m_covered.insert(file);
    const auto result = parseWorkflowFile(QDir(invalidDir()).absoluteFilePath(file), file);
    QVERIFY(!result.ok());
    QVERIFY(!result.workflow.has_value());
    const QStringList actual = formatted(result.diagnostics);
    if (actual != expected) {
        qWarning().noquote() << u"actual:\n  "_s + actual.join(u"\n  "_s);
        qWarning().noquote() << u"expected:\n  "_s + expected.join(u"\n  "_s);
    }
    QCOMPARE(actual, expected);
}

void TestWorkflowInvalid::everyFixtureHasExpectations() {
    const QStringList files = QDir(invalidDir()).entryList({u"*.yaml"_s}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 40);
    for (const QString& file : files)
        QVERIFY2(m_covered.contains(file), qPrintable(u"no expectations for "_s + file));
}

void TestWorkflowInvalid::missingFile() {
    const QString path = QDir(invalidDir()).absoluteFilePath(u"does-not-exist.yaml"_s);
    const auto result = parseWorkflowFile(path, u"does-not-exist.yaml"_s);
    QVERIFY(!result.ok());
    QCOMPARE(formatted(result.diagnostics),
             QStringList{u"does-not-exist.yaml: error: cannot read file: no such file"_s});
    QCOMPARE(result.diagnostics.front().line, 0);

    // Without a display name the path is printed as given.
    const auto plain = parseWorkflowFile(path);
    QCOMPARE(plain.diagnostics.size(), 1);
    QCOMPARE(plain.diagnostics.front().file, path);
}

void TestWorkflowInvalid::directoryIsNotAFile() {
    const auto result = parseWorkflowFile(invalidDir(), u"invalid"_s);
    QCOMPARE(formatted(result.diagnostics), QStringList{u"invalid: error: cannot read file: is a directory"_s});
}

void TestWorkflowInvalid::syntaxErrorFromText() {
    const auto result = parseWorkflowText("name: x\ntasks: [\n", u"inline.yaml"_s, invalidDir());
    QCOMPARE(result.diagnostics.size(), 1);
    QVERIFY(result.diagnostics.front().format().startsWith(u"inline.yaml:"_s));
    QVERIFY(result.diagnostics.front().message.startsWith(u"invalid YAML: "_s));
    QVERIFY(result.diagnostics.front().line >= 1);
}

void TestWorkflowInvalid::formatWithoutLine() {
    signalbox::workflow::Diagnostic d{u"f.yaml"_s, 0, 0, u"boom"_s};
    QCOMPARE(d.format(), u"f.yaml: error: boom"_s);
    d.line = 3;
    d.column = 7;
    QCOMPARE(d.format(), u"f.yaml:3:7: error: boom"_s);
}

QTEST_GUILESS_MAIN(TestWorkflowInvalid)
#include "tst_workflow_invalid.moc"
