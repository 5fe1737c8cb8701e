#include "commands/validate_command.h"

#include "workflow/parser.h"

#include <QJsonArray>
#include <QJsonObject>

namespace signalbox::cli {

QString ValidateCommand::description() const {
    return QStringLiteral(
        "Errors are printed on stderr as FILE:LINE:COL: error: MESSAGE, all of them,\n"
        "for all files. Exit 0 when every file is valid, 2 otherwise.\n"
        "With --json, stdout gets [{\"file\", \"valid\", \"errors\": [\"FILE:LINE:COL: error: ...\"]}].");
}

int ValidateCommand::execute(CliContext& context, const ParsedArgs& args) {
    bool allValid = true;
    QJsonArray results;
    for (const QString& file : args.positional()) {
        const workflow::ParseResult result = workflow::parseWorkflowFile(file, file);
        const bool valid = result.ok();
        allValid = allValid && valid;
        QJsonArray errors;
        for (const workflow::Diagnostic& diagnostic : result.diagnostics) {
            const QString line = diagnostic.format();
            // Whole-file problems (missing, unreadable) are tool errors; the rest are
            // FILE:LINE:COL diagnostics as workflow.md shows them.
            if (diagnostic.line <= 0)
                context.fail(kExitBadInput, diagnostic.file + QStringLiteral(": ") + diagnostic.message);
            else
                context.note(line);
            errors.append(line);
        }
        if (!valid && result.diagnostics.isEmpty()) {
            const QString line = file + QStringLiteral(": error: invalid workflow");
            context.note(line);
            errors.append(line);
        }
        results.append(QJsonObject{{QStringLiteral("file"), file},
                                   {QStringLiteral("valid"), valid},
                                   {QStringLiteral("errors"), errors}});
        if (!context.json() && valid)
            context.print(QStringLiteral("%1: valid (workflow '%2', %3 task(s))")
                              .arg(file, result.workflow->name)
                              .arg(result.workflow->tasks.size()));
    }
    if (context.json())
        context.printJson(results);
    return allValid ? kExitOk : kExitBadInput;
}

} // namespace signalbox::cli
