#include "apps/commands.h"

namespace ventral::cli {

const std::vector<CommandDef>& command_table() {
  static const std::vector<CommandDef> table = {
      {"models", "list the registered models (--details: layers and parameter counts)", run_models},
      {"features", "extract named layers of a model for images into an HDF5 file", run_features},
      {"imprint", "imprint HMAX S2 prototypes from C1 responses to images", run_imprint},
      {"show", "draw a layer's feature maps as a PNG montage", run_show},
#ifdef VENTRAL_HAS_NEURAL_FIT
      {"fit", "score layers against neural recordings (PLS, ridge, ...), Brain-Score style", run_fit},
      {"neural simulate", "simulate a neural population from known features plus noise",
       run_neural_simulate},
#endif
  };
  return table;
}

}  // namespace ventral::cli
