#pragma once
// Dead letter filters from the command line. `dlq list` takes plain flags (--status,
// --category, ...); bulk actions take the --filter-* flags of cli.md. Every bad value is
// one line naming the flag, the value and what is allowed.

#include "commands/arg_parser.h"
#include "dlq/dlq_query.h"

#include <QList>
#include <QString>
#include <optional>

namespace signalbox::cli {

// "250ms", "30s", "10m", "2h", "30d", "1w" -> milliseconds (> 0); nullopt otherwise.
std::optional<qint64> parseDlqDuration(const QString& text);

// --status, --category, --policy (repeatable or comma-separated), --workflow, --task,
// --repo, --run, --error, --since DURATION|ISO.
QList<OptionSpec> dlqListFilterOptions();
bool parseDlqListFilters(const ParsedArgs& args, dlq::DlqFilter* filter, QString* error);

// --filter-status, --filter-category, --filter-policy, --filter-workflow, --filter-task,
// --filter-repo, --filter-run, --filter-group SIGNATURE, --filter-error TEXT,
// --filter-older-than DURATION.
QList<OptionSpec> dlqBulkFilterOptions();
// *given: whether any --filter-* flag was given.
bool parseDlqBulkFilters(const ParsedArgs& args, dlq::DlqFilter* filter, bool* given, QString* error);

// The filter in words, for messages, jobs and the audit journal:
// "status=pending,exhausted category=permanent task=check".
QString describeDlqFilter(const dlq::DlqFilter& filter);

// "d_3" ids -> keys; *error names the first malformed one ("unknown dead letter 'x'").
std::optional<QList<qint64>> parseDlqIds(const QStringList& ids, QString* error);

} // namespace signalbox::cli
