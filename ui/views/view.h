#pragma once
// A page of the main window (Overview, Runs, Pools, Dead Letters, Repositories, Logs,
// Settings). Each talks to the engine only through the Backend, and to the other views
// only through links: signalbox:// URLs the main window routes to the view that owns
// them (see navigate()).
//
// Links (ui/views/links.h builds them):
//   signalbox://runs/RUN_ID                 the run's detail
//   signalbox://runs/RUN_ID/INDEX           an instance of it (attempts, output)
//   signalbox://dlq/KEY                     a dead letter's detail
//   signalbox://logs/RUN_ID[/INDEX]         that output in the Logs view
//   signalbox://logs/engine                 the engine's own log
//   signalbox://pools/NAME, signalbox://repositories/NAME

#include <QAction>
#include <QList>
#include <QSettings>
#include <QString>
#include <QUrl>
#include <QWidget>

namespace signalbox::ui {

class Backend;

class View : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(View)
public:
    View(Backend& backend, QWidget* parent = nullptr)
        : QWidget(parent)
        , m_backend(backend) {}
    ~View() override = default;

    // Stable id ("overview", "runs", "pools", "dlq", "repositories", "logs", "settings"):
    // the URL host it owns, its QSettings group, its object name.
    virtual QString viewId() const = 0;
    virtual QString title() const = 0; // translated, for the sidebar and the palette

    // Actions the command palette lists (with their shortcuts) besides "Go to <title>".
    // Owned by the view; each has text and, when it has one, a shortcut.
    virtual QList<QAction*> paletteActions() { return {}; }

    // Filters, splitters, column widths: saved on quit, restored at start. The settings
    // object is already inside the view's group.
    virtual void saveState(QSettings& settings) const { Q_UNUSED(settings) }
    virtual void restoreState(QSettings& settings) { Q_UNUSED(settings) }

    // Shows what a link of this view's host points at (the window has made it current).
    virtual void navigate(const QUrl& link) { Q_UNUSED(link) }

    // The view became visible / hidden: a view may stop refreshing while hidden.
    virtual void activated() {}

Q_SIGNALS:
    // Asks the main window to show another view's link.
    void linkActivated(const QUrl& link);
    // A clear one-line error for the window's message bar (never only in a log).
    void errorOccurred(const QString& message);
    // A one-line status ("Retry started for 3 dead letters").
    void statusMessage(const QString& message);

protected:
    Backend& backend() const { return m_backend; }

private:
    Backend& m_backend;
};

} // namespace signalbox::ui
