#include "dialogs/repository_dialog.h"

#include "widgets/status_colors.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace signalbox::ui {

RepositoryDialog::RepositoryDialog(const QString& folder, QWidget* parent)
    : QDialog(parent) {
    build();
    setWindowTitle(tr("Add repository"));
    const QString path = QDir::cleanPath(folder);
    m_path->setText(QDir::toNativeSeparators(path));
    m_name->setText(QFileInfo(path).fileName());
    validate();
}

RepositoryDialog::RepositoryDialog(const CatalogRepo& repo, QWidget* parent)
    : QDialog(parent) {
    build();
    setWindowTitle(tr("Edit repository"));
    m_name->setText(repo.name);
    m_name->setReadOnly(true);
    m_path->setText(QDir::toNativeSeparators(repo.path));
    m_tags->setText(repo.tags.join(QStringLiteral(", ")));
    m_role->setText(repo.role);
    m_description->setText(repo.description);
    validate();
}

void RepositoryDialog::build() {
    setObjectName(QStringLiteral("repositoryDialog"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("pathEdit"));
    m_tags = new QLineEdit(this);
    m_tags->setObjectName(QStringLiteral("tagsEdit"));
    m_tags->setPlaceholderText(tr("e.g. backend, python"));
    m_role = new QLineEdit(this);
    m_role->setObjectName(QStringLiteral("roleEdit"));
    m_role->setPlaceholderText(tr("e.g. service, library"));
    m_description = new QLineEdit(this);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, statusColor(InstanceStatus::Failed));
    m_error->setPalette(errorPalette);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Folder:"), m_path);
    form->addRow(tr("&Tags:"), m_tags);
    form->addRow(tr("&Role:"), m_role);
    form->addRow(tr("&Description:"), m_description);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &RepositoryDialog::validate);
    connect(m_path, &QLineEdit::textChanged, this, &RepositoryDialog::validate);
    connect(m_tags, &QLineEdit::textChanged, this, &RepositoryDialog::validate);
}

// The same rules as `signalbox-cli repos add`: a name can be typed after --repo as is.
void RepositoryDialog::validate() {
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    static const QRegularExpression validTag(QStringLiteral("^[A-Za-z0-9_.:/-]{1,64}$"));
    QString error;
    if (m_name->text().trimmed().isEmpty())
        error = tr("A repository needs a name.");
    else if (!validName.match(m_name->text().trimmed()).hasMatch())
        error = tr("Use 1 to 64 letters, digits, '.', '_' or '-' in the name.");
    else if (m_path->text().trimmed().isEmpty())
        error = tr("A repository needs a folder.");
    for (const QString& tag : parseTags(m_tags->text())) {
        if (error.isEmpty() && !validTag.match(tag).hasMatch())
            error = tr("Invalid tag '%1': use letters, digits and _ . : / -").arg(tag);
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

QStringList RepositoryDialog::parseTags(const QString& text) {
    QStringList tags;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString tag = part.trimmed();
        if (!tag.isEmpty() && !tags.contains(tag))
            tags.append(tag);
    }
    return tags;
}

CatalogRepo RepositoryDialog::repo() const {
    CatalogRepo repo;
    repo.name = m_name->text().trimmed();
    repo.path = QDir::fromNativeSeparators(m_path->text().trimmed());
    repo.tags = parseTags(m_tags->text());
    repo.role = m_role->text().trimmed();
    repo.description = m_description->text().trimmed();
    return repo;
}

} // namespace signalbox::ui
