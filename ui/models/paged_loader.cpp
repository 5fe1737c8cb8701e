#include "models/paged_loader.h"

namespace signalbox::ui {

void PagedLoader::reset() {
    m_pending = 0;
    m_started = false;
    m_more = false;
}

bool PagedLoader::canFetchMore() const {
    return m_pending == 0 && (!m_started || m_more);
}

void PagedLoader::request(const std::function<Ticket()>& send) {
    m_started = true;
    m_pending = send();
}

bool PagedLoader::accept(Ticket ticket, bool more) {
    if (!isPending(ticket))
        return false;
    m_pending = 0;
    m_more = more;
    return true;
}

void PagedLoader::setLoaded(bool more) {
    m_pending = 0;
    m_started = true;
    m_more = more;
}

bool PagedLoader::fail(Ticket ticket) {
    if (!isPending(ticket))
        return false;
    m_pending = 0;
    m_more = false;
    return true;
}

} // namespace signalbox::ui
