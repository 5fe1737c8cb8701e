#include "widgets/engine_status_bar.h"

#include "backend/coalescer.h"
#include "widgets/status_colors.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace signalbox::ui {

EngineStatusBar::EngineStatusBar(Backend& backend, QStatusBar* bar)
    : QObject(bar)
    , m_backend(backend)
    , m_state(new QLabel(bar))
    , m_running(new QLabel(bar))
    , m_dlq(new QLabel(bar))
    , m_coalescer(new Coalescer([this] { refresh(); }, 100, this)) {
    setObjectName(QStringLiteral("engineStatusBar"));
    m_state->setObjectName(QStringLiteral("engineStateLabel"));
    m_running->setObjectName(QStringLiteral("runningTasksLabel"));
    m_dlq->setObjectName(QStringLiteral("dlqDepthLabel"));
    m_running->setToolTip(tr("Task instances running now"));
    m_dlq->setToolTip(tr("Dead letters waiting: pending and exhausted"));
    bar->addPermanentWidget(m_running);
    bar->addPermanentWidget(m_dlq);
    bar->addPermanentWidget(m_state);
    m_running->setText(tr("Running: –"));
    m_dlq->setText(tr("Dead letters: –"));

    connect(&backend, &Backend::stateChanged, this, &EngineStatusBar::handleStateChanged);
    connect(&backend, &Backend::overviewFetched, this, &EngineStatusBar::handleOverviewFetched);
    connect(&backend, &Backend::failed, this, [this](Ticket ticket, const QString&) {
        if (ticket == m_ticket)
            m_ticket = 0; // the message bar shows why; the next change event asks again
    });
    for (auto signal : {&Backend::deadLettersChanged, &Backend::poolsChanged})
        connect(&backend, signal, m_coalescer, &Coalescer::poke);
    connect(&backend, &Backend::runChanged, m_coalescer, &Coalescer::poke);
    connect(&backend, &Backend::instanceChanged, m_coalescer, &Coalescer::poke);
    handleStateChanged(backend.state(), QString());
}

QString EngineStatusBar::stateText(Backend::State state) {
    switch (state) {
    case Backend::State::Closed:
        return tr("Engine: closed");
    case Backend::State::Opening:
        return tr("Engine: opening…");
    case Backend::State::Ready:
        return tr("Engine: ready");
    case Backend::State::Failed:
        return tr("Engine: failed");
    }
    return QString();
}

void EngineStatusBar::handleStateChanged(Backend::State state, const QString& message) {
    m_state->setText(stateText(state));
    m_state->setToolTip(message.isEmpty() ? m_backend.description() : message);
    if (state == Backend::State::Ready)
        m_coalescer->flush();
}

void EngineStatusBar::refresh() {
    if (m_backend.state() != Backend::State::Ready)
        return;
    // Only the counters are wanted: a one-bucket window keeps the query small.
    OverviewQuery query;
    query.windowMs = 60'000;
    query.bucketMs = 60'000;
    query.latestFailures = 0;
    m_ticket = m_backend.fetchOverview(query);
}

void EngineStatusBar::handleOverviewFetched(Ticket ticket, const Overview& overview) {
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    m_runningTasks = overview.runningTasks;
    m_dlqDepth = overview.dlqPending + overview.dlqExhausted;
    const QLocale locale;
    m_running->setText(tr("Running: %1").arg(locale.toString(m_runningTasks)));
    m_dlq->setText(tr("Dead letters: %1").arg(locale.toString(m_dlqDepth)));
    m_hasSummary = true;
    Q_EMIT summaryUpdated(m_runningTasks, m_dlqDepth);
}

} // namespace signalbox::ui
