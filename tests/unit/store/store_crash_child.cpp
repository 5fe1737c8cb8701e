// Helper of tst_store_crash: writes runs and log lines into the store in DATA_DIR until it
// is killed, printing each run id on stdout from its commit callback ("announced").

#include "store/store.h"

#include <QCoreApplication>
#include <cstdio>

using namespace signalbox;
using namespace signalbox::store;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "store_crash_child: error: usage: store_crash_child DATA_DIR\n");
        return 2;
    }
    QString error;
    auto store = Store::open(QString::fromLocal8Bit(argv[1]), &error);
    if (!store) {
        std::fprintf(stderr, "store_crash_child: error: %s\n", qPrintable(error));
        return 3;
    }
    for (qint64 i = 0;; ++i) {
        RunRecord run;
        run.id = QStringLiteral("r_%1").arg(i, 8, 10, QLatin1Char('0'));
        run.workflow = QStringLiteral("crash");
        run.createdAtMs = i;
        InstanceRecord instance;
        instance.runId = run.id;
        instance.taskId = QStringLiteral("t");
        QList<LogLine> lines;
        for (int n = 0; n < 100; ++n) {
            LogLine line;
            line.runId = run.id;
            line.text = QStringLiteral("line %1 of %2").arg(n).arg(run.id);
            lines.append(line);
        }
        store->insertRun(run, {instance});
        store->appendLogLines(lines, [id = run.id] {
            std::printf("%s\n", qPrintable(id));
            std::fflush(stdout);
        });
        if (i % 20 == 19)
            store->sync(); // keep the queue bounded
    }
}
