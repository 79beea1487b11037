#include "benchmarks/registry.h"

#include <fmt/format.h>

#include "benchmarks/clickme_alignment.h"
#include "benchmarks/it_patch.h"
#include "benchmarks/neural_predictivity.h"
#include "benchmarks/pathfinder_lengths.h"
#include "benchmarks/recognition.h"
#include "common/error.h"

namespace ventral::benchmarks {

namespace {

template <typename T>
std::function<std::unique_ptr<Benchmark>(BenchmarkArgs&)> factory() {
  return [](BenchmarkArgs& args) -> std::unique_ptr<Benchmark> { return std::make_unique<T>(args); };
}

}  // namespace

const std::vector<BenchmarkEntry>& benchmark_registry() {
  static const std::vector<BenchmarkEntry> entries = {
      {"recognition", "1", "Russakovsky et al. 2015, IJCV (ImageNet top-1 / top-5)",
       "top-1 (raw) and top-5 accuracy on a labelled split; ceiling 1",
       "data=SPEC (required), split=NAME (default: the dataset's evaluation split), class_map=FILE",
       factory<RecognitionBenchmark>()},
      {"clickme-alignment", "1",
       "Fel, Felipe et al. 2022, NeurIPS (harmonization); Linsley et al. 2019, ICLR (ClickMe)",
       "mean Spearman rho of saliency and ClickMe maps (raw) / the human ceiling 0.6575",
       "clickme=clickme:PATH (required), protocol=release|paper", factory<ClickMeAlignmentBenchmark>()},
      {"neural-pls", "1",
       "Schrimpf et al. 2018, bioRxiv (Brain-Score); Majaj, Hong et al. 2015, J Neurosci",
       "PLS predictivity of one layer: median Pearson r over neuroids, mean over shuffle splits (raw), "
       "split-half ceiling, ceiled r/c, (r/c)^2, r^2/c",
       "neural=FILE, data=SPEC (required), layer=NAME or layers=A|B|C (nested cross-validation, inner_splits=5), split=NAME, count=N (0: all), region=, time_bin=, "
       "components=25, splits=10, seed=0",
       factory<NeuralPlsBenchmark>()},
      {"it-patch", "1",
       "Linsley et al. 2023, NeurIPS (IT-patch maps); Arcaro, Ponce & Livingstone 2020, eLife",
       "IT-patch spatial maps: PLS from layer maps on the recording grid, leave-one-image-out with the layer "
       "chosen inside each fold (raw); the best inter-site agreement ceiling",
       "patch=FILE, data=SPEC, layers=A|B|C (required), split=NAME, count=N (0: all), components=25, seed=0",
       factory<ItPatchBenchmark>()},
      {"pathfinder", "1",
       "Linsley et al. 2018, NeurIPS (hGRU, Pathfinder); Tay et al. 2021, ICLR (Long Range Arena)",
       "same/different-snake accuracy on held-out Pathfinder images per contour length; raw = the mean over "
       "lengths; ceiling 1",
       "lengths=6|9|14, size=PX (default: the model's input size), count=1000 per length, seed=0, preset=NAME",
       factory<PathfinderBenchmark>()},
  };
  return entries;
}

BenchmarkSpec parse_benchmark_spec(const std::string& text) {
  BenchmarkSpec spec;
  const auto colon = text.find(':');
  spec.name = text.substr(0, colon);
  if (colon == std::string::npos) return spec;
  const std::string rest = text.substr(colon + 1);
  std::size_t begin = 0;
  while (begin <= rest.size()) {
    const auto comma = rest.find(',', begin);
    const std::string item = rest.substr(begin,
                                         comma == std::string::npos ? std::string::npos : comma - begin);
    if (!item.empty()) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0)
        fail("--benchmark {}: '{}' is not key=value (NAME:key=value,key=value)", text, item);
      if (!spec.args.emplace(item.substr(0, eq), item.substr(eq + 1)).second)
        fail("--benchmark {}: '{}' given twice", text, item.substr(0, eq));
    }
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return spec;
}

ConfiguredBenchmark configure_benchmark(const std::string& text) {
  const auto spec = parse_benchmark_spec(text);
  const auto& entries = benchmark_registry();
  for (const auto& entry : entries) {
    if (entry.name != spec.name) continue;
    BenchmarkArgs args(entry.name, spec.args);
    ConfiguredBenchmark configured;
    configured.entry = &entry;
    configured.benchmark = entry.create(args);
    args.reject_unknown();
    configured.settings = args.settings();
    return configured;
  }
  std::string names;
  for (const auto& entry : entries) names += (names.empty() ? "" : ", ") + entry.name;
  fail("--benchmark {}: unknown benchmark '{}'; registered: {}", text, spec.name, names);
}

}  // namespace ventral::benchmarks
