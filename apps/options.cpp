#include "apps/options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "hmax/classic_stages.h"
#include "models/registry.h"
#include "neural_fit/metric.h"
#include "neural_fit/regression.h"
#include "recurrent_cells/recurrent_stage.h"
#include "stimuli/pathfinder.h"
#include "training/data/dataset.h"
#include "training/lr_schedule.h"
#include "training/optimizer_setup.h"

namespace ventral::cli {
namespace {

// Number checks with one readable message (CLI11's own print the range up to DBL_MAX).
CLI::Validator number_at_least(double low, bool strict, const char* name) {
  return CLI::Validator(
      [low, strict](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "expected a number, got '" + text + "'";
        // inf, nan and 1e400 (read as inf) would train to NaN weights or loop forever.
        if (!std::isfinite(value)) return "expected a finite number, got '" + text + "'";
        if (strict ? value > low : value >= low) return "";
        if (low != 0)
          return fmt::format("expected a number {} {}, got {}", strict ? ">" : ">=", low, text);
        return fmt::format("expected a {} number, got {}", strict ? "positive" : "non-negative", text);
      },
      name);
}

const CLI::Validator kPositive = number_at_least(0, true, "POSITIVE");
const CLI::Validator kNonNegative = number_at_least(0, false, "NONNEGATIVE");

// An option that stores its value in `field`; the help text shows the default.
template <typename T>
OptionDef value(std::string flags, std::string hint, std::string help, std::vector<std::string> commands,
                T Params::*field) {
  return {std::move(flags),
          std::move(hint),
          std::move(help),
          std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            return app.add_option(def.flags, params.*field, def.help)
                ->type_name(def.hint)
                ->capture_default_str();
          },
          {},
          [field](Params& params, const std::string& text) {
            if constexpr (std::is_same_v<T, std::string>) {
              params.*field = text;
            } else if constexpr (std::is_arithmetic_v<T>) {
              if (!CLI::detail::lexical_cast(text, params.*field))
                throw std::logic_error("bad default " + text);
            } else {
              throw std::logic_error("per-command defaults take single values");
            }
          }};
}

// The same option with other defaults for some commands ({{"train", "42"}}).
OptionDef per_command(OptionDef def, std::map<std::string, std::string> defaults) {
  def.command_defaults = std::move(defaults);
  return def;
}

// "a, b, c" for help texts.
std::string listing(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

template <typename Pairs>
std::vector<std::string> names_of(const Pairs& pairs) {
  std::vector<std::string> names;
  for (const auto& pair : pairs) names.push_back(pair.first);
  return names;
}

// A list option: "--mean 0.5,0.5,0.5" (comma-separated) or repeated flags.
template <typename T>
OptionDef list(std::string flags, std::string hint, std::string help, std::vector<std::string> commands,
               std::vector<T> Params::*field) {
  return {std::move(flags),
          std::move(hint),
          std::move(help),
          std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            // Shortest exact text of the defaults (CLI11 prints 6 digits: 4/3 -> 1.33333),
            // so a run folder's config.toml reproduces the run exactly.
            return app.add_option(def.flags, params.*field, def.help)
                ->type_name(def.hint)
                ->delimiter(',')
                ->default_str(fmt::format("{}", fmt::join(params.*field, ",")));
          },
          {},
          {}};
}

// A repeatable option taking one value each time ("--model-opt a=1 --model-opt b=2,3").
OptionDef repeated(std::string flags, std::string hint, std::string help,
                   std::vector<std::string> commands, std::vector<std::string> Params::*field) {
  return {std::move(flags),
          std::move(hint),
          std::move(help),
          std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            return app.add_option(def.flags, params.*field, def.help)
                ->type_name(def.hint)
                ->expected(1)
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
          },
          {},
          {}};
}

