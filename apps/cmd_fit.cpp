// `ventral fit`: scores layers of a feature file against neural recordings (Brain-Score's
// standard protocol or the IT-patch protocol), prints a table and writes JSON + CSV.
// Wiring only: the science is in neural_fit/.
#include <fmt/core.h>

#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/text_list.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/linalg.h"
#include "neural_fit/metric.h"
#include "neural_fit/neural_h5.h"
#include "neural_fit/patch_protocol.h"
#include "neural_fit/report.h"
#include "neural_fit/stimulus_set.h"

namespace ventral::cli {
namespace {

namespace nf = ventral::neural_fit;

void require(const std::string& value, const char* flag) {
  if (value.empty()) fail("{} is required", flag);
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) fmt::print(stderr, "warning: {}\n", w);
}

nf::FitOptions fit_options(const Params& p) {
  nf::FitOptions o;
  o.metric = {p.method, p.correlation, p.aggregation};
  o.regression.pls.n_components = p.components;
  o.splits = {p.splits, 0.9, p.seed};
  o.splits_file = p.splits_file;
  o.stratify = p.stratify;
  o.pca = p.pca;
  o.ceiling.seed = p.seed;
  return o;
}

nf::RunInfo run_info(const Params& p, const std::string& splits) {
  return {p.features, p.neural, p.method,   p.correlation, p.aggregation, p.protocol,
          splits,     p.region, p.time_bin, p.pca,         p.seed};
}

int run_standard(const Params& p, const nf::FeatureFile& features,
                 const std::vector<std::string>& layers) {
  const nf::FitOptions options = fit_options(p);
  nf::StimulusSet stimulus_set;
  if (!p.stimulus_set.empty()) stimulus_set = nf::read_stimulus_set(p.stimulus_set);
  auto target = nf::prepare_target(nf::read_neural_file(p.neural, p.region, p.time_bin), options,
                                   p.stimulus_set.empty() ? nullptr : &stimulus_set);
  print_warnings(target.data.warnings);
  if (!target.ceiling.available) fmt::print(stderr, "warning: no ceiling: {}\n", target.ceiling.reason);
  std::vector<nf::LayerScore> scores;
  for (const auto& layer : layers) {
    scores.push_back(nf::score_layer(features, layer, target, options));
    print_warnings(scores.back().warnings);
  }
  fmt::print("{}", nf::format_table(scores, target));
  write_text_files({{p.out, nf::standard_json(scores, target, run_info(p, target.split_source))},
                    {csv_path_for(p.out), nf::standard_csv(scores, target)}});
  fmt::print("wrote {} and {}\n", p.out, csv_path_for(p.out));
  return 0;
}

int run_patch(const Params& p, const nf::FeatureFile& features, const std::vector<std::string>& layers) {
  if (!p.region.empty() || !p.time_bin.empty() || !p.splits_file.empty() || !p.stratify.empty()) {
    fail(
        "--protocol patch: --region, --time-bin, --splits-file and --stratify do not apply "
        "(folds are leave-one-image-out)");
  }
  nf::PatchOptions options;
  options.metric = {p.method, p.correlation, p.aggregation};
  options.pls.n_components = p.components;
  options.ceiling.seed = p.seed;
  auto result = nf::run_patch_protocol(features, layers, nf::read_patch_data(p.neural), options);
  print_warnings(result.warnings);
  fmt::print("{}", nf::format_patch_table(result));
  write_text_files({{p.out, nf::patch_json(result, run_info(p, "leave-one-image-out"))},
                    {csv_path_for(p.out), nf::patch_csv(result)}});
  fmt::print("wrote {} and {}\n", p.out, csv_path_for(p.out));
  return 0;
}

}  // namespace

int run_fit(const Params& p) {
  require(p.features, "--features");
  require(p.neural, "--neural");
  require(p.out, "--out");
  for (const auto& output : {p.out, csv_path_for(p.out)}) {
    refuse_input_as_output(output, {p.features, p.neural, p.splits_file, p.stimulus_set});
  }
  AtomicOutput check_out(p.out), check_csv(csv_path_for(p.out));  // fail before the work
  nf::set_math_threads(p.threads);
  nf::FeatureFile features(p.features);
  std::vector<std::string> layers = split_list(p.layers);
  if (layers.empty()) layers = features.layers();
  for (const auto& layer : layers) features.layer_shape(layer);  // unknown names fail here
  if (p.protocol != "standard" && p.protocol != "patch")
    fail("--protocol {}: fit takes standard or patch (release and paper are align's)", p.protocol);
  return p.protocol == "patch" ? run_patch(p, features, layers) : run_standard(p, features, layers);
}

}  // namespace ventral::cli
