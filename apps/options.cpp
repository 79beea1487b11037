#include "apps/options.h"

#include <CLI/CLI.hpp>

namespace ventral::cli {
namespace {

// An option that stores its value in `field`; the help text shows the default.
template <typename T>
OptionDef value(std::string flags, std::string hint, std::string help,
                std::vector<std::string> commands, T Params::*field) {
  return {std::move(flags), std::move(hint), std::move(help), std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            return app.add_option(def.flags, params.*field, def.help)
                ->type_name(def.hint)
                ->capture_default_str();
          }};
}

// A switch without a value.
OptionDef flag(std::string flags, std::string help, std::vector<std::string> commands,
               bool Params::*field) {
  return {std::move(flags), "", std::move(help), std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            return app.add_flag(def.flags, params.*field, def.help);
          }};
}

// A value option with a validator.
template <typename T>
OptionDef checked(OptionDef def, CLI::Validator validator) {
  auto attach = def.attach;
  def.attach = [attach, validator](CLI::App& app, Params& params, const OptionDef& d) {
    return attach(app, params, d)->check(validator);
  };
  return def;
}

std::vector<OptionDef> build_table() {
  const std::vector<std::string> model_cmds = {"features", "show", "imprint"};
  std::vector<OptionDef> t;

  // --- general ---------------------------------------------------------------
  t.push_back(checked<int>(
      value("--threads", "N", "intra-op threads (0: all available cores)",
            {"features", "show", "imprint", "fit", "neural simulate"}, &Params::threads),
      CLI::NonNegativeNumber));

  // --- models and features ---------------------------------------------------
  t.push_back(value("-m,--model", "NAME", "model name (see `ventral models`)",
                    {"features", "show"}, &Params::model));
  t.push_back(value("--patches", "FILE",
                    "S2 prototypes, HDF5 with patches/<m> (P x 4 x m x m), as written by "
                    "`ventral imprint`; needed for s2 and c2 layers",
                    {"features", "show"}, &Params::patches));
  t.push_back(value("--layers", "L1,L2",
                    "layers to extract or score (e.g. c1,c2 or c1/3; fit: default all in the file)",
                    {"features", "fit"}, &Params::layers));
  t.push_back(value("--layer", "NAME", "layer to draw (show) or to read out (neural simulate)",
                    {"show", "neural simulate"}, &Params::layer));
  t.push_back(value("--images", "DIR", "read every PNG/JPEG in DIR (sorted by name)",
                    {"features", "imprint"}, &Params::images_dir));
  t.push_back(value("inputs", "IMAGE...", "image files (PNG or JPEG)",
                    {"features", "show", "imprint"}, &Params::inputs));
  t.push_back(value("-o,--out", "FILE", "output file", {"features", "show", "imprint", "fit",
                    "neural simulate"}, &Params::out));
  t.push_back(checked<int>(
      value("--size", "PX", "resize every image to PX x PX first (0: keep sizes)",
            {"features", "show", "imprint"}, &Params::size),
      CLI::NonNegativeNumber));
  t.push_back(checked<int>(value("-b,--batch-size", "N", "images per forward pass",
                                 {"features"}, &Params::batch_size),
                           CLI::PositiveNumber));
  t.push_back(checked<std::string>(
      value("--s2-activation", "KIND", "hmax-classic S2 tuning: euclidean (C2 = min) or "
            "gaussian (C2 = max)", {"features", "show"}, &Params::s2_activation),
      CLI::IsMember({"euclidean", "gaussian"})));
  t.push_back(flag("--details", "also list named layers and parameter counts", {"models"},
                   &Params::details));

  // --- imprint ---------------------------------------------------------------
  t.push_back(value("--sizes", "M1,M2", "prototype sizes to imprint", {"imprint"},
                    &Params::sizes));
  t.push_back(checked<int>(value("--per-size", "N", "prototypes per size", {"imprint"},
                                 &Params::per_size),
                           CLI::PositiveNumber));
  t.push_back(value("--seed", "S", "random seed", {"imprint", "fit", "neural simulate"},
                    &Params::seed));

  // --- neural_fit ------------------------------------------------------------
  t.push_back(value("--features", "FILE",
                    "features HDF5 (stimulus_id + one dataset per layer, from `ventral features`)",
                    {"fit", "neural simulate"}, &Params::features));
  t.push_back(value("--neural", "FILE",
                    "neural data: BrainIO NetCDF assembly (.nc) or ventral's HDF5 format "
                    "(responses, stimulus_id; with --protocol patch: images x g x g x sites [x reps])",
                    {"fit"}, &Params::neural));
  t.push_back(value("--region", "NAME", "keep neuroids whose `region` is NAME (e.g. IT; default: all)",
                    {"fit"}, &Params::region));
  t.push_back(value("--time-bin", "START,END",
                    "NetCDF time bin by time_bin_start,time_bin_end in ms (e.g. 70,170; "
                    "default: the only one)", {"fit"}, &Params::time_bin));
  t.push_back(checked<std::string>(
      value("--method", "NAME", "regression: pls (25 components, Brain-Score), ridge (alpha 1), "
            "ridgecv (Brain-Score alpha grid, leave-one-out), linear, n2n (neuron to neuron)",
            {"fit"}, &Params::method),
      CLI::IsMember({"pls", "ridge", "ridgecv", "linear", "n2n"})));
  t.push_back(checked<int>(value("--splits", "N", "shuffle splits (train 0.9, test 0.1)", {"fit"},
                                 &Params::splits),
                           CLI::PositiveNumber));
  t.push_back(value("--splits-file", "FILE",
                    "explicit splits, HDF5 with stimulus_id, train/<k>, test/<k> (int64 positions); "
                    "overrides --splits", {"fit"}, &Params::splits_file));
  t.push_back(value("--stratify", "COORD",
                    "stratify shuffle splits by this per-stimulus coordinate (e.g. object_name)",
                    {"fit"}, &Params::stratify));
  t.push_back(value("--stimulus-set", "CSV",
                    "BrainIO stimulus set (stimulus_id, filename, ...): extra coordinates for --stratify",
                    {"fit"}, &Params::stimulus_set));
  t.push_back(checked<std::string>(
      value("--protocol", "NAME", "standard (Brain-Score cross-validated regression) or patch "
            "(IT-patch maps, leave-one-image-out, nested layer choice)", {"fit"}, &Params::protocol),
      CLI::IsMember({"standard", "patch"})));
  t.push_back(checked<int>(value("--pca", "K",
                                 "reduce wider layers to K components by randomized SVD first "
                                 "(0: off; Brain-Score's layer selection uses 1000)",
                                 {"fit"}, &Params::pca),
                           CLI::NonNegativeNumber));
  t.push_back(checked<int>(value("--components", "N", "PLS components", {"fit"},
                                 &Params::components),
                           CLI::PositiveNumber));
  t.push_back(checked<int>(value("--sites", "N", "simulated recording sites", {"neural simulate"},
                                 &Params::sites),
                           CLI::PositiveNumber));
  t.push_back(checked<int>(value("--reps", "N", "trials per stimulus (>= 2)", {"neural simulate"},
                                 &Params::reps),
                           CLI::Range(2, 1000000)));
  t.push_back(checked<double>(value("--noise", "X", "trial noise std relative to the signal std",
                                    {"neural simulate"}, &Params::noise),
                              CLI::NonNegativeNumber));

  (void)model_cmds;
  return t;
}

}  // namespace

const std::vector<OptionDef>& option_table() {
  static const std::vector<OptionDef> table = build_table();
  return table;
}

void attach_options(CLI::App& app, const std::string& command, Params& params) {
  for (const auto& def : option_table()) {
    for (const auto& c : def.commands) {
      if (c == command) {
        def.attach(app, params, def);
        break;
      }
    }
  }
}

}  // namespace ventral::cli
