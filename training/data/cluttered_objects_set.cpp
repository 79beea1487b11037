#include "training/data/cluttered_objects_set.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "alignment/clickme_writer.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/progress.h"
#include "training/data/dataset.h"

namespace ventral::data {
namespace {

constexpr std::size_t kBlock = 256;

// Items [begin, end) of a one-channel dataset of square images.
stimuli::ObjectPool read_pool(const Dataset& d, const std::string& name, std::size_t begin,
                              std::size_t end) {
  if (d.channels() != 1) fail("{}: objects must be gray (one channel), got {}", name, d.channels());
  if (end <= begin) fail("{}: no objects in items {}..{}", name, begin, end);
  stimuli::ObjectPool pool;
  pool.classes = static_cast<int>(d.classes().size());
  for (std::size_t i = begin; i < end; ++i) {
    const Image image = d.load(i);
    if (i == begin) pool.item_side = image.height;
    if (image.height != pool.item_side || image.width != pool.item_side)
      fail("{}: objects must be square and of one size; {} is {}x{}", name, d.source(i), image.width,
           image.height);
    pool.pixels.insert(pool.pixels.end(), image.pixels.begin(), image.pixels.end());
    pool.labels.push_back(d.label(i));
  }
  return pool;
}

const char* cue_name(stimuli::CueMode mode) {
  switch (mode) {
    case stimuli::CueMode::predictive:
      return "predictive";
    case stimuli::CueMode::shuffled:
      return "shuffled";
    default:
      return "absent";
  }
}

struct SplitPlan {
  std::string name;
  const stimuli::ObjectPool* pool;
  std::uint64_t stream;  ///< seed stream: splits sharing one draw the same images
  std::size_t first, count;
  stimuli::CueMode cue;
};

}  // namespace

ClutteredSetSummary write_cluttered_set(const ClutteredSetOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.out.empty()) fail("--out: required, the folder to write the set into");
  if (options.count < 6) fail("--count {}: expected at least 6 training images", options.count);
  auto train_source = open_dataset(options.source, options.source_train_split);
  auto test_source = open_dataset(options.source, options.source_test_split);
  const std::size_t n = train_source->size(), held_out = n / 6;
  const auto pool_train = read_pool(*train_source, options.source, 0, n - held_out);
  const auto pool_val = read_pool(*train_source, options.source, n - held_out, n);
  const auto pool_test = read_pool(*test_source, options.source, 0, test_source->size());
  for (const auto* pool : {&pool_train, &pool_val, &pool_test})
    stimuli::validate_cluttered_options(options.objects, *pool);

  const std::size_t count = options.count, extra = std::max<std::size_t>(1, count / 3),
                    small = std::max<std::size_t>(1, count / 6);
  using stimuli::CueMode;
  const std::vector<SplitPlan> plans = {
      {"train", &pool_train, 1, 0, count, CueMode::predictive},
      {"clickme", &pool_train, 1, count, extra, CueMode::predictive},
      {"val", &pool_val, 2, 0, small, CueMode::predictive},
      {"test", &pool_test, 3, 0, small, CueMode::predictive},
      {"test_nocue", &pool_test, 3, 0, small, CueMode::absent},
      {"test_shuffled", &pool_test, 3, 0, small, CueMode::shuffled},
  };
  // No split may replace a file the objects are read from (e.g. --data h5:DIR --out DIR).
  const auto source = parse_dataset_spec(options.source);
  const std::vector<std::string> inputs = {source.path,
                                           source.path + "/" + options.source_train_split + ".h5",
                                           source.path + "/" + options.source_test_split + ".h5"};
  for (const auto& plan : plans) refuse_input_as_output(options.out + "/" + plan.name + ".h5", inputs);
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec) fail("--out {}: cannot create the folder: {}", options.out, ec.message());

  ClutteredSetSummary summary;
  std::size_t total = 0, done = 0;
  for (const auto& plan : plans) total += plan.count;
  Progress progress("data cluttered", static_cast<std::int64_t>(total), "images");
  const int side = options.objects.side;
  const std::size_t plane = static_cast<std::size_t>(side) * side;
  for (const auto& plan : plans) {
    auto objects = options.objects;
    objects.cue = plan.cue;
    const std::string path = options.out + "/" + plan.name + ".h5";
    alignment::ClickMeWriter writer(path, plan.count, side, side, train_source->classes());
    for (std::size_t begin = 0; begin < plan.count; begin += kBlock) {
      const std::size_t end = std::min(plan.count, begin + kBlock);
      alignment::ClickMeRows rows;
      rows.images.reserve((end - begin) * plane * 3);
      rows.maps.reserve((end - begin) * plane);
      for (std::size_t i = begin; i < end; ++i) {
        const auto sample = stimuli::make_cluttered_object(*plan.pool, objects,
                                                           options.seed * 16 + plan.stream,
                                                           plan.first + i);
        rows.images.insert(rows.images.end(), sample.rgb.begin(), sample.rgb.end());
        rows.maps.insert(rows.maps.end(), sample.map.begin(), sample.map.end());
        rows.labels.push_back(sample.label);
        rows.stimulus_ids.push_back(fmt::format("{}-{}", plan.name, i));
      }
      writer.append(rows);
      done += end - begin;
      progress.update(static_cast<std::int64_t>(done));
    }
    writer.attribute("generator", "ventral data cluttered (stimuli/cluttered_objects)");
    writer.attribute("source", options.source);
    writer.attribute("seed", std::to_string(options.seed));
    writer.attribute("cue", cue_name(plan.cue));
    writer.attribute("cue_agreement", fmt::format("{}", options.objects.cue_agreement));
    writer.commit();
    summary.files.emplace_back(path, plan.count);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ventral::data
