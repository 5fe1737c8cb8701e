#include "widgets/log_search_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace signalbox::ui {

LogSearchBar::LogSearchBar(QWidget* parent)
    : QWidget(parent) {
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_edit->setPlaceholderText(tr("Search (regular expression), Enter to find"));
    m_edit->setClearButtonEnabled(true);
    m_previous = new QToolButton(this);
    m_previous->setObjectName(QStringLiteral("searchPreviousButton"));
    m_previous->setText(tr("Previous"));
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_next = new QToolButton(this);
    m_next->setObjectName(QStringLiteral("searchNextButton"));
    m_next->setText(tr("Next"));
    m_next->setToolTip(tr("Next match (F3)"));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("searchCountLabel"));
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(QStringLiteral("100000 of 100000+")));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_count);

    // Enter on the same pattern moves on, as in a browser's find bar.
    connect(m_edit, &QLineEdit::returnPressed, this, [this] { Q_EMIT searchRequested(pattern()); });
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty()) {
            clearCount();
            Q_EMIT cleared();
        }
    });
    connect(m_previous, &QToolButton::clicked, this, &LogSearchBar::previousRequested);
    connect(m_next, &QToolButton::clicked, this, &LogSearchBar::nextRequested);
}

QString LogSearchBar::pattern() const { return m_edit->text(); }

void LogSearchBar::setPattern(const QString& pattern) { m_edit->setText(pattern); }

void LogSearchBar::focusSearch() {
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void LogSearchBar::showCount(int current, int total, bool truncated) {
    if (total == 0) {
        m_count->setText(tr("No matches"));
        return;
    }
    const QString totalText = truncated ? tr("%1+").arg(total) : QString::number(total);
    m_count->setText(current < 0 ? tr("%1 matches").arg(totalText) : tr("%1 of %2").arg(current + 1).arg(totalText));
}

void LogSearchBar::showMessage(const QString& message) { m_count->setText(message); }

void LogSearchBar::clearCount() { m_count->clear(); }

} // namespace signalbox::ui
