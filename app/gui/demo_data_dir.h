#pragma once
// --demo: a temporary data dir filled with generated runs and dead letters, removed
// when the console exits.

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace signalbox::gui {

// The filled directory, or nullptr with one line in *error.
std::unique_ptr<QTemporaryDir> createDemoDataDir(QString* error);

} // namespace signalbox::gui
