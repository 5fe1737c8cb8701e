#pragma once
// How runs look on the terminal (text mode). JSON comes from engine/run_json.h.

#include "domain/records.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace signalbox::cli {

// Left-aligned columns separated by two spaces; the first row is the header.
QString formatTable(const QList<QStringList>& rows);

QString formatDuration(qint64 ms);

// Summary lines and the instance table of one run (`run`, `runs show`).
QString formatRunDetails(const RunRecord& run, const QList<InstanceRecord>& instances);

// One row per run (`runs list`).
QString formatRunList(const QList<RunRecord>& runs);

// "3 succeeded, 1 failed, 2 skipped"
QString formatInstanceCounts(const QList<InstanceRecord>& instances);

// "lint[billing]" or "report"
QString instanceLabel(const InstanceRecord& instance);

} // namespace signalbox::cli
