// `ventral data pathfinder`: a Pathfinder set (drewlinsley/pathfinder recipe, hGRU and Long
// Range Arena presets) written as one HDF5 file that `h5:FILE` reads; see
// training/data/pathfinder_dataset.h for the layout.
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include <algorithm>

#include "apps/commands.h"
#include "common/error.h"
#include "training/data/pathfinder_dataset.h"

namespace ventral::cli {

int run_data_pathfinder(const Params& params) {
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  if (params.count <= 0) fail("--count: expected a positive number of images, got {}", params.count);
  if (params.size <= 0) fail("--size: expected a positive number of px, got {}", params.size);
  if (params.length <= 0) fail("--length: expected a positive number of paddles, got {}", params.length);
  std::string preset = params.preset.empty() ? stimuli::pathfinder_preset_for_size(params.size)
                                             : params.preset;
  stimuli::PathfinderOptions options = stimuli::pathfinder_preset(preset, params.length);
  options.window_px = params.size;
  const int threads = params.threads > 0 ? params.threads : at::get_num_threads();
  auto summary = data::write_pathfinder_h5(options, params.seed, static_cast<std::size_t>(params.count),
                                           threads, params.out);
  fmt::print(
      "wrote {}: {} images of {}x{} px, contour length {}, preset {}, seed {}, {} same / {} "
      "different, {:.0f} images/s\n",
      params.out, summary.images, options.window_px, options.window_px, options.contour_length, preset,
      params.seed, summary.positives, summary.images - summary.positives,
      summary.images / std::max(summary.seconds, 1e-9));
  return 0;
}

}  // namespace ventral::cli
