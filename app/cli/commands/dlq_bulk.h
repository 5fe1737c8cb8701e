#pragma once
// The shared flow of `dlq retry`, `dlq archive` and `dlq purge`:
//  1. the entries are chosen by ids (each checked by the verb: unknown -> exit 2) or by
//     --filter-* flags / a group (a bulk action);
//  2. nothing matching -> exit 2 "no dead letters match ...";
//  3. --dry-run, or a bulk action without --yes: print how many entries it would touch
//     and a sample, change nothing, exit 0;
//  4. otherwise the action runs as a durable bulk job (dlq::BulkJobRunner): in this
//     process when it can take the data dir's lock, else handed to the process that
//     holds it (control request "dlq_job") and followed from the store. The per-entry
//     results are printed; exit 0 when every entry succeeded, 1 otherwise, 130 when
//     interrupted (the job is cancelled: entries not reached yet stay as they are),
//     3 when the holder takes no jobs (the job stays queued and runs when a dlq verb next
//     hosts the engine: `dlq process --once`, `dlq job resume`).
//  With `detach` (retry --detach) the job is created and handed to the holder, or to a
//  background `dlq process --once --jobs-only`; its id is printed and the CLI exits 0.

#include "commands/arg_parser.h"
#include "commands/cli_context.h"
#include "dlq/bulk_job.h"
#include "dlq/dlq_query.h"

#include <QString>
#include <functional>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

class EngineHost;

struct DlqBulkRequest {
    dlq::BulkAction action = dlq::BulkAction::Retry;
    dlq::DlqFilter filter;
    QString selector;  // the ids or the filter in words
    bool bulk = false; // chosen by filters/group: needs --yes
    bool dryRun = false;
    bool yes = false;
    bool detach = false;
};

// --filter-* flags, --dry-run, --yes (and --detach when asked for).
QList<OptionSpec> dlqBulkActionOptions(bool withDetach);

// Ids (positional) or --filter-* flags into request (filter, bulk, selector, dryRun,
// yes, detach). Both or neither: exit 2. A bulk selection without --filter-status gets
// defaultStatuses. Returns kExitOk, or the exit code of the error it printed.
int parseDlqSelection(CliContext& context, const ParsedArgs& args,
                      const QList<dlq::DlqStatus>& defaultStatuses, DlqBulkRequest* request);

// For ids named one by one: each must exist ("unknown dead letter 'd_9'", exit 2) and
// `refuse` (a one-line reason, or empty) must accept it (exit 2 otherwise). Nothing
// changes when one is refused. Returns kExitOk or the printed error's code.
int checkDlqIds(CliContext& context, const store::Store& store, const QList<qint64>& keys,
                const std::function<QString(const dlq::DeadLetter&)>& refuse);

// Steps 2-4 above. `store` is the lockless store the verb checked the ids with.
int runDlqBulk(CliContext& context, store::Store& store, const DlqBulkRequest& request);

// After this process's own dead letter work ended: retried instances resume their runs
// (skipped dependents run now), and jobs it resumed go on. Waits until the host is idle
// so that nothing is cut short (cancelled) when the host goes away.
void settle(CliContext& context, EngineHost& host);


// Prints a finished (or followed) job with its per-entry results and returns the exit
// code: 0 all succeeded, 1 any failed or the job was cancelled, 130 when `interrupted`.
int printDlqJobResult(CliContext& context, const store::Store& store, qint64 jobKey, bool interrupted);

} // namespace signalbox::cli
