// `ventral data cluttered`: the ground-truth alignment set as a folder of ClickMe HDF5 files
// (training/data/cluttered_objects_set.h).
#include <fmt/core.h>

#include "apps/commands.h"
#include "common/error.h"
#include "training/data/cluttered_objects_set.h"

namespace ventral::cli {

int run_data_cluttered(const Params& params) {
  if (params.out.empty()) fail("--out: required, the folder to write the set into");
  if (params.size <= 0) fail("--size: expected a positive number of px, got {}", params.size);
  data::ClutteredSetOptions o;
  if (!params.data.empty()) o.source = params.data;
  o.out = params.out;
  o.count = static_cast<std::size_t>(params.count);
  o.seed = params.seed;
  o.objects = stimuli::cluttered_options_for_side(params.size);
  o.objects.cue_agreement = params.cue_agreement;
  const auto summary = data::write_cluttered_set(o);
  std::size_t images = 0;
  for (const auto& [path, count] : summary.files) {
    fmt::print("wrote {} ({} images)\n", path, count);
    images += count;
  }
  fmt::print("{} images of {}x{} px from {}, seed {}, cue agreement {} in training; {:.0f} images/s\n",
             images, o.objects.side, o.objects.side, o.source, o.seed, o.objects.cue_agreement,
             images / std::max(summary.seconds, 1e-9));
  return 0;
}

}  // namespace ventral::cli
