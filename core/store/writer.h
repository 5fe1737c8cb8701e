#pragma once
// The one writer thread: a queue of write operations applied in queue order. Each turn it
// takes everything queued (up to a cap), applies it in ONE transaction, commits, then runs
// the completion callbacks of that batch in order, on the writer thread.

#include <QString>
#include <QtGlobal>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace signalbox::store {

class SqliteConnection;

struct WriteOp {
    // Applied inside the batch transaction, under its own savepoint: returning false
    // (with *error set) undoes this operation only, and the rest of the batch commits.
    std::function<bool(SqliteConnection& db, QString* error)> apply;
    // Runs after the batch committed (also after a failed apply, which is logged).
    std::function<void()> done;
    // Log lines count one per line toward the batch cap.
    qsizetype weight = 1;
    // False for operations whose caller receives the error itself (runAndWait).
    bool logFailure = true;
};

struct WriterLimits {
    int maxOps = 10'000;           // operations per transaction
    qsizetype maxWeight = 200'000; // log lines (weight) per transaction
};

class Writer final {
public:
    using Limits = WriterLimits;

    struct BatchHooks {
        // Once per batch, after its operations, before COMMIT (inside the transaction);
        // false + error rolls the whole batch back.
        std::function<bool(SqliteConnection& db, QString* error)> beforeCommit;
        // Once per batch, after COMMIT or ROLLBACK, before the callbacks.
        std::function<void(bool committed)> afterBatch;
        // Deferred work (the dead letter inbox), run in its own transaction once no write
        // has been queued for a moment, again while it sets *more and nothing was queued.
        std::function<bool(SqliteConnection& db, bool* more, QString* error)> idle;
    };

    // Takes the open, migrated connection and starts the thread.
    explicit Writer(std::unique_ptr<SqliteConnection> db, BatchHooks hooks = {}, Limits limits = {});
    ~Writer(); // applies and commits everything queued, then stops the thread
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void enqueue(WriteOp op);
    // Queues op and blocks until its batch committed; returns what apply returned.
    // Called from the writer thread itself (inside a callback), it runs op at once in its
    // own transaction instead of deadlocking.
    bool runAndWait(std::function<bool(SqliteConnection& db, QString* error)> apply, QString* error);
    // Blocks until everything queued before the call has committed. A no-op (with a warning)
    // when called from a completion callback, which cannot wait for its own thread.
    void sync();

    bool isWriterThread() const { return std::this_thread::get_id() == m_thread.get_id(); }
    qint64 failedWrites() const;
    QString lastWriteError() const;

private:
    void loop();
    // Applies and commits batch, then runs its callbacks; returns whether it committed.
    bool applyBatch(std::deque<WriteOp>& batch);
    bool applyOne(WriteOp& op, QString* error);
    bool runIdleWork(); // one transaction of deferred work; true when more is left
    void recordFailure(const QString& error);

    std::unique_ptr<SqliteConnection> m_db;
    BatchHooks m_hooks;
    Limits m_limits;
    bool m_batchCommitted = false; // writer thread only: read by callbacks of the batch

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<WriteOp> m_queue;
    bool m_stopping = false;

    mutable std::mutex m_errorMutex;
    qint64 m_failedWrites = 0;
    QString m_lastError;

    std::thread m_thread; // last: starts after everything above is initialised
};

} // namespace signalbox::store