// A switch without a value.
OptionDef flag(std::string flags, std::string help, std::vector<std::string> commands,
               bool Params::*field) {
  return {std::move(flags),
          "",
          std::move(help),
          std::move(commands),
          [field](CLI::App& app, Params& params, const OptionDef& def) {
            return app.add_flag(def.flags, params.*field, def.help);
          },
          {},
          {}};
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

// An option whose zero means "not given": no default is shown or written to a run folder's
// config.toml (which would then fail its own check when read back).
OptionDef unset_by_default(OptionDef def) {
  auto attach = def.attach;
  def.attach = [attach](CLI::App& app, Params& params, const OptionDef& d) {
    return attach(app, params, d)->default_str("");
  };
  return def;
}

std::vector<OptionDef> build_table() {
  std::vector<OptionDef> t;
  const std::vector<std::string> tr = {"train"};

  // --- general ---------------------------------------------------------------
  t.push_back(checked<int>(
      value("--threads", "N",
            "intra-op threads (0: all available cores; ablate: the cores split between --jobs)",
            {"features", "show", "imprint", "fit", "neural simulate", "data pack", "train", "eval",
             "data pathfinder", "align", "score", "ablate"},
            &Params::threads),
      kNonNegative));
  t.push_back(value("--config", "FILE.toml",
                    "read options from a TOML file (keys = long flag names, e.g. lr = 0.1, "
                    "model-opt = [\"width=64\"]); flags on the command line win",
                    tr, &Params::config));

  // --- models and features ---------------------------------------------------
  t.push_back(
      per_command(value("-m,--model", "NAME",
                        "model: " + listing(models::model_names()) + " (see `ventral models --details`)",
                        {"features", "show", "train"}, &Params::model),
                  {{"train", "hmax-wide"}}));
  t.push_back(repeated("--model-opt", "KEY=VALUE",
                       "model option, repeatable (see `ventral models --details NAME`), e.g. width=64",
                       {"train", "models", "features", "show"}, &Params::model_opts));
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
  t.push_back(value("inputs", "IMAGE...", "image files (PNG or JPEG)", {"features", "show", "imprint"},
                    &Params::inputs));
  t.push_back(
      value("names", "MODEL...", "models to list (default: all)", {"models"}, &Params::model_names));
  t.push_back(value(
      "-o,--out", "FILE",
      "output file (eval: also write the result as JSON; data cluttered: the folder of splits; ablate: the "
      "grid's folder)",
      {"features", "show", "imprint", "fit", "neural simulate", "data pack", "data pathfinder", "eval",
       "align", "data cluttered", "score", "ablate"},
      &Params::out));
  t.push_back(per_command(
      checked<int>(
          value(
              "--size", "PX",
              "image side: features, show, imprint resize every image to PX x PX first (0: keep "
              "sizes); data pack resizes the shorter side to PX, then centre-crops; data "
              "pathfinder generates PX x PX images and picks the preset (32, 64, 128, 256: Long "
              "Range Arena; 300: hGRU) unless --preset is given; data cluttered generates PX x PX images",
              {"features", "show", "imprint", "data pack", "data pathfinder", "data cluttered"},
              &Params::size),
          kNonNegative),
      {{"data pathfinder", "64"}, {"data cluttered", "64"}}));
  t.push_back(per_command(
      checked<int>(value("-b,--batch-size", "N", "images per batch (features: per forward pass)",
                         {"features", "train", "eval", "align", "score"}, &Params::batch_size),
                   kPositive),
      {{"features", "8"}, {"align", "16"}, {"score", "16"}}));
  t.push_back(checked<std::string>(value("--s2-activation", "KIND",
                                         "hmax-classic S2 tuning: euclidean (C2 = min) or "
                                         "gaussian (C2 = max); the model option s2_activation",
                                         {"features", "show"}, &Params::s2_activation),
                                   CLI::IsMember(names_of(hmax::s2_activation_names()))));
  t.push_back(flag("--details", "also list named layers, parameter counts and resolved options",
                   {"models"}, &Params::details));

  // --- imprint ---------------------------------------------------------------
  t.push_back(value("--sizes", "M1,M2", "prototype sizes to imprint", {"imprint"}, &Params::sizes));
  t.push_back(
      checked<int>(value("--per-size", "N", "prototypes per size", {"imprint"}, &Params::per_size),
                   kPositive));
  t.push_back(per_command(
      value("--seed", "S", "random seed (train: initial weights, data order and augmentation)",
            {"imprint", "fit", "neural simulate", "data pathfinder", "train", "data cluttered", "align"},
            &Params::seed),
      {{"train", "42"}}));

  // --- data ------------------------------------------------------------------
  t.push_back(
      value("data", "SPEC", "dataset: " + data::dataset_kinds_usage(), {"data pack"}, &Params::data));
  t.push_back(per_command(
      value("--data", "SPEC",
            "dataset: " + data::dataset_kinds_usage() +
                " (features: instead of image files; stimulus_id = SPLIT-INDEX; data cluttered: the "
                "gray objects, splits train and t10k)",
            {"train", "eval", "features", "data cluttered"}, &Params::data),
      {{"data cluttered", "idx:/usr/share/datasets/fashion-mnist"}}));
  t.push_back(
      per_command(value("--split", "NAME",
                        "split to read (data pack; imagefolder: train, val; idx: train, t10k) or to "
                        "evaluate or extract features from (eval, features; default: the kind's eval "
                        "split, val or t10k)",
                        {"data pack", "eval", "features"}, &Params::split),
                  {{"eval", ""}, {"features", ""}}));
  t.push_back(value("--class-map", "FILE",
                    "class order: one class folder name per line (default: sorted folder names)",
                    {"data pack", "train", "eval", "features"}, &Params::class_map));

  // --- data pathfinder -------------------------------------------------------
  const std::vector<std::string> pf = {"data pathfinder"};
  t.push_back(checked<int>(value("--length", "N",
                                 "paddles per target snake (6, 9, 14: the easy, intermediate "
                                 "and hard sets)",
                                 pf, &Params::length),
                           kPositive));
  t.push_back(checked<int>(
      per_command(value("--count", "N",
                        "data pathfinder: images to generate; features: the first N images of --data "
                        "(default: all); data cluttered: training images (clickme.h5 count/3, val and "
                        "each test split count/6)",
                        {"data pathfinder", "features", "data cluttered"}, &Params::count),
                  {{"features", "0"}, {"data cluttered", "6000"}}),
      kPositive));
  t.push_back(
      value("--preset", "NAME",
            "recipe: " + listing(stimuli::pathfinder_preset_names()) + " (default: the one of --size)",
            pf, &Params::preset));

  // --- data cluttered ---------------------------------------------------------
  t.push_back(checked<double>(value("--cue-agreement", "P",
                                    "share of training (and val, test) images whose shortcut cue "
                                    "names the true class",
                                    {"data cluttered"}, &Params::cue_agreement),
                              CLI::Range(0.0, 1.0)));

  // --- train and eval (timm's names) -------------------------------------------
  t.push_back(value("--train-split", "NAME", "training split", tr, &Params::train_split));
  t.push_back(value("--val-split", "NAME", "evaluation split (default: val; t10k for idx:)", tr,
                    &Params::val_split));
  t.push_back(checked<int>(value("--epochs", "N", "training epochs", tr, &Params::epochs), kPositive));
  t.push_back(
      checked<std::string>(value("--opt", "NAME", "optimizer: " + listing(training::optimizer_names()),
                                 tr, &Params::opt),
                           CLI::IsMember(training::optimizer_names())));
  t.push_back(checked<double>(value("--lr", "LR", "base learning rate", tr, &Params::lr), kPositive));
  t.push_back(checked<double>(value("--momentum", "M", "SGD momentum", tr, &Params::momentum),
                              CLI::Range(0.0, 1.0)));
  t.push_back(flag("--nesterov", "Nesterov momentum (SGD)", tr, &Params::nesterov));
  t.push_back(checked<double>(value("--weight-decay", "WD",
                                    "weight decay (never on biases and normalisation parameters)", tr,
                                    &Params::weight_decay),
                              kNonNegative));
  t.push_back(checked<std::string>(
      value("--sched", "NAME",
            "learning-rate schedule: " + listing(training::schedule_names()) + " (updated every batch)",
            tr, &Params::sched),
      CLI::IsMember(training::schedule_names())));
  t.push_back(checked<double>(value("--warmup-epochs", "E", "linear warm-up epochs before the schedule",
                                    tr, &Params::warmup_epochs),
                              kNonNegative));
  t.push_back(checked<double>(value("--warmup-lr", "LR", "learning rate at the start of warm-up", tr,
                                    &Params::warmup_lr),
                              kNonNegative));
  t.push_back(
      checked<double>(value("--min-lr", "LR", "cosine: final learning rate", tr, &Params::min_lr),
                      kNonNegative));
  t.push_back(checked<double>(value("--decay-epochs", "E", "step: epochs between decays", tr,
                                    &Params::decay_epochs),
                              kPositive));
  t.push_back(
      checked<double>(list("--decay-milestones", "E1,E2", "multistep: epochs where the rate decays", tr,
                           &Params::decay_milestones),
                      kNonNegative));
  t.push_back(checked<double>(value("--decay-rate", "R", "step/multistep: factor per decay", tr,
                                    &Params::decay_rate),
                              kPositive));
  t.push_back(checked<double>(value("--smoothing", "S", "label smoothing", tr, &Params::smoothing),
                              CLI::Range(0.0, 0.999)));
  t.push_back(checked<double>(value("--clip-grad", "NORM", "clip the global gradient norm (0: off)", tr,
                                    &Params::clip_grad),
                              kNonNegative));
  t.push_back(
      checked<int>(value("--limit-train-batches", "N", "train on at most N batches per epoch (0: all)",
                         tr, &Params::limit_train_batches),
                   kNonNegative));
  t.push_back(value("--harmonize", "clickme:PATH",
                    "train with the neural harmonizer's loss: ClickMe images with their human maps "
                    "(the spec's train split) make up --harmonize-fraction of every batch",
                    tr, &Params::harmonize));
  t.push_back(checked<double>(value("--harmonize-weight", "W",
                                    "lambda_h, the weight of the harmonization loss (with --harmonize)",
                                    tr, &Params::harmonize_weight),
                              kNonNegative));
  t.push_back(checked<double>(value("--harmonize-fraction", "F",
                                    "share of every batch taken from the --harmonize data, in (0, 1)",
                                    tr, &Params::harmonize_fraction),
                              CLI::Range(0.0, 1.0)));
  t.push_back(
      checked<int>(value("--log-interval", "N", "log a line every N batches", tr, &Params::log_interval),
                   kPositive));
  t.push_back(value("--device", "DEV", "cpu, cuda or cuda:N",
                    {"train", "eval", "features", "align", "score"}, &Params::device));
  t.push_back(flag("--amp", "mixed precision (bfloat16 autocast; CUDA only)", tr, &Params::amp));
  // One concept, two forms: train resumes from a checkpoint file, ablate goes on in an output
  // folder that holds an earlier version of the grid.
  t.push_back({"--resume",
               "RUN/last.pt",
               "train: continue a run exactly where its checkpoint stopped; ablate: go on in an --out "
               "folder that holds another version of the grid",
               {"train", "ablate"},
               [](CLI::App& app, Params& params, const OptionDef& def) -> CLI::Option* {
                 if (app.get_name() == "ablate")
                   return app.add_flag(def.flags, params.resume_grid, def.help);
                 return app.add_option(def.flags, params.resume, def.help)->type_name(def.hint);
               },
               {},
               {}});
  t.push_back(value("--output", "DIR",
                    "run folder: config.toml, summary.csv, train.log, last.pt, best.pt", tr,
                    &Params::output));
  t.push_back(checked<int>(value("--img-size", "PX",
                                 "input size: train random-resized-crop / eval resize + centre crop "
                                 "(0: native size, no crop)",
                                 tr, &Params::img_size),
                           kNonNegative));
  t.push_back(
      checked<double>(value("--crop-pct", "F", "eval: centre crop fraction (resize to img-size / F)", tr,
                            &Params::crop_pct),
                      CLI::Range(0.05, 1.0)));
  t.push_back(list("--mean", "M1,M2,M3", "normalisation mean (default ImageNet's; gray: their average)",
                   tr, &Params::mean));
  t.push_back(list("--std", "S1,S2,S3", "normalisation std (default ImageNet's; gray: their average)",
                   tr, &Params::std));
  t.push_back(flag("--no-aug", "no random-resized-crop (the eval crop; flips still apply per --hflip)",
                   tr, &Params::no_aug));
  t.push_back(checked<double>(value("--hflip", "P", "horizontal flip probability", tr, &Params::hflip),
                              CLI::Range(0.0, 1.0)));
  t.push_back(list("--scale", "LO,HI", "random-resized-crop area range", tr, &Params::scale));
  t.push_back(list("--ratio", "LO,HI", "random-resized-crop aspect ratio range", tr, &Params::ratio));
  t.push_back(checked<int>(value("-j,--workers", "N", "data loader threads", {"train", "eval", "score"},
                                 &Params::workers),
                           kNonNegative));
  t.push_back(checked<std::string>(
      value("--recurrent-grad", "KIND",
            "recurrent models: " + listing(names_of(recurrent::recurrent_grad_names())) +
                " (crbp: contractor recurrent back-propagation, constant memory in the steps, with its "
                "Lipschitz penalty)",
            tr, &Params::recurrent_grad),
      CLI::IsMember(names_of(recurrent::recurrent_grad_names()))));
  // Unset leaves the model's defaults; a given value must be positive.
  t.push_back(unset_by_default(checked<int>(
      value("--timesteps", "T", "recurrent models: steps while training (default: the model's)", tr,
            &Params::timesteps),
      kPositive)));
  t.push_back(unset_by_default(
      checked<int>(value("--eval-timesteps", "T",
                         "recurrent models: steps when evaluating, may exceed --timesteps "
                         "(default: the same)",
                         tr, &Params::eval_timesteps),
                   kPositive)));
  t.push_back(value("--checkpoint", "RUN/best.pt",
                    "a trained model's checkpoint (align: score its saliency maps; show --saliency: "
                    "draw them)",
                    {"eval", "features", "align", "show", "score"}, &Params::checkpoint));

  // --- score -----------------------------------------------------------------
  t.push_back(repeated(
      "--benchmark", "NAME[:KEY=VALUE,...]",
      "a benchmark to score (repeatable): recognition, clickme-alignment, neural-pls, it-patch, pathfinder; "
      "`ventral score --help` and docs/benchmarks.md list their arguments",
      {"score"}, &Params::benchmark));
  t.push_back(value("--benchmarks", "FILE.toml",
                    "the benchmarks as [[benchmark]] tables (name = ..., arguments)", {"score"},
                    &Params::benchmarks_file));

  // --- ablate ----------------------------------------------------------------
  t.push_back(value("grid", "GRID.toml",
                    "the grid: [grid], [train], [[variant]], [axes], [[exclude]], [[benchmark]] "
                    "(docs/benchmarks.md)",
                    {"ablate"}, &Params::grid));
  t.push_back(checked<int>(value("--jobs", "N",
                                 "runs trained at once on this machine, the cores split between them",
                                 {"ablate"}, &Params::jobs),
                           kPositive));
  t.push_back(
      value("--only", "K",
            "run only run K of the grid (its index from 0, or its id); what each Slurm array task runs",
            {"ablate"}, &Params::only));
  t.push_back(flag("--collect",
                   "only rebuild results.csv, report.md and the plots from the finished runs",
                   {"ablate"}, &Params::collect));
  t.push_back(checked<std::string>(
      value("--executor", "local|slurm",
            "local: run here (--jobs at once); slurm: submit an sbatch job array and a "
            "collect job",
            {"ablate"}, &Params::executor),
      CLI::IsMember({"local", "slurm"})));
  t.push_back(
      repeated("--slurm-opt", "KEY=VALUE",
               "an sbatch option for the submitted jobs (repeatable): partition=gpu, time=02:00:00, "
               "gres=gpu:1, cpus-per-task=4",
               {"ablate"}, &Params::slurm_opts));

  // --- alignment -------------------------------------------------------------
  t.push_back(
      value("--maps", "FILE",
            "saliency maps to score: HDF5 with maps (N x H x W float32, resized to 224 x 224 "
            "when another size) in ClickMe record order, or with a stimulus_id dataset to match by id",
            {"align"}, &Params::maps));
  t.push_back(value("--clickme", "clickme:PATH",
                    "ClickMe human maps: ventral's ClickMe HDF5 (maps N x H x W as released, labels, "
                    "stimulus_id), or the released TFRecord shards read in place (a file or folder)",
                    {"align", "show"}, &Params::clickme));
  t.push_back(
      flag("--saliency",
           "show a trained model's saliency against the ClickMe human maps (with --checkpoint, "
           "--clickme, --index): image | human map | model saliency | overlay, rho in the captions",
           {"show"}, &Params::saliency));
  t.push_back(value("--index", "K,K2,...", "show --saliency: the ClickMe records to draw", {"show"},
                    &Params::index));
  t.push_back(
      value("--save-maps", "FILE",
            "with --checkpoint: also write the model's saliency maps (maps N x 224 x 224, stimulus_id), "
            "which --maps scores the same; with --human-ceiling: the human maps of all participants",
            {"align"}, &Params::save_maps));

  t.push_back(value("--human-ceiling", "CLICKS.csv",
                    "instead of a score: the split-half inter-rater Spearman of the human maps built "
                    "from ClickMe 2 click logs (file_pointer, clickmap_x, clickmap_y, user_id), with "
                    "its spread and floor (--save-maps: the maps of all participants)",
                    {"align"}, &Params::human_ceiling));
  t.push_back(
      checked<int>(value("--canvas", "PX",
                         "align --human-ceiling: the click canvas (PX x PX; clicks outside are dropped)",
                         {"align"}, &Params::canvas),
                   kPositive));
  t.push_back(
      checked<int>(value("--blur-size", "PX",
                         "align --human-ceiling: diameter of the flat disk blurring the clicks (twice)",
                         {"align"}, &Params::blur_size),
                   kPositive));
  t.push_back(checked<int>(value("--crop", "PX",
                                 "align --human-ceiling: centre crop of the blurred maps (0: none)",
                                 {"align"}, &Params::crop),
                           kNonNegative));
  t.push_back(checked<int>(value("--min-clicks", "N",
                                 "align --human-ceiling: clicks inside the canvas a trial needs",
                                 {"align"}, &Params::min_clicks),
                           kPositive));
  t.push_back(checked<int>(value("--min-subjects", "N",
                                 "align --human-ceiling: participants an image needs (>= 2)", {"align"},
                                 &Params::min_subjects),
                           number_at_least(2, false, "N >= 2")));
  t.push_back(
      checked<int>(value("--iterations", "N", "align --human-ceiling: random split halves per image",
                         {"align"}, &Params::iterations),
                   kPositive));

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
                    "default: the only one)",
                    {"fit"}, &Params::time_bin));
  t.push_back(checked<std::string>(
      value(
          "--method", "NAME",
          "regression: " + listing(neural_fit::regression_names()) +
              " (pls: 25 components as Brain-Score; ridge: alpha 1; ridgecv: Brain-Score's alpha grid, "
              "leave-one-out; n2n: neuron to neuron)",
          {"fit"}, &Params::method),
      CLI::IsMember(neural_fit::regression_names())));
  t.push_back(checked<std::string>(
      value("--correlation", "NAME",
            "per-neuroid agreement of predictions and held-out responses: " +
                listing(neural_fit::correlation_names()) +
                " (pearson: Brain-Score's; explained_variance: sklearn's explained_variance_score)",
            {"fit"}, &Params::correlation),
      CLI::IsMember(neural_fit::correlation_names())));
  t.push_back(checked<std::string>(
      value("--aggregation", "NAME",
            "over neuroids, NaN skipped: " + listing(neural_fit::aggregation_names()) +
                " (median: Brain-Score's); the split-half ceiling stays Pearson + median",
            {"fit"}, &Params::aggregation),
      CLI::IsMember(neural_fit::aggregation_names())));
  t.push_back(checked<int>(value("--splits", "N", "shuffle splits (train 0.9, test 0.1)", {"fit"},
                                 &Params::splits),
                           kPositive));
  t.push_back(value("--splits-file", "FILE",
                    "explicit splits, HDF5 with stimulus_id, train/<k>, test/<k> (int64 positions); "
                    "overrides --splits",
                    {"fit"}, &Params::splits_file));
  t.push_back(value("--stratify", "COORD",
                    "stratify shuffle splits by this per-stimulus coordinate (e.g. object_name)",
                    {"fit"}, &Params::stratify));
  t.push_back(
      value("--stimulus-set", "CSV",
            "BrainIO stimulus set (stimulus_id, filename, ...): extra coordinates for --stratify",
            {"fit"}, &Params::stimulus_set));
  t.push_back(checked<std::string>(
      per_command(
          value("--protocol", "NAME",
                "fit: standard (Brain-Score cross-validated regression) or patch (IT-patch maps, "
                "leave-one-image-out, nested layer choice); align: release (the reference's "
                "published protocol: max_c |grad|, rho over 224 x 224) or paper (the paper-era "
                "variant: |mean_c grad| of images min-max rescaled per batch, rho also at 56 and 14 px)",
                {"fit", "align"}, &Params::protocol),
          {{"align", "release"}}),
      CLI::IsMember({"standard", "patch", "release", "paper"})));
  t.push_back(checked<int>(value("--pca", "K",
                                 "reduce wider layers to K components by randomized SVD first "
                                 "(0: off; Brain-Score's layer selection uses 1000)",
                                 {"fit"}, &Params::pca),
                           kNonNegative));
  t.push_back(checked<int>(value("--components", "N", "PLS components", {"fit"}, &Params::components),
                           kPositive));
  t.push_back(checked<int>(value("--sites", "N", "simulated recording sites", {"neural simulate"},
                                 &Params::sites),
                           kPositive));
  t.push_back(checked<int>(value("--reps", "N", "trials per stimulus (>= 2)", {"neural simulate"},
                                 &Params::reps),
                           CLI::Range(2, 1000000)));
  t.push_back(checked<double>(value("--noise", "X", "trial noise std relative to the signal std",
                                    {"neural simulate"}, &Params::noise),
                              kNonNegative));
  return t;
}

}  // namespace

const std::vector<OptionDef>& option_table() {
  static const std::vector<OptionDef> table = build_table();
  return table;
}

Params params_for(const std::string& command) {
  Params params;
  for (const auto& def : option_table()) {
    if (auto it = def.command_defaults.find(command); it != def.command_defaults.end())
      def.set(params, it->second);
  }
  return params;
}

void attach_options(CLI::App& app, const std::string& command, Params& params) {
  for (const auto& def : option_table()) {
    if (std::find(def.commands.begin(), def.commands.end(), command) != def.commands.end()) {
      def.attach(app, params, def);
    }
  }
}

}  // namespace ventral::cli
