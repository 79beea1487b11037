// Every command-line option of `ventral`, defined once (cli convention of llama.cpp's
// common/arg.cpp): flag, value hint, help with the default, the `Params` field it
// sets and the subcommands that accept it. TOML config keys equal the long flag names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace ventral::cli {

/// All values a user can set, one field per concept. The defaults here are the common ones;
/// an option whose default differs by command (--seed is 42 for train, 0 elsewhere) says so
/// in its table entry, and params_for(command) applies it.
struct Params {
  // general
  int threads = 0;  ///< 0: all available cores
  std::string config;

  // models and features
  std::string model = "hmax-classic";
  std::vector<std::string> model_opts;   ///< --model-opt key=value
  std::string patches;                   ///< prototype HDF5 file; empty: imprint or none
  std::string layers;                    ///< comma-separated layer names
  std::string layer;                     ///< one layer name (show, simulate)
  std::string images_dir;                ///< --images DIR
  std::vector<std::string> inputs;       ///< positional image files
  std::vector<std::string> model_names;  ///< `ventral models NAME...`
  std::string out;
  int size = 0;  ///< image side in px (resize to; data pathfinder: generate at)
  int batch_size = 128;
  std::string s2_activation = "euclidean";
  bool details = false;

  // imprint
  std::string sizes = "4,8,12,16";
  int per_size = 25;
  std::uint64_t seed = 0;

  // data (data pack, train, eval)
  std::string data;             ///< dataset spec KIND:PATH
  std::string split = "train";  ///< data pack: the split to pack; eval: the split to score
  std::string class_map;        ///< one class folder name per line: the label order

  // data pathfinder (the seed is `seed`, the image side `size`, the file `out`)
  int length = 14;     ///< paddles per target snake (6, 9, 14 in the papers)
  int count = 1000;    ///< images
  std::string preset;  ///< empty: the preset of the image size

  // data cluttered (also --out, --count, --seed, --size, --data)
  double cue_agreement = 0.9;  ///< share of training images whose cue names the true class

  // train and eval (timm's flag names)
  std::string checkpoint;  ///< a run's best.pt / last.pt (eval, features)
  std::string train_split = "train";
  std::string val_split;  ///< empty: the dataset kind's eval split
  int epochs = 10;
  std::string opt = "sgd";
  double lr = 0.05;
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 5e-4;
  std::string sched = "cosine";
  double warmup_epochs = 0;
  double warmup_lr = 1e-5;
  double min_lr = 0;
  double decay_epochs = 30;
  std::vector<double> decay_milestones;
  double decay_rate = 0.1;
  double smoothing = 0;
  double clip_grad = 0;
  int limit_train_batches = 0;
  std::string harmonize;  ///< clickme:PATH mixed into training batches
  double harmonize_weight = 1.0;
  double harmonize_fraction = 0.2;
  int log_interval = 50;
  std::string device = "cpu";
  bool amp = false;
  std::string resume;
  std::string output;
  int img_size = 0;
  double crop_pct = 0.875;
  std::vector<double> mean, std;
  bool no_aug = false;
  double hflip = 0.5;
  std::vector<double> scale = {0.08, 1.0};
  std::vector<double> ratio = {3.0 / 4.0, 4.0 / 3.0};
  int workers = 2;
  std::string recurrent_grad;  ///< recurrent models: bptt | crbp (empty: model default)
  int timesteps = 0;           ///< recurrent models: steps while training (0: model default)
  int eval_timesteps = 0;      ///< recurrent models: steps when evaluating (0: timesteps)

  /// Filled by main after parsing: the subcommand's options as TOML and as key -> value.
  std::string resolved_config;
  std::map<std::string, std::string> resolved_args;

  // neural_fit (fit, neural simulate)
  std::string features;
  std::string neural;
  std::string region;
  std::string time_bin;
  // alignment (align)
  std::string maps;                     ///< saliency maps HDF5 (maps N x H x W, optional stimulus_id)
  std::string clickme;                  ///< clickme:PATH, ventral's ClickMe HDF5
  std::string save_maps;                ///< align --checkpoint: write the saliency maps here
  bool saliency = false;                ///< show: saliency vs human maps instead of a layer
  std::string index = "0,1,2,3";        ///< show --saliency: ClickMe record numbers
  std::vector<std::string> benchmark;   ///< score: NAME[:key=value,...]
  std::string benchmarks_file;          ///< score: [[benchmark]] tables
  std::string grid;                     ///< ablate: the grid file
  int jobs = 1;                         ///< ablate: runs at once
  std::string only;                     ///< ablate: one run (index or id)
  bool collect = false;                 ///< ablate: only gather results
  bool resume_grid = false;             ///< ablate --resume: another version of the grid
  std::string executor = "local";       ///< ablate: local or slurm
  std::vector<std::string> slurm_opts;  ///< ablate: sbatch KEY=VALUE
  std::string human_ceiling;            ///< align: a ClickMe 2 click log (CSV)
  int canvas = 256;                     ///< align --human-ceiling: click canvas side
  int blur_size = 21;                   ///< align --human-ceiling: disk diameter
  int crop = 224;                       ///< align --human-ceiling: centre crop side (0: none)
  int min_clicks = 2;
  int min_subjects = 5;
  int iterations = 50;

  std::string method = "pls";  ///< regression
  std::string correlation = "pearson";
  std::string aggregation = "median";
  int splits = 10;
  std::string splits_file;
  std::string stratify;
  std::string stimulus_set;           ///< BrainIO stimulus-set CSV (fit --stratify coordinates)
  std::string protocol = "standard";  ///< fit: standard or patch; align: release or paper
  int pca = 0;
  int components = 25;
  int sites = 100;
  int reps = 10;
  double noise = 1.0;
};

/// One option: defined once, attached to every subcommand listed in `commands`.
struct OptionDef {
  std::string flags;  ///< "-o,--out"
  std::string hint;   ///< value hint shown in --help ("FILE")
  std::string help;
  std::vector<std::string> commands;  ///< subcommand paths ("features", "neural simulate")
  std::function<CLI::Option*(CLI::App&, Params&, const OptionDef&)> attach;
  /// Defaults that differ from Params' for some commands: command -> value text.
  std::map<std::string, std::string> command_defaults;
  /// Sets the field from text (used for command_defaults).
  std::function<void(Params&, const std::string&)> set;
};

/// The single table of options.
const std::vector<OptionDef>& option_table();

/// Params with `command`'s defaults (Params' own, then the table's per-command ones).
Params params_for(const std::string& command);

/// Adds every option that `command` accepts to `app`.
void attach_options(CLI::App& app, const std::string& command, Params& params);

}  // namespace ventral::cli
