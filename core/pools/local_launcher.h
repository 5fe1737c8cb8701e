#pragma once
// The local pool: task instances as real child processes of this process.
// Each child gets its own process group (so a timeout or cancel reaches grandchildren),
// the exact environment and working dir of its LaunchSpec, and its stdout/stderr read
// line by line. Lines longer than maxLineBytes are split; bytes that are not UTF-8 are
// passed through unchanged (decoding is the consumer's job).

#include "engine/launcher.h"

#include <memory>

namespace signalbox::pools {

class LocalLauncher final : public engine::Launcher {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalLauncher)
public:
    explicit LocalLauncher(int capacity, QObject* parent = nullptr);
    ~LocalLauncher() override; // kills (SIGKILL, whole group) whatever still runs

    static constexpr int kMaxLineBytes = 64 * 1024;

    int capacity() const override;
    // Changes how many launches may run at once (<= 0 = unlimited). The engine follows it
    // (capacityChanged): more starts waiting instances at once; fewer lets running ones finish.
    void setCapacity(int capacity);
    void start(quint64 token, const engine::LaunchSpec& spec) override;
    void cancel(quint64 token) override;
    // Cancels everything running (used on SIGINT/shutdown).
    void cancelAll();
    int running() const;

Q_SIGNALS:
    void capacityChanged();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::pools
