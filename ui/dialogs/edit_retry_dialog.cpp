#include "dialogs/edit_retry_dialog.h"

#include "dialogs/edit_retry_diff.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTextEdit>
#include <QVBoxLayout>

namespace signalbox::ui {

EditRetryDialog::EditRetryDialog(const dlq::DeadLetter& entry, QWidget* parent)
    : QDialog(parent)
    , m_entry(entry) {
    setObjectName(QStringLiteral("editRetryDialog"));
    setWindowTitle(tr("Edit and retry %1").arg(entry.id()));
    const dlq::LaunchRecipe& current = entry.recipe();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    auto* layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages, 1);

    auto* editor = new QWidget(m_pages);
    auto* form = new QFormLayout(editor);
    m_argv = new QPlainTextEdit(editor);
    m_argv->setObjectName(QStringLiteral("editRetryArgv"));
    m_argv->setFont(mono);
    m_argv->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_argv->setPlainText(current.argv.join(QLatin1Char('\n')));
    m_argv->setToolTip(tr("One argument per line; the first line is the program."));
    form->addRow(tr("Command (one argument per line):"), m_argv);

    auto* envBox = new QWidget(editor);
    auto* envLayout = new QVBoxLayout(envBox);
    envLayout->setContentsMargins(0, 0, 0, 0);
    m_env = new QTableWidget(0, 2, envBox);
    m_env->setObjectName(QStringLiteral("editRetryEnv"));
    m_env->setHorizontalHeaderLabels({tr("Variable"), tr("Value")});
    m_env->horizontalHeader()->setStretchLastSection(true);
    m_env->verticalHeader()->hide();
    for (auto it = current.env.cbegin(); it != current.env.cend(); ++it)
        addEnvRow(it.key(), it.value());
    envLayout->addWidget(m_env);
    auto* envButtons = new QHBoxLayout;
    auto* addEnv = new QPushButton(tr("Add variable"), envBox);
    addEnv->setObjectName(QStringLiteral("editRetryAddEnv"));
    auto* removeEnv = new QPushButton(tr("Remove variable"), envBox);
    removeEnv->setObjectName(QStringLiteral("editRetryRemoveEnv"));
    envButtons->addWidget(addEnv);
    envButtons->addWidget(removeEnv);
    envButtons->addStretch(1);
    envLayout->addLayout(envButtons);
    form->addRow(tr("Environment:"), envBox);

    m_workingDir = new QLineEdit(current.workingDir, editor);
    m_workingDir->setObjectName(QStringLiteral("editRetryWorkingDir"));
    form->addRow(tr("Working dir:"), m_workingDir);
    m_pool = new QLineEdit(current.pool, editor);
    m_pool->setObjectName(QStringLiteral("editRetryPool"));
    form->addRow(tr("Pool:"), m_pool);
    m_pages->addWidget(editor);

    auto* review = new QWidget(m_pages);
    auto* reviewLayout = new QVBoxLayout(review);
    reviewLayout->addWidget(
        new QLabel(tr("Retry %1 with these changes (original → edited):").arg(entry.id()), review));
    m_diff = new QTextEdit(review);
    m_diff->setObjectName(QStringLiteral("editRetryDiff"));
    m_diff->setReadOnly(true);
    m_diff->setFont(mono);
    reviewLayout->addWidget(m_diff, 1);
    m_pages->addWidget(review);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("editRetryError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d63b3b;"));
    layout->addWidget(m_error);

    auto* buttons = new QDialogButtonBox(this);
    m_back = buttons->addButton(tr("Back"), QDialogButtonBox::ResetRole);
    m_back->setObjectName(QStringLiteral("editRetryBack"));
    m_review = buttons->addButton(tr("Review changes…"), QDialogButtonBox::ActionRole);
    m_review->setObjectName(QStringLiteral("editRetryReview"));
    m_confirm = buttons->addButton(tr("Retry with changes"), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("editRetryConfirm"));
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_confirm, &QPushButton::clicked, this, [this] {
        if (m_problem.isEmpty())
            accept();
    });
    connect(m_review, &QPushButton::clicked, this, &EditRetryDialog::showReview);
    connect(m_back, &QPushButton::clicked, this, &EditRetryDialog::showEditor);
    connect(addEnv, &QPushButton::clicked, this, [this] {
        addEnvRow({}, {});
        m_env->setCurrentCell(m_env->rowCount() - 1, 0);
        m_env->editItem(m_env->item(m_env->rowCount() - 1, 0));
    });
    connect(removeEnv, &QPushButton::clicked, this, [this] {
        if (m_env->currentRow() >= 0)
            m_env->removeRow(m_env->currentRow());
        updateState();
    });
    connect(m_argv, &QPlainTextEdit::textChanged, this, &EditRetryDialog::updateState);
    connect(m_env, &QTableWidget::itemChanged, this, &EditRetryDialog::updateState);
    connect(m_workingDir, &QLineEdit::textChanged, this, &EditRetryDialog::updateState);
    connect(m_pool, &QLineEdit::textChanged, this, &EditRetryDialog::updateState);

    resize(640, 520);
    showEditor();
}

