#include "recurrent_cells/make_cell.h"

#include <fmt/format.h>

#include "common/error.h"
#include "recurrent_cells/conv_gru.h"
#include "recurrent_cells/conv_lstm.h"
#include "recurrent_cells/fgru.h"
#include "recurrent_cells/hgru.h"

namespace ventral::recurrent {

std::vector<std::string> cell_names() { return {"convgru", "convlstm", "fgru", "hgru"}; }

RecurrentCell make_cell(const std::string& name, const CellOptions& options) {
  std::shared_ptr<RecurrentCellImpl> cell;
  if (name == "hgru") cell = std::make_shared<HGruImpl>(options);
  else if (name == "fgru") cell = std::make_shared<FGruImpl>(options);
  else if (name == "convgru") cell = std::make_shared<ConvGruImpl>(options);
  else if (name == "convlstm") cell = std::make_shared<ConvLstmImpl>(options);
  if (cell) return RecurrentCell(std::move(cell));
  fail("unknown recurrent cell '{}'; known: {}", name, fmt::join(cell_names(), ", "));
}

}  // namespace ventral::recurrent
