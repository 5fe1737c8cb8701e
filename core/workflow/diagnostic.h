#pragma once

#include <QList>
#include <QString>

namespace signalbox::workflow {

// One validation problem, printed as "FILE:LINE:COL: error: MESSAGE".
struct Diagnostic {
    QString file;  // as the user named it (display form)
    int line = 0;  // 1-based; 0 = whole file
    int column = 0;
    QString message;

    QString format() const;
};

using Diagnostics = QList<Diagnostic>;

} // namespace signalbox::workflow
