// The cell registry: a name to a factory taking CellOptions (explicit list, no static
// initialisers). Names: hgru, fgru, convgru, convlstm.
#pragma once

#include <string>
#include <vector>

#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/recurrent_cell.h"

namespace ventral::recurrent {

/// Builds the cell `name` with `options`; throws ventral::Error (one line) for an unknown
/// name or invalid options (even kernel, non-positive timesteps or channels).
RecurrentCell make_cell(const std::string& name, const CellOptions& options);

/// The registered names, sorted.
std::vector<std::string> cell_names();

}  // namespace ventral::recurrent
