#include "dialogs/launch_dialog.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "widgets/status_colors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPromise>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QThreadPool>
#include <QVBoxLayout>
#include <memory>

namespace signalbox::ui {

namespace {
constexpr int lineRole = Qt::UserRole + 1;
constexpr qint64 maxSourceBytes = 4 * 1024 * 1024; // a workflow file; not a log
} // namespace

LaunchDialog::LaunchDialog(Backend& backend, QWidget* parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_previewSoon(new Coalescer([this] { requestPreview(); }, 300, this)) {
    setObjectName(QStringLiteral("launchDialog"));
    setWindowTitle(tr("Launch a run"));
    resize(900, 640);

    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildFileSection());
    splitter->addWidget(buildOptions());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("launchError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: %1").arg(statusColor(InstanceStatus::Failed).name()));
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_launch = m_buttons->addButton(tr("Launch"), QDialogButtonBox::AcceptRole);
    m_launch->setObjectName(QStringLiteral("launchButton"));
    m_launch->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LaunchDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LaunchDialog::reject);
    layout->addWidget(m_buttons);

    connect(&m_backend, &Backend::workflowPreviewed, this, &LaunchDialog::handlePreviewed);
    connect(&m_backend, &Backend::repositoriesFetched, this, &LaunchDialog::handleRepositories);
    connect(&m_backend, &Backend::commandFinished, this, &LaunchDialog::handleCommandFinished);
    connect(&m_backend, &Backend::failed, this, &LaunchDialog::handleFailed);
    connect(&m_source, &QFutureWatcher<QString>::finished, this, [this] {
        if (m_source.future().resultCount() > 0)
            m_sourceView->setPlainText(m_source.future().result());
    });
    m_reposTicket = m_backend.fetchRepositories();
    updateLaunchEnabled();
}

LaunchDialog::~LaunchDialog() = default;

QWidget* LaunchDialog::buildFileSection() {
    auto* section = new QWidget(this);
    auto* layout = new QVBoxLayout(section);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* fileRow = new QHBoxLayout;
    auto* fileLabel = new QLabel(tr("&Workflow file:"), section);
    m_path = new QLineEdit(section);
    m_path->setObjectName(QStringLiteral("workflowPath"));
    m_path->setPlaceholderText(tr("path/to/workflow.yaml"));
    fileLabel->setBuddy(m_path);
    connect(m_path, &QLineEdit::textChanged, this, [this] {
        updateLaunchEnabled();
        m_previewSoon->poke();
    });
    auto* browseButton = new QPushButton(tr("&Browse…"), section);
    browseButton->setObjectName(QStringLiteral("browseButton"));
    connect(browseButton, &QPushButton::clicked, this, &LaunchDialog::browse);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browseButton);
    layout->addLayout(fileRow);

    m_summary = new QLabel(section);
    m_summary->setObjectName(QStringLiteral("previewSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_diagnostics = new QListWidget(section);
    m_diagnostics->setObjectName(QStringLiteral("diagnostics"));
    m_diagnostics->setUniformItemSizes(true);
    m_diagnostics->setMaximumHeight(140);
    m_diagnostics->hide();
    connect(m_diagnostics, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem* current) { showDiagnosticLine(current); });
    connect(m_diagnostics, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { showDiagnosticLine(item); });
    layout->addWidget(m_diagnostics);

    m_sourceView = new QPlainTextEdit(section);
    m_sourceView->setObjectName(QStringLiteral("workflowSource"));
    m_sourceView->setReadOnly(true);
    m_sourceView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_sourceView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_sourceView, 1);
    return section;
}

