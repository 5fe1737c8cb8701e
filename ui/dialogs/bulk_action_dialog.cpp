#include "dialogs/bulk_action_dialog.h"

#include "models/dlq_format.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

namespace signalbox::ui {

BulkActionDialog::BulkActionDialog(Backend& backend, dlq::BulkAction action, const dlq::DlqFilter& filter,
                                   QWidget* parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_action(action)
    , m_filter(filter)
    , m_jobRefresh([this] { m_jobTicket = m_backend.fetchDlqJob(m_jobKey); }, 100) {
    setObjectName(QStringLiteral("bulkActionDialog"));
    setWindowTitle(tr("%1 dead letters").arg(dlqformat::actionVerb(action)));
    setAttribute(Qt::WA_DeleteOnClose);

    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(
        tr("Counting the dead letters matching: %1…").arg(dlqformat::describeFilter(filter)), this);
    m_summary->setObjectName(QStringLiteral("bulkSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_confirmPrompt = new QLabel(this);
    m_confirmPrompt->setObjectName(QStringLiteral("bulkConfirmPrompt"));
    m_confirmPrompt->setWordWrap(true);
    layout->addWidget(m_confirmPrompt);
    m_confirmEdit = new QLineEdit(this);
    m_confirmEdit->setObjectName(QStringLiteral("bulkConfirmEdit"));
    layout->addWidget(m_confirmEdit);
    m_confirmPrompt->setVisible(false);
    m_confirmEdit->setVisible(false);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_progressText = new QLabel(this);
    m_progressText->setObjectName(QStringLiteral("bulkProgressText"));
    layout->addWidget(m_progressText);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("bulkError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d63b3b;"));
    layout->addWidget(m_error);

    auto* buttons = new QDialogButtonBox(this);
    m_ok = buttons->addButton(dlqformat::actionVerb(action), QDialogButtonBox::AcceptRole);
    m_ok->setObjectName(QStringLiteral("bulkOk"));
    m_pause = buttons->addButton(tr("Pause"), QDialogButtonBox::ActionRole);
    m_pause->setObjectName(QStringLiteral("bulkPause"));
    m_cancelJob = buttons->addButton(tr("Cancel job"), QDialogButtonBox::DestructiveRole);
    m_cancelJob->setObjectName(QStringLiteral("bulkCancelJob"));
    m_close = buttons->addButton(QDialogButtonBox::Cancel);
    m_close->setObjectName(QStringLiteral("bulkClose"));
    layout->addWidget(buttons);

    connect(m_ok, &QPushButton::clicked, this, &BulkActionDialog::start);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_jobKey == 0)
            return;
        m_controlTicket = m_job.state == dlq::JobState::Paused ? m_backend.resumeDlqJob(m_jobKey)
                                                               : m_backend.pauseDlqJob(m_jobKey);
    });
    connect(m_cancelJob, &QPushButton::clicked, this, [this] {
        if (m_jobKey != 0)
            m_controlTicket = m_backend.cancelDlqJob(m_jobKey);
    });
    connect(m_confirmEdit, &QLineEdit::textChanged, this, &BulkActionDialog::updateButtons);
    connect(m_confirmEdit, &QLineEdit::returnPressed, this, [this] {
        if (m_ok->isEnabled())
            start();
    });

    connect(&m_backend, &Backend::deadLetterCountFetched, this, &BulkActionDialog::handleCount);
    connect(&m_backend, &Backend::commandFinished, this, &BulkActionDialog::handleCommand);
    connect(&m_backend, &Backend::dlqJobFetched, this, &BulkActionDialog::handleJob);
    connect(&m_backend, &Backend::failed, this, &BulkActionDialog::handleFailed);
    connect(&m_backend, &Backend::dlqJobChanged, this, [this](qint64 jobKey) {
        if (m_jobKey != 0 && jobKey == m_jobKey)
            m_jobRefresh.poke();
    });

    m_countTicket = m_backend.countDeadLetters(m_filter);
    updateButtons();
    resize(520, sizeHint().height());
}

bool BulkActionDialog::isDestructive(dlq::BulkAction action) {
    return action == dlq::BulkAction::Archive || action == dlq::BulkAction::Purge;
}

bool BulkActionDialog::confirmationMatches() const {
    const QString typed = m_confirmEdit->text().trimmed();
    return !typed.isEmpty() && (typed == QString::number(m_count) || typed == dlqformat::count(m_count) ||
                                typed == QLocale::c().toString(m_count));
}

