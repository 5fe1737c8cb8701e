#pragma once
// A bulk action (retry, archive, purge) over every dead letter matching a filter:
// 1. counts them first and says exactly what will happen ("Archive 1,234 dead letters
//    matching: status=exhausted, task=lint");
// 2. destructive actions (archive, purge) enable OK only once the count is typed;
// 3. starts a durable job (Backend::startDlqJob) and follows it with a progress bar that
//    can be paused, resumed and cancelled.
// Non-blocking (open(), not exec()): the job's progress arrives as backend signals.

#include "backend/backend.h"
#include "backend/coalescer.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace signalbox::ui {

class BulkActionDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkActionDialog)
public:
    BulkActionDialog(Backend& backend, dlq::BulkAction action, const dlq::DlqFilter& filter,
                     QWidget* parent = nullptr);

    enum class Stage { Counting, Confirming, Starting, Running, Finished, Failed };
    Stage stage() const { return m_stage; }
    dlq::BulkAction action() const { return m_action; }
    static bool isDestructive(dlq::BulkAction action);
    qint64 count() const { return m_count; }   // -1 until counted
    qint64 jobKey() const { return m_jobKey; } // 0 until started
    const dlq::BulkJob& job() const { return m_job; }

Q_SIGNALS:
    void jobStarted(qint64 jobKey);
    void jobFinished(const signalbox::dlq::BulkJob& job);
    void errorOccurred(const QString& message);

private:
    void handleCount(Ticket ticket, qint64 count);
    void handleCommand(Ticket ticket, const CommandResult& result);
    void handleJob(Ticket ticket, const dlq::BulkJob& job);
    void handleFailed(Ticket ticket, const QString& message);
    void start();
    void fail(const QString& message);
    void updateButtons();
    bool confirmationMatches() const;

    Backend& m_backend;
    dlq::BulkAction m_action;
    dlq::DlqFilter m_filter;
    Stage m_stage = Stage::Counting;
    qint64 m_count = -1;
    qint64 m_jobKey = 0;
    dlq::BulkJob m_job;
    Ticket m_countTicket = 0;
    Ticket m_startTicket = 0;
    Ticket m_jobTicket = 0;
    Ticket m_controlTicket = 0;
    Coalescer m_jobRefresh;

    QLabel* m_summary = nullptr;
    QLabel* m_confirmPrompt = nullptr;
    QLineEdit* m_confirmEdit = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_ok = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_cancelJob = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace signalbox::ui