QWidget* LaunchDialog::buildOptions() {
    auto* options = new QWidget(this);
    auto* layout = new QVBoxLayout(options);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* repos = new QGroupBox(tr("Repositories"), options);
    auto* reposLayout = new QVBoxLayout(repos);
    m_fileRepos = new QLabel(repos);
    m_fileRepos->setObjectName(QStringLiteral("fileRepos"));
    m_fileRepos->setWordWrap(true);
    reposLayout->addWidget(m_fileRepos);
    reposLayout->addWidget(new QLabel(tr("Catalog tags (add their repos):"), repos));
    m_tags = new QListWidget(repos);
    m_tags->setObjectName(QStringLiteral("catalogTags"));
    m_tags->setMaximumHeight(90);
    reposLayout->addWidget(m_tags);
    reposLayout->addWidget(new QLabel(tr("Folders (replace the file's repos):"), repos));
    m_folders = new QListWidget(repos);
    m_folders->setObjectName(QStringLiteral("repoFolders"));
    m_folders->setMaximumHeight(90);
    reposLayout->addWidget(m_folders);
    auto* folderButtons = new QHBoxLayout;
    auto* addFolderButton = new QPushButton(tr("Add &folder…"), repos);
    addFolderButton->setObjectName(QStringLiteral("addFolderButton"));
    connect(addFolderButton, &QPushButton::clicked, this, &LaunchDialog::addFolder);
    auto* removeFolderButton = new QPushButton(tr("&Remove"), repos);
    connect(removeFolderButton, &QPushButton::clicked, this, [this] { delete m_folders->currentItem(); });
    folderButtons->addWidget(addFolderButton);
    folderButtons->addWidget(removeFolderButton);
    folderButtons->addStretch();
    reposLayout->addLayout(folderButtons);
    layout->addWidget(repos);

    auto* paramsBox = new QGroupBox(tr("Parameters"), options);
    auto* paramsLayout = new QVBoxLayout(paramsBox);
    m_params = new QTableWidget(0, 2, paramsBox);
    m_params->setObjectName(QStringLiteral("params"));
    m_params->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_params->horizontalHeader()->setStretchLastSection(true);
    m_params->verticalHeader()->hide();
    paramsLayout->addWidget(m_params);
    layout->addWidget(paramsBox, 1);

    auto* form = new QFormLayout;
    m_pool = new QComboBox(options);
    m_pool->setObjectName(QStringLiteral("pool"));
    m_pool->addItem(tr("Each task's own"), QString());
    form->addRow(tr("&Pool:"), m_pool);
    m_maxConcurrent = new QSpinBox(options);
    m_maxConcurrent->setObjectName(QStringLiteral("maxConcurrent"));
    m_maxConcurrent->setRange(0, 10000);
    m_maxConcurrent->setSpecialValueText(tr("The file's value"));
    form->addRow(tr("Max &concurrency:"), m_maxConcurrent);
    layout->addLayout(form);
    return options;
}

void LaunchDialog::setWorkflowPath(const QString& path) {
    m_path->setText(path);
    m_previewSoon->flush();
}

QString LaunchDialog::workflowPath() const {
    return m_path->text().trimmed();
}

engine::RunRequest LaunchDialog::request() const {
    engine::RunRequest request;
    request.workflowPath = workflowPath();
    for (int row = 0; row < m_folders->count(); ++row)
        request.repoPaths.append(m_folders->item(row)->text());
    for (int row = 0; row < m_tags->count(); ++row) {
        if (m_tags->item(row)->checkState() == Qt::Checked)
            request.catalogTags.append(m_tags->item(row)->text());
    }
    for (int row = 0; row < m_params->rowCount(); ++row) {
        const QTableWidgetItem* name = m_params->item(row, 0);
        const QTableWidgetItem* value = m_params->item(row, 1);
        if (!name || name->text().trimmed().isEmpty() || !value)
            continue;
        // Only what differs from the file's default: the run records what was chosen.
        if (value->text() != m_preview.params.value(name->text(), QString()) ||
            !m_preview.params.contains(name->text()))
            request.params.insert(name->text().trimmed(), value->text());
    }
    request.maxConcurrent = m_maxConcurrent->value();
    request.pool = m_pool->currentData().toString();
    return request;
}

void LaunchDialog::requestPreview() {
    const QString path = workflowPath();
    if (path.isEmpty()) {
        m_previewTicket = 0;
        return;
    }
    m_previewTicket = m_backend.previewWorkflow(path);
    if (path != m_previewedPath)
        readSource(path);
}

void LaunchDialog::readSource(const QString& path) {
    // The file view reads on the thread pool: the GUI thread never waits on a disk.
    auto promise = std::make_shared<QPromise<QString>>();
    m_source.setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, path] {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.size() <= maxSourceBytes)
            promise->addResult(QString::fromUtf8(file.readAll()));
        promise->finish();
    });
}

void LaunchDialog::handlePreviewed(Ticket ticket, const WorkflowPreview& preview) {
    if (ticket != m_previewTicket)
        return;
    m_previewTicket = 0;
    const bool samePath = preview.path == m_previewedPath;
    m_preview = preview;
    m_previewedPath = preview.path;
    if (preview.name.isEmpty())
        m_summary->setText(tr("Not a valid workflow: see the problems below."));
    else
        m_summary->setText(tr("Workflow <b>%1</b>: %n task(s)", nullptr, int(preview.tasks.size()))
                               .arg(preview.name.toHtmlEscaped()));
    m_fileRepos->setText(preview.repos.isEmpty()
                             ? tr("The file names no repos.")
                             : tr("The file's repos: %1").arg(preview.repos.join(QStringLiteral(", "))));
    showDiagnostics(preview.diagnostics);
    if (!samePath) {
        fillParams(preview.params);
        m_maxConcurrent->setValue(preview.maxConcurrent);
    }
    fillPools(preview.pools);
    updateLaunchEnabled();
    Q_EMIT previewed();
}

