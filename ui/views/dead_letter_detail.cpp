#include "views/dead_letter_detail.h"

#include "dlq/history.h"
#include "models/dlq_format.h"
#include "views/links.h"
#include "widgets/status_colors.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace signalbox::ui {

namespace {

QLabel* selectableLabel(const QString& objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

QTableWidget* readOnlyTable(const QString& objectName, const QStringList& headers, QWidget* parent) {
    auto* table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QString link(const QUrl& url, const QString& text) {
    return QStringLiteral("<a href=\"") + url.toString().toHtmlEscaped() + QStringLiteral("\">") +
           text.toHtmlEscaped() + QStringLiteral("</a>");
}

} // namespace

DeadLetterDetail::DeadLetterDetail(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("dlqDetail"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    m_placeholder = new QLabel(tr("Select a dead letter to see its details."), this);
    m_placeholder->setObjectName(QStringLiteral("dlqDetailPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    outer->addWidget(m_placeholder);

    m_body = new QWidget(this);
    outer->addWidget(m_body);
    auto* layout = new QVBoxLayout(m_body);
    layout->setContentsMargins(0, 0, 0, 0);

    m_title = selectableLabel(QStringLiteral("dlqDetailTitle"), m_body);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_status = new QLabel(m_body);
    m_status->setObjectName(QStringLiteral("dlqDetailStatus"));
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(m_status);
    titleRow->addWidget(m_title, 1);
    layout->addLayout(titleRow);

    m_links = new QLabel(m_body);
    m_links->setObjectName(QStringLiteral("dlqDetailLinks"));
    m_links->setTextFormat(Qt::RichText);
    m_links->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_links, &QLabel::linkActivated, this,
            [this](const QString& url) { Q_EMIT linkActivated(QUrl(url)); });
    layout->addWidget(m_links);

    auto* form = new QFormLayout;
    m_error = selectableLabel(QStringLiteral("dlqDetailError"), m_body);
    m_category = selectableLabel(QStringLiteral("dlqDetailCategory"), m_body);
    m_policy = selectableLabel(QStringLiteral("dlqDetailPolicy"), m_body);
    m_retries = selectableLabel(QStringLiteral("dlqDetailRetries"), m_body);
    m_nextRetry = selectableLabel(QStringLiteral("dlqDetailNextRetry"), m_body);
    m_enqueued = selectableLabel(QStringLiteral("dlqDetailEnqueued"), m_body);
    m_exit = selectableLabel(QStringLiteral("dlqDetailExit"), m_body);
    form->addRow(tr("Error:"), m_error);
    form->addRow(tr("Category:"), m_category);
    form->addRow(tr("Policy:"), m_policy);
    form->addRow(tr("Retries:"), m_retries);
    form->addRow(tr("Next retry:"), m_nextRetry);
    form->addRow(tr("Enqueued:"), m_enqueued);
    form->addRow(tr("Exit:"), m_exit);
    layout->addLayout(form);

    m_tabs = new QTabWidget(m_body);
    m_tabs->setObjectName(QStringLiteral("dlqDetailTabs"));
    layout->addWidget(m_tabs, 1);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    auto* commandPage = new QWidget(m_tabs);
    auto* commandLayout = new QVBoxLayout(commandPage);
    auto* commandForm = new QFormLayout;
    m_command = selectableLabel(QStringLiteral("dlqDetailCommand"), commandPage);
    m_command->setFont(mono);
    m_workingDir = selectableLabel(QStringLiteral("dlqDetailWorkingDir"), commandPage);
    m_pool = selectableLabel(QStringLiteral("dlqDetailPool"), commandPage);
    commandForm->addRow(tr("Command:"), m_command);
    commandForm->addRow(tr("Working dir:"), m_workingDir);
    commandForm->addRow(tr("Pool:"), m_pool);
    commandLayout->addLayout(commandForm);
    m_env = readOnlyTable(QStringLiteral("dlqDetailEnv"), {tr("Variable"), tr("Value")}, commandPage);
    commandLayout->addWidget(m_env, 1);
    m_tabs->addTab(commandPage, tr("Command"));

    m_history = readOnlyTable(QStringLiteral("dlqDetailHistory"),
                              {tr("When"), tr("Event"), tr("By"), tr("Detail")}, m_tabs);
    m_tabs->addTab(m_history, tr("History"));

    m_output = new QPlainTextEdit(m_tabs);
    m_output->setObjectName(QStringLiteral("dlqDetailOutput"));
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tabs->addTab(m_output, tr("Output"));

    m_body->hide();
}

void DeadLetterDetail::showPlaceholder(const QString& text) {
    m_entry.reset();
    m_placeholder->setText(text);
    m_body->hide();
    m_placeholder->show();
}

void DeadLetterDetail::showEntry(const dlq::DeadLetter& entry) {
    m_entry = entry;
    const QColor color = statusColor(entry.status);
    m_title->setText(entry.id() + QStringLiteral(" · ") + entry.workflow + QStringLiteral(" / ") +
                     entry.taskId + (entry.repo.isEmpty() ? QString() : QStringLiteral(" / ") + entry.repo));
    m_status->setText(dlq::toString(entry.status));
    m_status->setStyleSheet(
        QStringLiteral("background-color: %1; color: %2; padding: 1px 6px; border-radius: 3px;")
            .arg(color.name(), textOn(color).name()));

    m_links->setText(
        tr("Run %1 · %2 · %3")
            .arg(link(links::run(entry.runId), entry.runId),
                 link(links::instance(entry.runId, entry.index), tr("instance #%1").arg(entry.index)),
                 link(links::logs(entry.runId, entry.index), tr("logs"))));

    m_error->setText(entry.error);
    m_category->setText(toString(entry.category));
    m_policy->setText(dlq::toString(entry.policy));
    m_retries->setText(tr("%1 (%n failure(s) recorded) — %2", nullptr, entry.attempts)
                           .arg(dlqformat::attempts(entry), dlq::toString(entry.status)));
    const QString next = dlqformat::nextRetry(entry, QDateTime::currentMSecsSinceEpoch());
    m_nextRetry->setText(next.isEmpty() ? tr("none scheduled")
                                        : next + QStringLiteral(" (") +
                                              dlqformat::timestamp(*entry.nextRetryAtMs) + QLatin1Char(')'));
    m_enqueued->setText(dlqformat::timestamp(entry.enqueuedAtMs) + tr(", updated ") +
                        dlqformat::timestamp(entry.updatedAtMs));
    QString exitText;
    if (entry.exitCode)
        exitText = tr("exit code %1").arg(*entry.exitCode);
    if (entry.signal)
        exitText = tr("signal %1").arg(*entry.signal);
    m_exit->setText(exitText.isEmpty() ? QStringLiteral("—") : exitText);

    fillCommand(entry);
    fillHistory(entry);
    m_output->setPlainText(entry.outputTail);

    m_placeholder->hide();
    m_body->show();
}

void DeadLetterDetail::fillCommand(const dlq::DeadLetter& entry) {
    const dlq::LaunchRecipe& recipe = entry.recipe();
    QString command = dlqformat::shellCommand(recipe.argv);
    if (entry.edited)
        command += QLatin1Char('\n') +
                   tr("(edited; original: %1)").arg(dlqformat::shellCommand(entry.original.argv));
    m_command->setText(command);
    m_workingDir->setText(recipe.workingDir);
    m_pool->setText(recipe.pool);
    m_env->setRowCount(int(recipe.env.size()));
    int row = 0;
    for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it, ++row) {
        m_env->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_env->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
    m_env->resizeColumnToContents(0);
}

void DeadLetterDetail::fillHistory(const dlq::DeadLetter& entry) {
    const QList<dlq::HistoryEvent> events = dlq::parseHistory(entry.historyJson);
    m_history->setRowCount(int(events.size()));
    for (int row = 0; row < events.size(); ++row) {
        const dlq::HistoryEvent& event = events.at(row);
        QString detail = event.detail;
        if (event.exitCode)
            detail +=
                (detail.isEmpty() ? QString() : QStringLiteral(" ")) + tr("(exit %1)").arg(*event.exitCode);
        if (event.recipe)
            detail += (detail.isEmpty() ? QString() : QStringLiteral(" ")) +
                      dlqformat::shellCommand(event.recipe->argv);
        if (!event.runStatus.isEmpty())
            detail +=
                (detail.isEmpty() ? QString() : QStringLiteral(" ")) + tr("run %1").arg(event.runStatus);
        m_history->setItem(row, 0, new QTableWidgetItem(dlqformat::timestamp(event.atMs)));
        m_history->setItem(row, 1, new QTableWidgetItem(event.event));
        m_history->setItem(row, 2, new QTableWidgetItem(event.actor));
        auto* detailItem = new QTableWidgetItem(detail);
        detailItem->setToolTip(detail);
        m_history->setItem(row, 3, detailItem);
    }
    m_history->resizeColumnsToContents();
}

} // namespace signalbox::ui
