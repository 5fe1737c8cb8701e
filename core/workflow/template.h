#pragma once
// {{...}} placeholders in run/working_dir/env strings: parsing, checking, substitution.
// Substitution is a single pass: substituted values are never scanned again.

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace signalbox::workflow::detail {

struct TemplatePart {
    enum class Kind { Literal, RepoPath, RepoName, RunId, TaskId, Param };
    Kind kind = Kind::Literal;
    QString text;      // Literal: the text; Param: the param name
    QString original;  // placeholder as written, e.g. "{{ params.branch }}"
};

struct Template {
    QList<TemplatePart> parts;
    bool usesRepo() const;
    bool isLiteral() const { return parts.isEmpty() || (parts.size() == 1 && parts.front().kind == TemplatePart::Kind::Literal); }
};

struct TemplateValues {
    QString repoPath;
    QString repoName;
    QString runId;
    QString taskId;
    const QMap<QString, QString>* params = nullptr;
};

// Splits text into literal parts and placeholders. Returns false with error set on a
// malformed or unknown placeholder; paramNames are the declared params (for checking).
bool parseTemplate(const QString& text, const QStringList& paramNames, Template* out, QString* error);

// Substitutes values into a parsed template.
QString renderTemplate(const Template& tmpl, const TemplateValues& values);

} // namespace signalbox::workflow::detail
