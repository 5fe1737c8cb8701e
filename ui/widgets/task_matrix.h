#pragma once
// The run detail's task x repo grid (TaskMatrixModel in a table view): a click or Enter
// on a cell selects that instance.

#include <QTableView>

namespace signalbox::ui {

class TaskMatrixModel;

class TaskMatrix final : public QTableView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskMatrix)
public:
    explicit TaskMatrix(QWidget* parent = nullptr);
    TaskMatrixModel* matrixModel() const { return m_model; }
    void selectInstance(int instanceIndex);

Q_SIGNALS:
    void instanceSelected(int instanceIndex);

private:
    void handleCurrentChanged(const QModelIndex& current);

    TaskMatrixModel* m_model;
};

} // namespace signalbox::ui
