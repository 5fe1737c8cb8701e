#pragma once
// How a line of task output reads in a table, shared by the log models (the virtual
// whole-run model and the stream-filtered one): time, stream, task/repo, text; stderr in
// red, system lines dimmed.

#include "domain/records.h"

#include <QHash>
#include <QVariant>

namespace signalbox::ui::logformat {

enum Column { TimeColumn, StreamColumn, TaskColumn, TextColumn, ColumnCount };

// `labels`: "task repo" per instance index.
QVariant data(const LogLine& line, int column, int role, const QHash<int, QString>& labels);
QVariant headerData(int section, Qt::Orientation orientation, int role);
QString streamName(LogStream stream);

} // namespace signalbox::ui::logformat
