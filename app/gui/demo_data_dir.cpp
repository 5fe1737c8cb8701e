#include "demo_data_dir.h"

#include <QCoreApplication>
#include <QDir>
#include <cstdio>

#if __has_include("demo/demo_data.h")
#include "demo/demo_data.h"
#define SIGNALBOX_HAS_DEMO_DATA 1
#endif

namespace signalbox::gui {

std::unique_ptr<QTemporaryDir> createDemoDataDir(QString* error) {
    auto dir =
        std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("signalbox-demo-XXXXXX")));
    if (!dir->isValid()) {
        *error = QCoreApplication::translate("signalbox", "cannot create a temporary data dir: %1")
                     .arg(dir->errorString());
        return nullptr;
    }
#ifdef SIGNALBOX_HAS_DEMO_DATA
    std::fprintf(stderr, "signalbox: generating demo data in %s\n",
                 qPrintable(QDir::toNativeSeparators(dir->path())));
    if (!demo::generate(dir->path(), demo::DemoSize{}, error))
        return nullptr;
#else
    // Built before the demo generator existed: the console opens an empty data dir.
    std::fprintf(stderr, "signalbox: this build has no demo data generator; opening an empty data dir\n");
#endif
    return dir;
}

} // namespace signalbox::gui
