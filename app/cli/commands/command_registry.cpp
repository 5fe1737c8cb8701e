#include "commands/command_registry.h"

#include "commands/dlq_archive_command.h"
#include "commands/dlq_audit_command.h"
#include "commands/dlq_edit_command.h"
#include "commands/dlq_enqueue_command.h"
#include "commands/dlq_jobs_command.h"
#include "commands/dlq_list_command.h"
#include "commands/dlq_process_command.h"
#include "commands/dlq_purge_command.h"
#include "commands/dlq_retry_command.h"
#include "commands/dlq_settings_command.h"
#include "commands/dlq_show_command.h"
#include "commands/dlq_stats_command.h"
#include "commands/execute_command.h"
#include "commands/repos_add_command.h"
#include "commands/repos_list_command.h"
#include "commands/repos_remove_command.h"
#include "commands/run_command.h"
#include "commands/runs_cancel_command.h"
#include "commands/runs_list_command.h"
#include "commands/runs_logs_command.h"
#include "commands/runs_resume_command.h"
#include "commands/runs_show_command.h"
#include "commands/validate_command.h"

namespace signalbox::cli {

void CommandRegistry::add(std::unique_ptr<Command> command) {
    m_commands.push_back(std::move(command));
}

Command* CommandRegistry::find(const QString& name) const {
    for (const auto& command : m_commands) {
        if (command->name() == name)
            return command.get();
    }
    return nullptr;
}

std::vector<Command*> CommandRegistry::group(const QString& group) const {
    std::vector<Command*> result;
    const QString prefix = group + u' ';
    for (const auto& command : m_commands) {
        if (command->name().startsWith(prefix))
            result.push_back(command.get());
    }
    return result;
}

std::vector<Command*> CommandRegistry::all() const {
    std::vector<Command*> result;
    for (const auto& command : m_commands)
        result.push_back(command.get());
    return result;
}

CommandRegistry& builtinCommands() {
    static CommandRegistry registry = [] {
        CommandRegistry r;
        r.add(std::make_unique<ValidateCommand>());
        r.add(std::make_unique<RunCommand>());
        r.add(std::make_unique<RunsListCommand>());
        r.add(std::make_unique<RunsShowCommand>());
        r.add(std::make_unique<RunsLogsCommand>());
        r.add(std::make_unique<RunsCancelCommand>());
        r.add(std::make_unique<RunsResumeCommand>());
        r.add(std::make_unique<DlqListCommand>());
        r.add(std::make_unique<DlqShowCommand>());
        r.add(std::make_unique<DlqRetryCommand>());
        r.add(std::make_unique<DlqArchiveCommand>());
        r.add(std::make_unique<DlqPurgeCommand>());
        r.add(std::make_unique<DlqStatsCommand>());
        r.add(std::make_unique<DlqEditCommand>());
        r.add(std::make_unique<DlqEnqueueCommand>());
        r.add(std::make_unique<DlqJobsCommand>());
        r.add(std::make_unique<DlqJobCommand>());
        r.add(std::make_unique<DlqAuditCommand>());
        r.add(std::make_unique<DlqSettingsCommand>());
        r.add(std::make_unique<DlqProcessCommand>());
        r.add(std::make_unique<ReposAddCommand>());
        r.add(std::make_unique<ReposListCommand>());
        r.add(std::make_unique<ReposRemoveCommand>());
        r.add(std::make_unique<ExecuteCommand>());
        return r;
    }();
    return registry;
}

} // namespace signalbox::cli
