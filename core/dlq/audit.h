#pragma once
// The audit journal: every manual action on the queue (retry, edit, archive, purge,
// bulk jobs, settings), who did it, on how many entries, and how it came out.

#include <QString>

namespace signalbox::dlq {

struct AuditRecord {
    qint64 key = 0; // assigned by the store, increasing
    qint64 atMs = 0;
    QString actor;    // local user name (localActor()), later a token's name
    QString action;   // "retry", "edit-retry", "archive", "purge", "enqueue", "settings",
                      // "job-start", "job-pause", "job-resume", "job-cancel", "job-finish"
    QString target;   // "d_12", "j_3", or the filter/group in words
    qint64 count = 0; // entries touched (or to touch, for job-start)
    QString outcome;  // "ok", "failed: <why>", "3 succeeded, 1 failed", ...
};

// The operating system user running this process ("unknown" when none can be found).
QString localActor();

} // namespace signalbox::dlq
