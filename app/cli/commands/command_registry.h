#pragma once

#include "commands/command.h"

#include <memory>
#include <vector>

namespace signalbox::cli {

class CommandRegistry final {
public:
    void add(std::unique_ptr<Command> command);
    Command* find(const QString& name) const;
    // Commands whose name starts with "group " ("runs" -> runs list, runs show, ...).
    std::vector<Command*> group(const QString& group) const;
    std::vector<Command*> all() const;

private:
    std::vector<std::unique_ptr<Command>> m_commands;
};

// Every verb signalbox-cli knows. Registration lines live in command_registry.cpp.
CommandRegistry& builtinCommands();

} // namespace signalbox::cli
