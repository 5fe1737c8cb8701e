#include "store/writer.h"

#include "store/sqlite_connection.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <spdlog/spdlog.h>

#ifdef __linux__
#include <pthread.h>
#endif

namespace signalbox::store {

Writer::Writer(std::unique_ptr<SqliteConnection> db, BatchHooks hooks, Limits limits)
    : m_db(std::move(db))
    , m_hooks(std::move(hooks))
    , m_limits(limits)
    , m_thread([this] { loop(); }) {}

Writer::~Writer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void Writer::enqueue(WriteOp op) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(op));
    }
    m_wake.notify_one();
}

bool Writer::runAndWait(std::function<bool(SqliteConnection&, QString*)> apply, QString* error) {
    bool ok = false;
    QString why;
    WriteOp op;
    op.apply = [&](SqliteConnection& db, QString* e) {
        ok = apply(db, e);
        if (!ok)
            why = *e;
        return ok;
    };
    op.logFailure = false;
    if (isWriterThread()) {
        // Called from a completion callback: the previous batch has committed and the next
        // has not begun, so this runs in a transaction of its own.
        std::deque<WriteOp> batch;
        batch.push_back(std::move(op));
        const bool outerCommitted = m_batchCommitted; // read by the rest of the outer batch's callbacks
        if (!applyBatch(batch) && ok) {
            ok = false;
            why = lastWriteError();
        }
        m_batchCommitted = outerCommitted;
    } else {
        std::promise<void> committed;
        auto future = committed.get_future();
        op.done = [&] {
            if (!m_batchCommitted && ok) {
                ok = false;
                why = lastWriteError();
            }
            committed.set_value();
        };
        enqueue(std::move(op));
        future.wait();
    }
    if (!ok && error)
        *error = why;
    return ok;
}

void Writer::sync() {
    if (isWriterThread()) {
        spdlog::warn("store: sync() called from a write completion callback; not waiting");
        return;
    }
    std::promise<void> committed;
    auto future = committed.get_future();
    enqueue(WriteOp{{}, [&committed] { committed.set_value(); }, 0});
    future.wait();
}

qint64 Writer::failedWrites() const {
    std::lock_guard lock(m_errorMutex);
    return m_failedWrites;
}

QString Writer::lastWriteError() const {
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void Writer::recordFailure(const QString& error) {
    spdlog::error("store: write failed in {}: {}", m_db->path().toStdString(), error.toStdString());
    std::lock_guard lock(m_errorMutex);
    ++m_failedWrites;
    m_lastError = error;
}

void Writer::loop() {
#ifdef __linux__
    pthread_setname_np(pthread_self(), "sb-store-write");
#endif
    std::deque<WriteOp> batch;
    // Deferred work waits until no write has arrived for kIdleDelay: a burst of writes is
    // never slowed by it, and it runs in small transactions once the burst is over.
    constexpr auto kIdleDelay = std::chrono::milliseconds(100);
    bool idlePending = bool(m_hooks.idle); // at start: whatever a killed process left
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            const auto wake = [this] { return m_stopping || !m_queue.empty(); };
            if (idlePending) {
                if (!m_wake.wait_for(lock, kIdleDelay, wake)) {
                    lock.unlock();
                    idlePending = runIdleWork();
                    continue;
                }
            } else {
                m_wake.wait(lock, wake);
            }
            if (m_queue.empty())
                return; // stopping and drained
            int ops = 0;
            qsizetype weight = 0;
            while (!m_queue.empty() && ops < m_limits.maxOps && weight < m_limits.maxWeight) {
                weight += m_queue.front().weight;
                ++ops;
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        applyBatch(batch);
        batch.clear();
        idlePending = bool(m_hooks.idle);
    }
}

bool Writer::runIdleWork() {
    bool more = false;
    std::deque<WriteOp> batch;
    batch.push_back(WriteOp{
        [this, &more](SqliteConnection& db, QString* error) { return m_hooks.idle(db, &more, error); },
        {},
        1,
        true});
    return applyBatch(batch) && more;
}

bool Writer::applyOne(WriteOp& op, QString* error) {
    if (!op.apply)
        return true;
    QString ignored;
    if (!m_db->exec("SAVEPOINT op", error))
        return false;
    if (op.apply(*m_db, error)) {
        m_db->exec("RELEASE op", &ignored);
        return true;
    }
    m_db->exec("ROLLBACK TO op", &ignored);
    m_db->exec("RELEASE op", &ignored);
    return false;
}

bool Writer::applyBatch(std::deque<WriteOp>& batch) {
    QString error;
    bool committed = true;
    const bool hasWork =
        std::any_of(batch.begin(), batch.end(), [](const WriteOp& op) { return bool(op.apply); });
    if (hasWork) {
        if (m_db->exec("BEGIN IMMEDIATE", &error)) {
            for (WriteOp& op : batch) {
                QString why;
                if (!applyOne(op, &why) && op.logFailure)
                    recordFailure(why);
            }
            QString hookError;
            if (m_hooks.beforeCommit && !m_hooks.beforeCommit(*m_db, &hookError)) {
                m_db->exec("ROLLBACK", nullptr);
                committed = false;
                recordFailure(QStringLiteral("%1 writes rolled back: %2").arg(batch.size()).arg(hookError));
            } else if (!m_db->exec("COMMIT", &error)) {
                m_db->exec("ROLLBACK", nullptr);
                committed = false;
                recordFailure(QStringLiteral("commit of %1 writes failed: %2").arg(batch.size()).arg(error));
            }
        } else {
            committed = false;
            recordFailure(QStringLiteral("cannot begin a transaction: %1").arg(error));
        }
        if (m_hooks.afterBatch)
            m_hooks.afterBatch(committed);
    }
    m_batchCommitted = committed;
    for (WriteOp& op : batch) {
        if (op.done)
            op.done();
    }
    return committed;
}

} // namespace signalbox::store
