#include "commands/command_registry.h"

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
        r.add(std::make_unique<ReposAddCommand>());
        r.add(std::make_unique<ReposListCommand>());
        r.add(std::make_unique<ReposRemoveCommand>());
        r.add(std::make_unique<ExecuteCommand>());
        return r;
    }();
    return registry;
}

} // namespace signalbox::cli
