#pragma once
// Keyset paging bookkeeping for a table model over a Backend query (the DB Browser for
// SQLite row-loader idea): at most one page in flight, answers to any older request
// dropped, and whether the server said another page exists.
//
// The model keeps its rows and builds its queries; the loader only remembers which
// ticket it is waiting for. A new filter calls reset(): whatever is in flight becomes
// stale, and the next request is a first page.

#include "backend/backend_types.h"

#include <functional>

namespace signalbox::ui {

class PagedLoader final {
public:
    // Forgets the page in flight (its answer will be ignored) and the "more" flag;
    // the next request starts at the first page.
    void reset();

    // A first page was not requested yet, or the last page said more exist, and no page
    // is in flight: what canFetchMore() of a model returns.
    bool canFetchMore() const;
    bool isLoading() const { return m_pending != 0; }
    bool hasMore() const { return m_more; }

    // Sends a request (the callback calls the backend and returns its ticket); the
    // loader waits for that ticket from now on.
    void request(const std::function<Ticket()>& send);

    // An answer arrived. True when it is the one the loader waits for; false for a stale
    // or unknown ticket (the model ignores it). Insert the page's rows *before* calling
    // it (check isPending() first): views and QAbstractItemModelTester call fetchMore
    // from inside beginInsertRows, and must see this page still in flight there, or they
    // ask for the same page again.
    bool accept(Ticket ticket, bool more);
    // A failure arrived: true when it was the ticket in flight (no more pages then,
    // until reset(): a failing query is not retried in a loop by fetchMore).
    bool fail(Ticket ticket);

    // The rows were replaced by another query (a refresh of the loaded range): nothing
    // in flight, and another page exists when `more`.
    void setLoaded(bool more);

    bool isPending(Ticket ticket) const { return ticket != 0 && ticket == m_pending; }

private:
    Ticket m_pending = 0;
    bool m_started = false;
    bool m_more = false;
};

} // namespace signalbox::ui
