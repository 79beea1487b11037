#include "apps/commands.h"

namespace ventral::cli {

const std::vector<CommandDef>& command_table() {
  static const std::vector<CommandDef> table = {
      {"models", "list the registered models (--details: layers and parameter counts)", run_models},
      {"features", "extract named layers of a model for images into an HDF5 file", run_features},
      {"imprint", "imprint HMAX S2 prototypes from C1 responses to images", run_imprint},
      {"train", "train a model on a dataset (timm-style flags or --config TOML); run folder with "
                "checkpoints, summary.csv and train.log", run_train},
      {"eval", "top-1 / top-5 / loss of a trained checkpoint on a dataset split (JSON)", run_eval},
      {"show", "draw a layer's feature maps as a PNG montage", run_show},
      {"data pack", "pack a dataset split into one HDF5 file (images, labels, classes)", run_data_pack},
      {"data pathfinder", "generate a Pathfinder set (snakes, markers, same/different labels) into "
                          "one HDF5 file", run_data_pathfinder},
#ifdef VENTRAL_HAS_NEURAL_FIT
      {"fit", "score layers against neural recordings (PLS, ridge, ...), Brain-Score style", run_fit},
      {"neural simulate", "simulate a neural population from known features plus noise",
       run_neural_simulate},
#endif
  };
  return table;
}

}  // namespace ventral::cli
