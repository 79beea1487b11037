// `ventral align --human-ceiling CLICKS`: the split-half inter-rater Spearman of ClickMe maps
// built from the click logs (alignment/human_ceiling.h), printed and written as JSON + CSV;
// with --save-maps also the maps of all participants, which `align --maps` scores.
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include <optional>

#include "alignment/click_logs.h"
#include "alignment/human_ceiling.h"
#include "alignment/report.h"
#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/parallel_map.h"

namespace ventral::cli {

namespace {

// The map of every kept participant per image, as a saliency-map file (maps, stimulus_id).
void write_human_maps(const std::string& path, const std::vector<alignment::ClickedImage>& images,
                      const alignment::ClickMapOptions& options, int threads) {
  const std::size_t h = static_cast<std::size_t>(alignment::click_map_height(options)),
                    w = static_cast<std::size_t>(alignment::click_map_width(options));
  AtomicOutput out(path);
  auto file = h5::File::create(out.temp_path());
  std::vector<std::string> ids;
  for (const auto& image : images) ids.push_back(image.stimulus_id);
  file.write_strings("stimulus_id", ids);
  file.create_float("maps", {images.size(), h, w});
  constexpr std::size_t kBlock = 64;
  for (std::size_t begin = 0; begin < images.size(); begin += kBlock) {
    const std::size_t end = std::min(images.size(), begin + kBlock);
    const auto maps = parallel_map(end - begin, threads, [&](std::size_t k) {
      std::vector<const alignment::ClickTrial*> trials;
      for (const auto& trial : images[begin + k].trials) trials.push_back(&trial);
      return alignment::click_map(trials, options);
    });
    std::vector<float> rows;
    rows.reserve((end - begin) * h * w);
    for (const auto& m : maps) rows.insert(rows.end(), m.begin(), m.end());
    file.write_float_rows("maps", begin, end - begin, rows.data());
  }
  file.close();
  out.commit();
}

}  // namespace

int run_align_ceiling(const Params& p) {
  if (p.out.empty()) fail("--out: required, expected the output .json path");
  if (!p.maps.empty() || !p.checkpoint.empty() || !p.clickme.empty())
    fail(
        "--human-ceiling: the ceiling comes from the clicks alone; drop --maps, --checkpoint and --clickme");
  for (const auto& output : {p.out, csv_path_for(p.out), p.save_maps}) {
    if (!output.empty()) refuse_input_as_output(output, {p.human_ceiling});
  }
  AtomicOutput check_json(p.out), check_csv(csv_path_for(p.out));
  std::optional<AtomicOutput> check_maps;
  if (!p.save_maps.empty()) check_maps.emplace(p.save_maps);

  alignment::HumanCeilingRunInfo info;
  info.clicks = p.human_ceiling;
  info.grouping = {p.canvas, p.canvas, p.min_clicks, p.min_subjects};
  info.maps = {p.canvas, p.canvas, p.blur_size, p.crop};
  info.options = {p.iterations, p.seed, at::get_num_threads()};
  if (info.maps.crop > p.canvas) fail("--crop {} is larger than the --canvas {}", p.crop, p.canvas);
  const auto images = alignment::group_click_trials(alignment::read_click_log(p.human_ceiling),
                                                    info.grouping, &info.counts);
  const auto& n = info.counts;
  fmt::print(
      "{}: {} trials, {} images with >= {} participants ({} repeated trials, {} with < {} clicks, {} clicks "
      "outside the {}x{} canvas, {} images with too few participants left out)\n",
      p.human_ceiling, n.rows, n.images, p.min_subjects, n.repeated_trials, n.short_trials, p.min_clicks,
      n.clicks_outside, p.canvas, p.canvas, n.images_with_too_few_subjects);
  const auto ceiling = alignment::split_half_ceiling(images, info.maps, info.options);
  fmt::print(
      "split-half Spearman {:.4f} (std {:.4f} over images, {:.4f} over iterations; Spearman-Brown {:.4f}), "
      "floor {:.4f}, {} images x {} iterations in {:.1f} s\n",
      ceiling.ceiling, ceiling.ceiling_std_images, ceiling.ceiling_std_iterations,
      ceiling.spearman_brown, ceiling.floor, ceiling.per_image.size(), ceiling.iterations,
      ceiling.seconds);
  if (check_maps) write_human_maps(p.save_maps, images, info.maps, info.options.threads);
  write_text_files({{p.out, alignment::human_ceiling_json(ceiling, info)},
                    {csv_path_for(p.out), alignment::human_ceiling_csv(ceiling)}});
  fmt::print("wrote {} and {}{}\n", p.out, csv_path_for(p.out),
             p.save_maps.empty() ? "" : " and " + p.save_maps);
  return 0;
}

}  // namespace ventral::cli
