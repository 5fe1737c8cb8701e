#pragma once
// A Launcher that runs nothing: every start() finishes on the next event-loop turn
// (queued), successfully unless a script says otherwise. Used by benchmarks (dispatch
// overhead without processes) and engine tests (exact control over outcomes).
//
// Scripts are looked up by launch token first, then by key: the first argv element equal
// to a scripted key wins (argv[0] first, then the other elements in order), so a fan-out
// task run as ["check", "{{repo.name}}"] can fail for one repo only.

#include "engine/launcher.h"

#include <QHash>
#include <QList>
#include <QVector>

namespace signalbox::engine {

class NoopLauncher final : public Launcher {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoopLauncher)
public:
    struct Script {
        int exitCode = 0;  // exit code of the attempts that are not forced to fail
        int failFirst = 0; // the first N attempts (per argv + working dir) exit failExitCode
        int failExitCode = 1;
        QList<QByteArray> stdoutLines; // emitted (linesRead, stream 0) before the finish
        QList<QByteArray> stderrLines; // emitted (stream 1) before the finish
        bool hold = false;             // never finishes by itself: only cancel() or release()
        bool spawnFails = false;       // ends SpawnFailed with ENOENT
    };

    explicit NoopLauncher(int capacity = 0, QObject* parent = nullptr); // capacity <= 0: unlimited
    ~NoopLauncher() override;

    void setScript(const QString& key, const Script& script);
    // A script for one launch token (the engine numbers launches 1, 2, 3, ...); wins over
    // argv keys.
    void setScriptForToken(quint64 token, const Script& script);
    void clearScripts();

    int capacity() const override;
    void start(quint64 token, const LaunchSpec& spec) override;
    void cancel(quint64 token) override;

    // Finishes every held launch (Exited with the script's exit code).
    void releaseHeld();

    int started() const { return m_started; }         // start() calls so far
    int inFlight() const { return m_inFlight; }       // started and not finished
    int maxInFlight() const { return m_maxInFlight; } // the most in flight at once
    int held() const;
    // Specs of every start, in order (only kept when recording is on: benchmarks leave it off).
    void setRecording(bool on) { m_recording = on; }
    const QList<LaunchSpec>& history() const { return m_history; }

private:
    struct Pending {
        quint64 token = 0;
        bool scripted = false; // false = plain success
        Script script;         // a copy: scripts may change meanwhile
        bool fail = false;
        bool cancelled = false;
        qint64 startedAtMs = 0;
    };

    const Script* scriptFor(quint64 token, const LaunchSpec& spec) const;
    void scheduleDrain();
    void handleDrain();
    void finish(const Pending& pending, LaunchResult::End end, std::optional<int> exitCode,
                std::optional<int> signal);

    int m_capacity = 0;
    QHash<QString, Script> m_scripts;
    QHash<quint64, Script> m_tokenScripts;
    QHash<QString, int> m_attemptsByIdentity;
    QVector<Pending> m_queue; // finishing on the next turn
    QHash<quint64, Pending> m_held;
    bool m_drainPosted = false;
    int m_started = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    bool m_recording = false;
    QList<LaunchSpec> m_history;
};

} // namespace signalbox::engine
