#pragma once
// The command line the store benchmarks share: --<count flag> N --batch N --keep DIR.

#include <QLatin1StringView>
#include <QString>
#include <QStringList>
#include <cstdio>
#include <optional>

namespace signalbox::bench {

struct BenchArgs {
    qint64 count = 1'000'000; // rows to write (lines, entries...)
    int batch = 1'000;        // rows per store call
    QString keepDir;          // data dir to keep; empty = a temporary one
};

// nullopt (with a one-line error on stderr) when a number is not positive.
inline std::optional<BenchArgs> parseBenchArgs(const QStringList& args, QLatin1StringView countFlag,
                                               const char* program) {
    BenchArgs parsed;
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == countFlag)
            parsed.count = args[i + 1].toLongLong();
        else if (args[i] == QLatin1StringView("--batch"))
            parsed.batch = args[i + 1].toInt();
        else if (args[i] == QLatin1StringView("--keep"))
            parsed.keepDir = args[i + 1];
    }
    if (parsed.count <= 0 || parsed.batch <= 0) {
        std::fprintf(stderr, "%s: error: %s and --batch must be positive\n", program, countFlag.data());
        return std::nullopt;
    }
    return parsed;
}

} // namespace signalbox::bench
