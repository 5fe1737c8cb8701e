#pragma once
// How dead letters read in the console: one place for the words and numbers the table,
// the detail pane and the bulk dialogs share, so "2/3" or "1,234" mean the same
// everywhere.

#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"

#include <QString>
#include <QStringList>

namespace signalbox::ui::dlqformat {

// "1,234" in the user's locale.
QString count(qint64 value);
// "1,234 dead letters" / "1 dead letter".
QString entryCount(qint64 value);
// Local date and time, "—" for 0.
QString timestamp(qint64 msSinceEpoch);
// Retries done out of retries allowed ("2/3"), as the CLI shows them.
QString attempts(const dlq::DeadLetter& entry);
// "in 4 min" style when due; empty when no automatic retry is scheduled.
QString nextRetry(const dlq::DeadLetter& entry, qint64 nowMs);
// The argv as a shell would read it (arguments with spaces or quotes single-quoted).
QString shellCommand(const QStringList& argv);
// "status=exhausted, task=lint"; "everything" for an empty filter.
QString describeFilter(const dlq::DlqFilter& filter);
// "Archive" / "Retry" / "Purge" (translated verb for buttons and prompts).
QString actionVerb(dlq::BulkAction action);

} // namespace signalbox::ui::dlqformat
