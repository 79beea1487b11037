#include "training/data/pathfinder_dataset.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/parallel_map.h"
#include "common/progress.h"
#include "common/random_draw.h"

namespace ventral::data {
namespace {

using stimuli::generate_pathfinder;
using stimuli::pathfinder_preset;
using stimuli::pathfinder_preset_for_size;
using stimuli::PathfinderOptions;
using stimuli::PathfinderPaddle;
using stimuli::PathfinderSample;
using stimuli::validate_pathfinder_options;

constexpr std::size_t kBlock = 1024;  // images generated in parallel, then written together

void append_paddles(const std::vector<PathfinderPaddle>& paddles, std::size_t slots,
                    std::vector<float>* out) {
  for (std::size_t k = 0; k < slots; ++k) {
    if (k < paddles.size()) {
      const auto& p = paddles[k];
      out->insert(out->end(), {p.y0, p.x0, p.y1, p.x1});
    } else {
      out->insert(out->end(), 4, std::numeric_limits<float>::quiet_NaN());
    }
  }
}

void write_settings(h5::File& file, const PathfinderOptions& o, std::uint64_t seed, std::size_t count) {
  auto list = [](const auto& values) {
    std::string text;
    for (const auto& v : values) text += (text.empty() ? "" : ",") + fmt::format("{}", v);
    return text;
  };
  file.write_attribute("generator", "ventral data pathfinder (drewlinsley/pathfinder snakes2 recipe)");
  file.write_attribute("preset", o.preset);
  file.write_attribute("seed", std::to_string(seed));
  file.write_attribute("count", std::to_string(count));
  file.write_attribute("window_size", std::to_string(o.window_px));
  file.write_attribute("contour_length", std::to_string(o.contour_length));
  file.write_attribute("distractor_length", std::to_string(o.distractor_length()));
  file.write_attribute("num_distractor_snakes", std::to_string(o.distractor_snakes()));
  file.write_attribute("padding", std::to_string(o.padding));
  file.write_attribute("seed_distance", std::to_string(o.seed_distance));
  file.write_attribute("marker_radius", fmt::format("{}", o.marker_radius));
  file.write_attribute("paddle_length", std::to_string(o.paddle_length));
  file.write_attribute("paddle_thickness", fmt::format("{}", o.paddle_thickness));
  file.write_attribute("paddle_margin_list", list(o.paddle_margins));
  file.write_attribute("continuity", fmt::format("{}", o.continuity));
  file.write_attribute("antialias_scale", std::to_string(o.antialias_scale));
  file.write_attribute("snake_contrast_list", list(o.snake_contrasts));
  file.write_attribute("paddle_contrast_list", list(o.paddle_contrasts));
}

}  // namespace

std::vector<PathfinderSample> generate_pathfinder_range(const PathfinderOptions& options,
                                                        std::uint64_t seed, std::size_t begin,
                                                        std::size_t end, int threads) {
  validate_pathfinder_options(options);
  return parallel_map(end - begin, threads,
                      [&](std::size_t k) { return generate_pathfinder(options, seed, begin + k); });
}

PathfinderWriteSummary write_pathfinder_h5(const PathfinderOptions& options, std::uint64_t seed,
                                           std::size_t count, int threads, const std::string& out_path) {
  validate_pathfinder_options(options);
  if (count == 0) fail("pathfinder: count must be positive, got 0");
  AtomicOutput output(out_path);
  // Settings that cannot place the snakes fail on the first image, before any file exists.
  generate_pathfinder(options, seed, 0);
  const std::size_t length = options.contour_length;
  const std::size_t dsnakes = options.distractor_snakes(), dlength = options.distractor_length();
  const bool with_distractors = dsnakes > 0 && dlength > 0;
  h5::File file = h5::File::create(output.temp_path());
  const auto side = static_cast<std::size_t>(options.window_px);
  file.create_uint8("images", {count, side, side});
  file.create_float("snakes", {count, 2, length, 4});
  file.create_float("markers", {count, 2, 2});
  if (with_distractors) file.create_float("distractors", {count, dsnakes, dlength, 4});

  PathfinderWriteSummary summary;
  std::vector<std::int64_t> labels, margins;
  Progress progress("data pathfinder", static_cast<std::int64_t>(count), "images");
  const std::size_t image_bytes = static_cast<std::size_t>(options.window_px) * options.window_px;
  for (std::size_t begin = 0; begin < count; begin += kBlock) {
    const std::size_t end = std::min(count, begin + kBlock);
    auto samples = generate_pathfinder_range(options, seed, begin, end, threads);
    std::vector<std::uint8_t> pixels;
    std::vector<float> snakes, markers, distractors;
    pixels.reserve(samples.size() * image_bytes);
    for (const auto& s : samples) {
      pixels.insert(pixels.end(), s.pixels.begin(), s.pixels.end());
      for (const auto& target : s.targets) append_paddles(target, length, &snakes);
      for (const auto& m : s.markers) markers.insert(markers.end(), m.begin(), m.end());
      for (std::size_t d = 0; with_distractors && d < dsnakes; ++d) {
        append_paddles(d < s.distractors.size() ? s.distractors[d] : std::vector<PathfinderPaddle>{},
                       dlength, &distractors);
      }
      labels.push_back(s.label);
      margins.push_back(s.margin);
      summary.positives += s.label == 1 ? 1 : 0;
    }
    file.write_uint8_rows("images", begin, end - begin, pixels.data());
    file.write_float_rows("snakes", begin, end - begin, snakes.data());
    file.write_float_rows("markers", begin, end - begin, markers.data());
    if (with_distractors) file.write_float_rows("distractors", begin, end - begin, distractors.data());
    progress.update(static_cast<std::int64_t>(end));
  }
  file.write_int64("labels", {count}, labels.data());
  file.write_int64("margins", {count}, margins.data());
  file.write_strings("classes", {"different", "same"});
  write_settings(file, options, seed, count);
  file.close();
  output.commit();
  summary.images = count;
  summary.seconds = progress.elapsed_s();
  return summary;
}

PathfinderSpec parse_pathfinder_spec(const std::string& spec, const std::string& query) {
  const char* expected = "expected pathfinder:?length=14&size=64&count=N&seed=S[&preset=NAME]";
  if (query.empty() || query[0] != '?') fail("dataset '{}': {}", spec, expected);
  long long length = 14, size = 0, count = 1000;
  bool size_given = false;
  unsigned long long seed = 0;
  std::string preset;
  std::size_t pos = 1;
  while (pos <= query.size()) {
    std::size_t amp = std::min(query.find('&', pos), query.size());
    std::string item = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "preset") {
      preset = value;
      continue;
    }
    char* end = nullptr;
    errno = 0;
    long long number = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno != 0) {
      fail("dataset '{}': {}={} is not an integer; {}", spec, key, value, expected);
    }
    if (key == "length") length = number;
    else if (key == "size") size = number, size_given = true;
    else if (key == "count") count = number;
    else if (key == "seed" && number >= 0) seed = static_cast<unsigned long long>(number);
    else fail("dataset '{}': unknown or negative setting '{}'; {}", spec, key, expected);
  }
  if (length <= 0 || length > 100000) {
    fail("dataset '{}': length={} must be a positive number of paddles", spec, length);
  }
  if (!size_given) size = preset.empty() ? 64 : pathfinder_preset(preset, 1).window_px;
  if (size <= 0 || size > 100000)
    fail("dataset '{}': size={} must be a positive number of px", spec, size);
  if (count <= 0) fail("dataset '{}': count={} must be positive", spec, count);
  if (preset.empty()) preset = pathfinder_preset_for_size(static_cast<int>(size));
  PathfinderSpec parsed;
  parsed.options = pathfinder_preset(preset, static_cast<int>(length));
  parsed.options.window_px = static_cast<int>(size);
  parsed.seed = seed;
  parsed.count = static_cast<std::size_t>(count);
  return parsed;
}

