// `needs:` forms a DAG: known ids, no self references, no cycles (named a -> b -> a).
#include "workflow/readers.h"

#include "workflow/string_hash.h"
#include "workflow/suggest.h"

#include <QHash>
#include <unordered_map>
#include <vector>

namespace signalbox::workflow::detail {

namespace {

struct Edge {
    int to = 0;
    SourcePos pos; // the needs entry
};

class CycleFinder final {
public:
    CycleFinder(Checker& checker, const QList<TaskSource>& tasks, const std::vector<std::vector<Edge>>& edges)
        : m_checker(checker), m_tasks(tasks), m_edges(edges), m_state(tasks.size(), State::New) {}

    void run() {
        for (int i = 0; i < int(m_tasks.size()); ++i) {
            if (m_state[i] == State::New)
                visit(i);
        }
    }

private:
    enum class State { New, OnStack, Done };

    void visit(int node) {
        m_state[node] = State::OnStack;
        m_stack.push_back(node);
        for (const Edge& edge : m_edges[node]) {
            if (m_state[edge.to] == State::OnStack) {
                report(edge);
            } else if (m_state[edge.to] == State::New) {
                visit(edge.to);
            }
        }
        m_stack.pop_back();
        m_state[node] = State::Done;
    }

    void report(const Edge& closing) {
        QStringList names;
        bool inCycle = false;
        for (int n : m_stack) {
            inCycle = inCycle || n == closing.to;
            if (inCycle)
                names.append(m_tasks.at(n).spec.id);
        }
        names.append(m_tasks.at(closing.to).spec.id);
        m_checker.error(closing.pos, QStringLiteral("dependency cycle: %1").arg(names.join(QStringLiteral(" -> "))));
    }

    Checker& m_checker;
    const QList<TaskSource>& m_tasks;
    const std::vector<std::vector<Edge>>& m_edges;
    std::vector<State> m_state;
    std::vector<int> m_stack;
};

} // namespace

void checkDependencies(Checker& checker, const QList<TaskSource>& tasks) {
    std::unordered_map<QString, int, StringHash> index;
    index.reserve(tasks.size());
    QStringList ids;
    for (int i = 0; i < int(tasks.size()); ++i) {
        if (tasks.at(i).hasId && index.try_emplace(tasks.at(i).spec.id, i).second)
            ids.append(tasks.at(i).spec.id);
    }
    std::vector<std::vector<Edge>> edges(tasks.size());
    for (int i = 0; i < int(tasks.size()); ++i) {
        const TaskSource& task = tasks.at(i);
        if (!task.hasId)
            continue;
        QStringList listed;
        for (qsizetype n = 0; n < task.spec.needs.size(); ++n) {
            const QString& need = task.spec.needs.at(n);
            const SourcePos pos = task.needsPos.at(n);
            if (need == task.spec.id) {
                checker.error(pos, QStringLiteral("task '%1' needs itself").arg(task.spec.id));
            } else if (const auto found = index.find(need); found == index.end()) {
                QStringList others = ids;
                others.removeAll(task.spec.id);
                checker.error(pos, QStringLiteral("task '%1' needs unknown task '%2'").arg(task.spec.id, need)
                                       + didYouMean(need, others));
            } else if (listed.contains(need)) {
                checker.error(pos, QStringLiteral("task '%1' lists '%2' more than once in 'needs'").arg(task.spec.id, need));
            } else if (found->second != i) { // a duplicate id pointing at itself is reported elsewhere
                edges[i].push_back(Edge{found->second, pos});
            }
            listed.append(need);
        }
    }
    CycleFinder(checker, tasks, edges).run();
}

} // namespace signalbox::workflow::detail
