#pragma once
// Adds a folder to the repository catalog, or edits a catalog entry: name (the folder's
// name by default), tags (comma separated), role and description. The name of an entry
// being edited is fixed: Backend::addRepository replaces by name.

#include "domain/records.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace signalbox::ui {

class RepositoryDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RepositoryDialog)
public:
    // A new entry for `folder`.
    explicit RepositoryDialog(const QString& folder, QWidget* parent = nullptr);
    // Editing an existing entry.
    explicit RepositoryDialog(const CatalogRepo& repo, QWidget* parent = nullptr);

    CatalogRepo repo() const;
    // "a, b ,,c" -> {"a", "b", "c"}
    static QStringList parseTags(const QString& text);

private:
    void build();
    void validate();

    QLineEdit* m_name = nullptr;
    QLineEdit* m_path = nullptr;
    QLineEdit* m_tags = nullptr;
    QLineEdit* m_role = nullptr;
    QLineEdit* m_description = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace signalbox::ui
