#pragma once
// Which data dir the console opens, resolved the way signalbox-cli does it (so both
// find the same engine): --data-dir, else $SIGNALBOX_DATA_DIR, else the directory
// picked in Settings, else the per-user data location of "signalbox".

#include <QString>

namespace signalbox::gui {

QString resolveDataDir(const QString& fromOption);
// Creates the directory (owner-only) when missing. False + one line in *error otherwise.
bool prepareDataDir(const QString& dir, QString* error);

} // namespace signalbox::gui
