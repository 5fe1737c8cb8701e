#pragma once
// How the queue is searched, paged, grouped and counted. The store turns these into SQL
// (indexes, keyset pagination); front ends build them from flags or widgets.

#include "dlq/dead_letter.h"

#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace signalbox::dlq {

// Every set field narrows the match (AND); several values in one list are OR.
struct DlqFilter {
    QList<qint64> keys; // explicit entries (ids named one by one)
    QList<DlqStatus> statuses;
    QList<ErrorCategory> categories;
    QList<RetryPolicy> policies;
    QString workflow;            // exact
    QString taskId;              // exact
    QString repo;                // exact repo name
    QString runId;               // exact
    QString signature;           // a group
    qint64 enqueuedFromMs = 0;   // >= ; 0 = unbounded
    qint64 enqueuedBeforeMs = 0; // <  ; 0 = unbounded (--filter-older-than)
    QString errorContains;       // case-insensitive substring of the error (plain text)

    bool isEmpty() const; // matches everything
};

enum class DlqSortKey { Enqueued, Updated, NextRetry, Workflow, Task, Repo, Category, Status, Attempts };

struct DlqSort {
    DlqSortKey key = DlqSortKey::Enqueued;
    bool descending = true; // newest first by default
};

// Keyset pagination: the page after `after` (the last entry of the previous page) in the
// sort order; nullopt = first page. Stable while entries are added or change.
struct DlqPageRequest {
    DlqSort sort;
    std::optional<DeadLetter> after;
    int limit = 100; // 1..10000
};

struct DlqGroup {
    QString signature;
    QString taskId;
    QString sampleError; // the newest entry's error
    qint64 count = 0;
    qint64 newestEnqueuedAtMs = 0;
    qint64 oldestEnqueuedAtMs = 0;
    QList<qint64> sampleKeys; // newest first, at most DlqGroupRequest::sampleKeys
};

struct DlqGroupRequest {
    int limit = 100;     // groups, largest first (then newest)
    int sampleKeys = 20; // ids listed per group (`ids` in the JSON)
};

// cli.md `dlq stats` (maxSize and utilization are filled by the queue from its settings).
struct DlqCounters {
    qint64 enqueued = 0;
    qint64 retrySuccess = 0;
    qint64 retryFailed = 0;
    qint64 exhausted = 0;
    qint64 manualRetries = 0;
    qint64 archived = 0;
    qint64 purged = 0;  // extra: entries removed for good by purge
    qint64 evicted = 0; // extra: completed/archived entries removed to make room
};

struct DlqStats {
    qint64 size = 0; // all entries stored
    int maxSize = 0;
    double utilization = 0.0;         // size / maxSize (can exceed 1.0: over capacity)
    QMap<QString, qint64> byStatus;   // every status name present, zeros included
    QMap<QString, qint64> byCategory; // every category name, zeros included
    QMap<QString, qint64> byPolicy;   // every policy name, zeros included
    DlqCounters lifetime;
};

} // namespace signalbox::dlq
