#include "demo/demo_vocabulary.h"

#include <QStringBuilder>

namespace signalbox::demo {

namespace {

QString s(const char* text) {
    return QString::fromLatin1(text);
}

QList<DemoRepo> makeRepos() {
    struct Row {
        const char* name;
        const char* tags;
        const char* role;
        const char* description;
    };
    static const Row rows[] = {
        {"billing", "team-a python critical", "service", "Invoices and payment runs"},
        {"gateway", "team-a go critical", "service", "Public API gateway"},
        {"search", "team-b python", "service", "Full-text search over the catalog"},
        {"payments", "team-a go critical", "service", "Card and SEPA payments"},
        {"auth", "team-c go critical", "service", "Login, tokens and sessions"},
        {"inventory", "team-b python", "service", "Stock levels per warehouse"},
        {"notifications", "team-c python", "service", "Mail, SMS and push"},
        {"reports", "team-b python", "service", "Nightly business reports"},
        {"scheduler", "team-c go", "service", "Cron-like job scheduler"},
        {"ledger", "team-a go critical", "service", "Double-entry ledger"},
        {"catalog", "team-b go", "service", "Product catalog"},
        {"pricing", "team-b python", "service", "Price rules and discounts"},
        {"shipping", "team-c python", "service", "Carrier integrations"},
        {"frontend", "team-c typescript", "app", "Customer web app"},
        {"admin-ui", "team-a typescript", "app", "Back-office web app"},
        {"mobile-api", "team-c go", "service", "Backend for the mobile apps"},
        {"common-py", "team-b python library", "library", "Shared Python helpers"},
        {"common-go", "team-a go library", "library", "Shared Go packages"},
        {"proto", "team-a library", "library", "Protocol buffer definitions"},
        {"infra", "team-c terraform critical", "infra", "Terraform for every environment"},
        {"helm-charts", "team-c infra", "infra", "Kubernetes charts"},
        {"data-pipeline", "team-b python", "service", "Event ingestion to the warehouse"},
        {"ml-ranking", "team-b python", "service", "Search ranking model"},
        {"fraud", "team-a python critical", "service", "Fraud scoring"},
        {"customer-db", "team-a go critical", "service", "Customer records"},
        {"feature-flags", "team-c go", "service", "Feature flag service"},
        {"docs-site", "team-c typescript", "app", "Developer documentation"},
        {"cli-tools", "team-b go", "tool", "Internal command line tools"},
        {"loadtest", "team-b python", "tool", "Load test scenarios"},
        {"status-page", "team-c typescript", "app", "Public status page"},
    };
    QList<DemoRepo> repos;
    for (const Row& row : rows)
        repos.append({s(row.name), s(row.tags).split(QLatin1Char(' ')), s(row.role), s(row.description)});
    return repos;
}

QList<DemoWorkflow> makeWorkflows() {
    QList<DemoWorkflow> workflows;
    workflows.append({s("lint"),
                      {s("python"), s("go"), s("team-a"), s("team-b"), s("team-c")},
                      {{s("lint"), {}, 4, 45, 0.25, s("make lint"), s("lint_errors")}},
                      6,
                      5});
    workflows.append({s("test"),
                      {s("python"), s("go"), s("critical"), s("team-a"), s("team-b")},
                      {{s("build"), {}, 20, 150, 0.08, s("make build"), {}},
                       {s("test"), s("build"), 30, 420, 0.25, s("make test"), s("coverage")}},
                      4,
                      4});
    workflows.append({s("audit"),
                      {QString()},
                      {{s("audit"), {}, 8, 70, 0.15, s("make audit"), s("vulnerabilities")}},
                      8,
                      1});
    workflows.append({s("migrate"),
                      {s("critical")},
                      {{s("plan"), {}, 5, 40, 0.1, s("./scripts/migrate.sh plan"), {}},
                       {s("apply"), s("plan"), 20, 300, 0.3, s("./scripts/migrate.sh apply"), {}}},
                      2,
                      1});
    return workflows;
}

QList<FailureSample> makeFailures() {
    using C = ErrorCategory;
    QList<FailureSample> samples;
    // A function, not aggregate init: most samples fit any task and leave `tasks` out.
    auto add = [&samples](ErrorCategory category, const QString& error, std::optional<int> exitCode,
                          std::optional<int> signal, const QStringList& output,
                          const QStringList& tasks = {}) {
        samples.append({category, error, exitCode, signal, output, tasks});
    };
    add(C::Transient, s("timed out after 300s"), std::nullopt, 15,
        {s("waiting for lock on build cache (attempt 12)"), s("still waiting after 280s"),
         s("signalbox: timeout reached, sending SIGTERM")});
    add(C::Transient, s("exit code 75: resource temporarily unavailable, try again"), 75, std::nullopt,
        {s("acquiring lease on runner slot"), s("error: lease service busy (503)")});
    add(C::Network, s("exit code 1: connection refused (pypi.internal:443)"), 1, std::nullopt,
        {s("Collecting requests==2.31.0"),
         s("WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError'"),
         s("ERROR: Could not install packages due to an OSError: connection refused")});
    add(C::Network,
        s("exit code 128: fatal: unable to access 'https://git.internal/': Could not resolve host"), 128,
        std::nullopt,
        {s("fetching submodule proto"),
         s("fatal: unable to access 'https://git.internal/': Could not resolve host")});
    add(C::Resource, s("exit code 1: No space left on device"), 1, std::nullopt,
        {s("writing build/cache/objects.pack"), s("error: write failed: No space left on device")});
    add(C::Resource, s("killed by SIGKILL (out of memory)"), std::nullopt, 9,
        {s("linking target service (this may take a while)"),
         s("collect2: fatal error: ld terminated with signal 9")});
    add(C::Permission, s("exit code 126: permission denied: ./scripts/migrate.sh"), 126, std::nullopt,
        {s("sh: 1: ./scripts/migrate.sh: Permission denied")}, {s("plan"), s("apply")});
    add(C::Permission, s("exit code 1: permission denied: /var/cache/build"), 1, std::nullopt,
        {s("mkdir: cannot create directory '/var/cache/build': Permission denied")});
    add(C::Validation, s("exit code 2: invalid config: unknown key 'timeoutt' in .lint.toml"), 2,
        std::nullopt,
        {s("loading .lint.toml"), s("error: unknown key 'timeoutt' at line 7 (did you mean 'timeout'?)")},
        {s("lint")});
    add(C::Validation, s("exit code 2: migration 0042 refers to unknown table 'invoices_v2'"), 2,
        std::nullopt,
        {s("planning 3 migrations"), s("error: migration 0042 refers to unknown table 'invoices_v2'")},
        {s("plan"), s("apply")});
    add(C::Validation, s("exit code 2: go.mod: invalid go version '1.22.x'"), 2, std::nullopt,
        {s("go: errors parsing go.mod:"), s("go.mod:3: invalid go version '1.22.x': must match format 1.23")},
        {s("build"), s("test"), s("audit")});
    add(C::Permanent, s("exit code 1"), 1, std::nullopt,
        {s("FAILED tests/test_invoice.py::test_rounding - AssertionError: 10.01 != 10.0"),
         s("FAILED tests/test_invoice.py::test_vat_reverse_charge - KeyError: 'country'"),
         s("=========== 2 failed, 214 passed in 41.27s ===========")},
        {s("test")});
    add(C::Permanent, s("exit code 1: ModuleNotFoundError: No module named 'requests'"), 1, std::nullopt,
        {s("Traceback (most recent call last):"), s("  File \"app/main.py\", line 3, in <module>"),
         s("    import requests"), s("ModuleNotFoundError: No module named 'requests'")});
    add(C::Permanent, s("exit code 2: 14 lint errors"), 2, std::nullopt,
        {s("src/handlers.py:88:1: E302 expected 2 blank lines, found 1"),
         s("src/handlers.py:120:80: E501 line too long (97 > 79 characters)"), s("Found 14 errors.")},
        {s("lint")});
    return samples;
}

} // namespace

const QList<DemoRepo>& demoRepos() {
    static const QList<DemoRepo> repos = makeRepos();
    return repos;
}

const QList<DemoWorkflow>& demoWorkflows() {
    static const QList<DemoWorkflow> workflows = makeWorkflows();
    return workflows;
}

const QList<FailureSample>& failureSamples() {
    static const QList<FailureSample> samples = makeFailures();
    return samples;
}

QByteArray workflowYaml(const DemoWorkflow& workflow, const QStringList& repoNames,
                        const QStringList& repoPaths) {
    QString yaml = QStringLiteral("# Demo workflow written by `signalbox --demo`.\nversion: 1\nname: ") %
                   workflow.name % QStringLiteral("\nmax_concurrent: ") %
                   QString::number(workflow.maxConcurrent) % QStringLiteral("\nrepos:\n");
    for (qsizetype i = 0; i < repoPaths.size(); ++i)
        yaml += QStringLiteral("  - name: ") % repoNames.value(i) % QStringLiteral("\n    path: ") %
                repoPaths.at(i) % QLatin1Char('\n');
    yaml += QStringLiteral("defaults:\n  timeout: 5m\ntasks:\n");
    for (const DemoTask& task : workflow.tasks) {
        yaml += QStringLiteral("  - id: ") % task.id % QLatin1Char('\n');
        if (!task.needs.isEmpty())
            yaml += QStringLiteral("    needs: [") % task.needs % QStringLiteral("]\n");
        // The demo repos are empty folders: the task only says what it would do.
        yaml += QStringLiteral("    for_each: repos\n    run: echo \"") % task.command %
                QStringLiteral(" in {{repo.name}}\"\n");
    }
    return yaml.toUtf8();
}

QString outputLine(const DemoTask& task, const QString& repo, int line, int count, quint64 salt) {
    if (line == 0)
        return QStringLiteral("$ ") % task.command % QStringLiteral("  # in ") % repo;
    if (line == count - 1)
        return QStringLiteral("%1 finished for %2").arg(task.id, repo);
    const int n = int((salt + quint64(line) * 2654435761u) % 997);
    if (task.id == QLatin1String("lint"))
        return QStringLiteral("checking src/module_%1.py ... ok (%2 lines)").arg(n % 60).arg(80 + n);
    if (task.id == QLatin1String("build"))
        return QStringLiteral("[%1/%2] compiling src/%3/unit_%4.o").arg(line).arg(count).arg(repo).arg(n);
    if (task.id == QLatin1String("test"))
        return QStringLiteral("PASSED tests/test_%1.py::test_case_%2 (%3 ms)")
            .arg(n % 40)
            .arg(n)
            .arg(n % 300 + 2);
    if (task.id == QLatin1String("audit"))
        return QStringLiteral("scanned dependency %1 (%2 advisories)").arg(n).arg(n % 17 == 0 ? 1 : 0);
    return QStringLiteral("migration step %1: %2 rows affected").arg(line).arg(n * 13);
}

} // namespace signalbox::demo