void BulkActionDialog::handleCount(Ticket ticket, qint64 count) {
    if (ticket != m_countTicket || m_stage != Stage::Counting)
        return;
    m_countTicket = 0;
    m_count = count;
    m_stage = Stage::Confirming;
    const QString verb = dlqformat::actionVerb(m_action);
    m_summary->setText(tr("%1 %2 matching: %3")
                           .arg(verb, dlqformat::entryCount(count), dlqformat::describeFilter(m_filter)));
    if (count == 0) {
        m_error->setText(tr("Nothing to do: no dead letter matches."));
    } else if (isDestructive(m_action)) {
        m_confirmPrompt->setText(
            tr("This cannot be undone from here. Type %1 to confirm.").arg(QString::number(count)));
        m_confirmPrompt->setVisible(true);
        m_confirmEdit->setVisible(true);
        m_confirmEdit->setPlaceholderText(QString::number(count));
        m_confirmEdit->setFocus();
    }
    updateButtons();
}

void BulkActionDialog::start() {
    if (m_stage != Stage::Confirming || !m_ok->isEnabled())
        return;
    m_stage = Stage::Starting;
    m_confirmEdit->setEnabled(false);
    m_progress->setVisible(true);
    m_progressText->setText(tr("Starting…"));
    m_startTicket = m_backend.startDlqJob(m_action, m_filter);
    updateButtons();
}

void BulkActionDialog::handleCommand(Ticket ticket, const CommandResult& result) {
    if (ticket == 0)
        return;
    if (ticket == m_controlTicket) {
        m_controlTicket = 0;
        if (!result.ok)
            fail(result.message);
        else
            m_jobRefresh.poke();
        return;
    }
    if (ticket != m_startTicket)
        return;
    m_startTicket = 0;
    const std::optional<qint64> key = dlq::jobKeyFromId(result.id);
    if (!result.ok || !key) {
        fail(result.message.isEmpty() ? tr("The job did not start.") : result.message);
        return;
    }
    m_jobKey = *key;
    m_stage = Stage::Running;
    m_progressText->setText(tr("Job %1 started.").arg(result.id));
    Q_EMIT jobStarted(m_jobKey);
    m_jobRefresh.flush();
    updateButtons();
}

void BulkActionDialog::handleJob(Ticket ticket, const dlq::BulkJob& job) {
    if (ticket == 0 || ticket != m_jobTicket)
        return;
    m_jobTicket = 0;
    if (job.key != m_jobKey || m_stage == Stage::Finished)
        return;
    m_job = job;
    const int total = int(std::min<qint64>(job.total, std::numeric_limits<int>::max()));
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(int(std::min<qint64>(job.done, total)));
    m_progressText->setText(tr("%1 of %2 done (%3 succeeded, %4 failed) — %5")
                                .arg(dlqformat::count(job.done), dlqformat::count(job.total),
                                     dlqformat::count(job.succeeded), dlqformat::count(job.failed),
                                     dlq::toString(job.state)));
    if (dlq::isFinished(job.state)) {
        m_stage = Stage::Finished;
        if (job.total == 0)
            m_progress->setValue(m_progress->maximum());
        Q_EMIT jobFinished(job);
    }
    updateButtons();
}

void BulkActionDialog::handleFailed(Ticket ticket, const QString& message) {
    if (ticket == 0)
        return;
    if (ticket == m_countTicket || ticket == m_startTicket || ticket == m_controlTicket) {
        fail(message);
    } else if (ticket == m_jobTicket) {
        // One lost progress read is not the end of the job: the next change asks again.
        m_jobTicket = 0;
        m_error->setText(message);
    }
}

void BulkActionDialog::fail(const QString& message) {
    m_countTicket = 0;
    m_startTicket = 0;
    m_controlTicket = 0;
    if (m_stage != Stage::Running)
        m_stage = Stage::Failed;
    m_error->setText(message);
    Q_EMIT errorOccurred(message);
    updateButtons();
}

void BulkActionDialog::updateButtons() {
    const bool confirming = m_stage == Stage::Confirming;
    m_ok->setVisible(m_stage == Stage::Counting || confirming);
    m_ok->setEnabled(confirming && m_count > 0 && (!isDestructive(m_action) || confirmationMatches()));
    const bool running = m_stage == Stage::Running;
    m_pause->setVisible(running);
    m_cancelJob->setVisible(running);
    m_pause->setText(m_job.state == dlq::JobState::Paused ? tr("Resume") : tr("Pause"));
    const bool done = m_stage == Stage::Finished || m_stage == Stage::Failed;
    m_close->setText(done ? tr("Close") : running ? tr("Hide") : tr("Cancel"));
    m_close->setToolTip(running ? tr("The job continues in the background.") : QString());
}

} // namespace signalbox::ui
