#pragma once
// Dropping a workflow file on the window launches it: what counts as one, and the link
// that asks the Runs view to open its launch dialog (agreed with the Runs view:
// signalbox://runs/launch?file=PATH).

#include <QString>
#include <QUrl>

class QMimeData;

namespace signalbox::ui::workflow_drop {

// The local .yaml/.yml file the drag carries (the first one), or empty.
QString workflowFile(const QMimeData* mime);
QUrl launchLink(const QString& path);

} // namespace signalbox::ui::workflow_drop
