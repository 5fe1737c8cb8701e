#include "dialogs/edit_retry_diff.h"

#include "dlq/recipe_validation.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <vector>

namespace signalbox::ui::editretry {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("signalbox::ui::editretry", text);
}
} // namespace

QStringList recipeLines(const dlq::LaunchRecipe& recipe) {
    QStringList lines;
    for (int i = 0; i < recipe.argv.size(); ++i)
        lines << QStringLiteral("argv[%1]: %2").arg(i).arg(recipe.argv.at(i));
    for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it)
        lines << QStringLiteral("env %1=%2").arg(it.key(), it.value());
    lines << QStringLiteral("working_dir: ") + recipe.workingDir;
    lines << QStringLiteral("pool: ") + recipe.pool;
    return lines;
}

QList<DiffLine> diff(const QStringList& before, const QStringList& after) {
    const qsizetype n = before.size();
    const qsizetype m = after.size();
    // lcs[i][j]: length of the longest common subsequence of before[i..] and after[j..].
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            lcs[size_t(i)][size_t(j)] = before.at(i) == after.at(j) ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                                                    : std::max(lcs[size_t(i + 1)][size_t(j)],
                                                                               lcs[size_t(i)][size_t(j + 1)]);
        }
    }
    QList<DiffLine> lines;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && before.at(i) == after.at(j)) {
            lines.append({DiffLine::Kind::Same, before.at(i)});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)])) {
            // On a tie the old line goes first: "- old" then "+ new" reads as a change.
            lines.append({DiffLine::Kind::Removed, before.at(i)});
            ++i;
        } else {
            lines.append({DiffLine::Kind::Added, after.at(j)});
            ++j;
        }
    }
    return lines;
}

QString diffHtml(const QList<DiffLine>& lines) {
    QString html = QStringLiteral("<pre style=\"margin:0\">");
    for (const DiffLine& line : lines) {
        const QString text = line.text.toHtmlEscaped();
        switch (line.kind) {
        case DiffLine::Kind::Same:
            html += QStringLiteral("  ") + text;
            break;
        case DiffLine::Kind::Removed:
            html += QStringLiteral("<span style=\"background-color:#f6d5d5;color:#8a1f1f\">- ") + text +
                    QStringLiteral("</span>");
            break;
        case DiffLine::Kind::Added:
            html += QStringLiteral("<span style=\"background-color:#d5f0dc;color:#1c5e33\">+ ") + text +
                    QStringLiteral("</span>");
            break;
        }
        html += QLatin1Char('\n');
    }
    html += QStringLiteral("</pre>");
    return html;
}

QString checkRecipe(const dlq::LaunchRecipe& edited, const dlq::LaunchRecipe& original) {
    if (edited.argv.isEmpty())
        return tr("Command: at least one argument (the program) is needed");
    for (int i = 0; i < edited.argv.size(); ++i) {
        if (i == 0 && edited.argv.at(0).isEmpty())
            return tr("Command line 1: the program is empty");
        if (edited.argv.at(i).contains(QChar(0)))
            return tr("Command line %1: contains a NUL character").arg(i + 1);
    }
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    int row = 0;
    for (auto it = edited.env.cbegin(); it != edited.env.cend(); ++it) {
        ++row;
        if (!name.match(it.key()).hasMatch())
            return tr("Environment row %1: \"%2\" is not a valid variable name").arg(row).arg(it.key());
        if (dlq::isReservedEnvName(it.key()) &&
            !(original.env.contains(it.key()) && original.env.value(it.key()) == it.value()))
            return tr("Environment row %1: %2 is set by the engine and cannot be changed")
                .arg(row)
                .arg(it.key());
    }
    if (edited.workingDir.isEmpty())
        return tr("Working dir: empty");
    if (!edited.workingDir.startsWith(QLatin1Char('/')) &&
        !(edited.workingDir.size() > 2 && edited.workingDir.at(1) == QLatin1Char(':')))
        return tr("Working dir: must be an absolute path");
    if (edited.pool.isEmpty())
        return tr("Pool: empty");
    return {};
}

} // namespace signalbox::ui::editretry