void LaunchDialog::showDiagnostics(const workflow::Diagnostics& diagnostics) {
    m_diagnostics->clear();
    for (const workflow::Diagnostic& diagnostic : diagnostics) {
        auto* item = new QListWidgetItem(
            QStringLiteral("%1:%2 %3").arg(diagnostic.line).arg(diagnostic.column).arg(diagnostic.message),
            m_diagnostics);
        item->setData(lineRole, diagnostic.line);
        item->setForeground(statusColor(InstanceStatus::Failed));
    }
    m_diagnostics->setVisible(!diagnostics.isEmpty());
    if (diagnostics.isEmpty())
        m_sourceView->setExtraSelections({});
}

void LaunchDialog::showDiagnosticLine(QListWidgetItem* item) {
    if (!item)
        return;
    const int line = item->data(lineRole).toInt();
    const QTextBlock block = m_sourceView->document()->findBlockByNumber(line - 1);
    if (line <= 0 || !block.isValid())
        return;
    QTextCursor cursor(block);
    QTextEdit::ExtraSelection highlight;
    highlight.cursor = cursor;
    QColor color = statusColor(InstanceStatus::Failed);
    color.setAlpha(70);
    highlight.format.setBackground(color);
    highlight.format.setProperty(QTextFormat::FullWidthSelection, true);
    m_sourceView->setExtraSelections({highlight});
    m_sourceView->setTextCursor(cursor);
    m_sourceView->centerCursor();
}

void LaunchDialog::fillParams(const QMap<QString, QString>& params) {
    m_params->setRowCount(0);
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        const int row = m_params->rowCount();
        m_params->insertRow(row);
        auto* name = new QTableWidgetItem(it.key());
        name->setFlags(name->flags() & ~Qt::ItemIsEditable);
        m_params->setItem(row, 0, name);
        auto* value = new QTableWidgetItem(it.value());
        if (it.value().isEmpty())
            value->setToolTip(tr("Required"));
        m_params->setItem(row, 1, value);
    }
}

void LaunchDialog::fillPools(const QStringList& pools) {
    const QString current = m_pool->currentData().toString();
    while (m_pool->count() > 1)
        m_pool->removeItem(1);
    for (const QString& pool : pools)
        m_pool->addItem(pool, pool);
    const int index = m_pool->findData(current);
    m_pool->setCurrentIndex(index < 0 ? 0 : index);
}

void LaunchDialog::handleRepositories(Ticket ticket, const QList<RepoSummary>& repos) {
    if (ticket != m_reposTicket)
        return;
    m_reposTicket = 0;
    QStringList tags;
    for (const RepoSummary& repo : repos) {
        for (const QString& tag : repo.repo.tags) {
            if (!tags.contains(tag))
                tags.append(tag);
        }
    }
    tags.sort();
    m_tags->clear();
    for (const QString& tag : tags) {
        auto* item = new QListWidgetItem(tag, m_tags);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    if (tags.isEmpty())
        new QListWidgetItem(tr("(the catalog has no tags)"), m_tags);
}

void LaunchDialog::browse() {
    // A non-native dialog opened asynchronously: the event loop keeps running.
    auto* dialog = new QFileDialog(this, tr("Workflow file"), QFileInfo(workflowPath()).absolutePath(),
                                   tr("Workflows (*.yaml *.yml);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& file) { setWorkflowPath(file); });
    dialog->open();
}

void LaunchDialog::addFolder() {
    auto* dialog = new QFileDialog(this, tr("Repository folder"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& folder) {
        if (m_folders->findItems(folder, Qt::MatchExactly).isEmpty())
            m_folders->addItem(folder);
    });
    dialog->open();
}

void LaunchDialog::updateLaunchEnabled() {
    m_launch->setEnabled(!workflowPath().isEmpty() && m_launchTicket == 0);
}

void LaunchDialog::accept() {
    if (m_launchTicket != 0)
        return;
    if (workflowPath().isEmpty()) {
        m_error->setText(tr("Choose a workflow file first."));
        m_error->show();
        return;
    }
    m_error->hide();
    m_launchTicket = m_backend.launchRun(request());
    updateLaunchEnabled();
}

void LaunchDialog::handleCommandFinished(Ticket ticket, const CommandResult& result) {
    if (ticket != m_launchTicket)
        return;
    m_launchTicket = 0;
    updateLaunchEnabled();
    if (result.ok) {
        Q_EMIT launched(result.id);
        QDialog::accept();
        return;
    }
    m_error->setText(result.message.isEmpty() ? tr("The run could not be launched.") : result.message);
    m_error->show();
    if (!result.diagnostics.isEmpty())
        showDiagnostics(result.diagnostics);
}

void LaunchDialog::handleFailed(Ticket ticket, const QString& message) {
    if (ticket == m_launchTicket) {
        m_launchTicket = 0;
        updateLaunchEnabled();
        m_error->setText(message);
        m_error->show();
    } else if (ticket == m_previewTicket) {
        m_previewTicket = 0;
        m_summary->setText(message.toHtmlEscaped());
    } else if (ticket == m_reposTicket) {
        m_reposTicket = 0;
    }
}

} // namespace signalbox::ui