void EditRetryDialog::addEnvRow(const QString& name, const QString& value) {
    const int row = m_env->rowCount();
    m_env->insertRow(row);
    m_env->setItem(row, 0, new QTableWidgetItem(name));
    m_env->setItem(row, 1, new QTableWidgetItem(value));
}

dlq::LaunchRecipe EditRetryDialog::recipe() const {
    dlq::LaunchRecipe edited;
    edited.argv = m_argv->toPlainText().split(QLatin1Char('\n'));
    // A trailing newline is not an empty last argument.
    while (!edited.argv.isEmpty() && edited.argv.constLast().isEmpty())
        edited.argv.removeLast();
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QTableWidgetItem* name = m_env->item(row, 0);
        const QTableWidgetItem* value = m_env->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            edited.env.insert(name->text().trimmed(), value ? value->text() : QString());
    }
    edited.workingDir = m_workingDir->text().trimmed();
    edited.pool = m_pool->text().trimmed();
    return edited;
}

QString EditRetryDialog::envRowProblem() const {
    QSet<QString> seen;
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QTableWidgetItem* name = m_env->item(row, 0);
        const QString text = name ? name->text().trimmed() : QString();
        const QTableWidgetItem* value = m_env->item(row, 1);
        if (text.isEmpty() && value && !value->text().isEmpty())
            return tr("Environment row %1: the variable has a value but no name").arg(row + 1);
        if (!text.isEmpty() && seen.contains(text))
            return tr("Environment row %1: %2 is set twice").arg(row + 1).arg(text);
        seen.insert(text);
    }
    return {};
}

void EditRetryDialog::updateState() {
    const dlq::LaunchRecipe edited = recipe();
    m_problem = envRowProblem();
    if (m_problem.isEmpty())
        m_problem = editretry::checkRecipe(edited, m_entry.original);
    if (m_problem.isEmpty() && edited == m_entry.recipe())
        m_problem = tr("Nothing changed yet.");
    const bool reviewing = m_pages->currentIndex() == 1;
    m_error->setText(m_problem);
    m_review->setVisible(!reviewing);
    m_review->setEnabled(m_problem.isEmpty());
    m_back->setVisible(reviewing);
    m_confirm->setVisible(reviewing);
    m_confirm->setEnabled(reviewing && m_problem.isEmpty());
}

void EditRetryDialog::showReview() {
    updateState();
    if (!m_problem.isEmpty())
        return;
    m_diff->setHtml(editretry::diffHtml(
        editretry::diff(editretry::recipeLines(m_entry.recipe()), editretry::recipeLines(recipe()))));
    m_pages->setCurrentIndex(1);
    updateState();
    m_confirm->setDefault(true);
}

void EditRetryDialog::showEditor() {
    m_pages->setCurrentIndex(0);
    updateState();
    m_review->setDefault(true);
}

} // namespace signalbox::ui
