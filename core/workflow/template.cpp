#include "workflow/template.h"

#include "workflow/suggest.h"

namespace signalbox::workflow::detail {

namespace {

const QStringList& knownPlaceholders() {
    static const QStringList names = {QStringLiteral("repo.path"), QStringLiteral("repo.name"),
                                      QStringLiteral("run.id"), QStringLiteral("task.id"),
                                      QStringLiteral("params.NAME")};
    return names;
}

} // namespace

bool Template::usesRepo() const {
    for (const TemplatePart& part : parts) {
        if (part.kind == TemplatePart::Kind::RepoPath || part.kind == TemplatePart::Kind::RepoName)
            return true;
    }
    return false;
}

bool parseTemplate(const QString& text, const QStringList& paramNames, Template* out, QString* error) {
    out->parts.clear();
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(QLatin1StringView("{{"), pos);
        if (open < 0) {
            out->parts.append({TemplatePart::Kind::Literal, text.mid(pos), {}});
            break;
        }
        if (open > pos)
            out->parts.append({TemplatePart::Kind::Literal, text.mid(pos, open - pos), {}});
        const qsizetype close = text.indexOf(QLatin1StringView("}}"), open + 2);
        if (close < 0) {
            *error = QStringLiteral("unterminated placeholder '%1' (missing '}}')").arg(text.mid(open, 40));
            return false;
        }
        const QString original = text.mid(open, close + 2 - open);
        const QString expr = text.mid(open + 2, close - open - 2).trimmed();
        TemplatePart part;
        part.original = original;
        if (expr == QLatin1StringView("repo.path")) {
            part.kind = TemplatePart::Kind::RepoPath;
        } else if (expr == QLatin1StringView("repo.name")) {
            part.kind = TemplatePart::Kind::RepoName;
        } else if (expr == QLatin1StringView("run.id")) {
            part.kind = TemplatePart::Kind::RunId;
        } else if (expr == QLatin1StringView("task.id")) {
            part.kind = TemplatePart::Kind::TaskId;
        } else if (expr.startsWith(QLatin1StringView("params."))) {
            part.kind = TemplatePart::Kind::Param;
            part.text = expr.mid(7);
            if (!paramNames.contains(part.text)) {
                *error = QStringLiteral("unknown param '%1' in '%2'").arg(part.text, original)
                    + didYouMean(part.text, paramNames);
                return false;
            }
        } else {
            QStringList candidates = knownPlaceholders();
            candidates.removeLast();
            for (const QString& name : paramNames)
                candidates.append(QStringLiteral("params.") + name);
            *error = QStringLiteral("unknown placeholder '%1' (known: {{repo.path}}, {{repo.name}}, "
                                    "{{run.id}}, {{task.id}}, {{params.NAME}})")
                         .arg(original);
            const QString match = closestMatch(expr, candidates);
            if (!match.isEmpty())
                *error = QStringLiteral("unknown placeholder '%1' (did you mean '{{%2}}'?)").arg(original, match);
            return false;
        }
        out->parts.append(part);
        pos = close + 2;
    }
    return true;
}

QString renderTemplate(const Template& tmpl, const TemplateValues& values) {
    QString result;
    for (const TemplatePart& part : tmpl.parts) {
        switch (part.kind) {
        case TemplatePart::Kind::Literal: result += part.text; break;
        case TemplatePart::Kind::RepoPath: result += values.repoPath; break;
        case TemplatePart::Kind::RepoName: result += values.repoName; break;
        case TemplatePart::Kind::RunId: result += values.runId; break;
        case TemplatePart::Kind::TaskId: result += values.taskId; break;
        case TemplatePart::Kind::Param:
            if (values.params)
                result += values.params->value(part.text);
            break;
        }
    }
    return result;
}

} // namespace signalbox::workflow::detail
