#pragma once
// The Logs view's search row: a regular expression, previous / next, and "3 of 120".
// It only collects input and shows the count; the view runs the search.

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace signalbox::ui {

class LogSearchBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogSearchBar)
public:
    explicit LogSearchBar(QWidget* parent = nullptr);

    QString pattern() const;
    void setPattern(const QString& pattern);
    void focusSearch();
    // "3 of 120" (current is 0-based; -1 = none chosen yet); "120+" when truncated.
    void showCount(int current, int total, bool truncated);
    void showMessage(const QString& message); // "No matches", "Searching…", an error
    void clearCount();

Q_SIGNALS:
    void searchRequested(const QString& pattern);
    void nextRequested();
    void previousRequested();
    void cleared();

private:
    QLineEdit* m_edit = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QLabel* m_count = nullptr;
};

} // namespace signalbox::ui