std::uint64_t pathfinder_split_seed(std::uint64_t seed, const std::string& split,
                                    const std::string& spec) {
  if (split == "train") return seed;
  if (split == "val") return mix64(seed ^ 1);
  if (split == "test") return mix64(seed ^ 2);
  fail("dataset '{}': unknown split '{}', expected train, val or test", spec, split);
}

PathfinderDataset::PathfinderDataset(const PathfinderSpec& spec, std::uint64_t seed, std::string name,
                                     int threads)
    : name_(std::move(name)), size_px_(spec.options.window_px) {
  auto samples = generate_pathfinder_range(spec.options, seed, 0, spec.count, threads);
  const std::size_t image_bytes = static_cast<std::size_t>(size_px_) * size_px_;
  pixels_.reserve(samples.size() * image_bytes);
  for (const auto& s : samples) {
    pixels_.insert(pixels_.end(), s.pixels.begin(), s.pixels.end());
    labels_.push_back(s.label);
  }
}

Image PathfinderDataset::load(std::size_t i) const {
  if (i >= labels_.size()) fail("{}: sample {} out of range ({} images)", name_, i, labels_.size());
  const std::size_t image_bytes = static_cast<std::size_t>(size_px_) * size_px_;
  Image image{size_px_, size_px_, 1, {}};
  image.pixels.assign(pixels_.begin() + i * image_bytes, pixels_.begin() + (i + 1) * image_bytes);
  return image;
}

std::string PathfinderDataset::source(std::size_t i) const { return fmt::format("{}[{}]", name_, i); }

}  // namespace ventral::data
