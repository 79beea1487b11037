#include "apps/commands.h"

namespace ventral::cli {

// Each defined in its apps/cmd_<name>.cpp. A new subcommand is that file, one line here and
// its options in options.cpp (CMake picks up cmd_*.cpp by itself).
int run_models(const Params& params);
int run_features(const Params& params);
int run_imprint(const Params& params);
int run_show(const Params& params);
int run_train(const Params& params);
int run_eval(const Params& params);
int run_fit(const Params& params);
int run_neural_simulate(const Params& params);
int run_align(const Params& params);
int run_score(const Params& params);
int run_ablate(const Params& params);
int run_data_pack(const Params& params);
int run_data_pathfinder(const Params& params);
int run_data_cluttered(const Params& params);

const std::vector<CommandDef>& command_table() {
  static const std::vector<CommandDef> table = {
      {"models", "list the registered models (--details: layers and parameter counts)", run_models},
      {"features", "extract named layers of a model for images into an HDF5 file", run_features},
      {"imprint", "imprint HMAX S2 prototypes from C1 responses to images", run_imprint},
      {"train",
       "train a model on a dataset (timm-style flags or --config TOML); run folder with "
       "checkpoints, summary.csv and train.log",
       run_train},
      {"eval", "top-1 / top-5 / loss of a trained checkpoint on a dataset split (JSON)", run_eval},
      {"show", "draw a layer's feature maps as a PNG montage", run_show},
      {"data pack", "pack a dataset split into one HDF5 file (images, labels, classes)", run_data_pack},
      {"data pathfinder",
       "generate a Pathfinder set (snakes, markers, same/different labels) into "
       "one HDF5 file",
       run_data_pathfinder},
      {"data cluttered",
       "generate the ground-truth alignment set: objects on clutter with a shortcut cue, the "
       "human map being the object (a folder of ClickMe HDF5 splits)",
       run_data_cluttered},
      {"fit", "score layers against neural recordings (PLS, ridge, ...), Brain-Score style", run_fit},
      {"neural simulate", "simulate a neural population from known features plus noise",
       run_neural_simulate},
      {"align",
       "ClickMe alignment score of saliency maps: Spearman with the human maps over 224 x 224 "
       "pixels / the human ceiling, Dice and IoU of the top 10% (JSON + CSV)",
       run_align},
      {"score",
       "one trained model on several benchmarks (recognition, ClickMe alignment, neural "
       "predictivity): raw, ceiling and ceiled values, one JSON",
       run_score},
      {"ablate",
       "an ablation grid: every variant x seed trained as `ventral train` does and scored as `ventral "
       "score` does, here (--jobs N) or as a Slurm job array; results.csv, report.md, Pareto plots",
       run_ablate},
  };
  return table;
}

}  // namespace ventral::cli
