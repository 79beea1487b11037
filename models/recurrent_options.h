// Model options shared by every family that holds a recurrent circuit: the C-RBP settings
// (`--model-opt lipschitz_lambda=0.9 --model-opt lipschitz_weight=10`), read the same way
// by hmax-hgru and pathfinder-hgru.
#pragma once

#include "models/model_options.h"
#include "recurrent_cells/crbp.h"

namespace ventral::models {

/// C-RBP's penalty threshold `lipschitz_lambda` in (0, 1] and weight `lipschitz_weight` >= 0;
/// the defaults are CrbpOptions' (the paper's 0.9 and 10). Read only for recurrent_grad=crbp,
/// so a BPTT model's resolved options do not list them.
recurrent::CrbpOptions read_crbp_options(ModelOptionReader& read);

}  // namespace ventral::models
