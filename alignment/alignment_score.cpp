#include "alignment/alignment_score.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "alignment/clickme_map.h"
#include "alignment/rank_correlation.h"
#include "alignment/top_overlap.h"
#include "common/error.h"
#include "common/parallel_map.h"
#include "common/progress.h"

namespace ventral::alignment {

Protocol parse_protocol(const std::string& name) {
  if (name == "release") return Protocol::release;
  if (name == "paper") return Protocol::paper;
  fail("--protocol {}: expected release (scoring.md 1.1-1.3) or paper (1.4)", name);
}

std::string protocol_name(Protocol protocol) {
  return protocol == Protocol::paper ? "paper" : "release";
}

namespace {

// rho of both 224 x 224 maps reduced to side x side (bilinear, half-pixel, no antialias).
double reduced_spearman(const std::vector<float>& model, const std::vector<float>& human, int side) {
  const auto a = resize_bilinear(model.data(), kScoreSide, kScoreSide, side, side);
  const auto b = resize_bilinear(human.data(), kScoreSide, kScoreSide, side, side);
  return spearman(a.data(), b.data(), a.size());
}

double nan_mean(const std::vector<ImageAlignment>& images, double ImageAlignment::*field) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& image : images) {
    if (!std::isnan(image.*field)) {
      sum += image.*field;
      ++n;
    }
  }
  return n > 0 ? sum / static_cast<double>(n) : std::nan("");
}

}  // namespace

ImageAlignment align_image(const std::vector<float>& model_map, int h, int w,
                           const std::vector<float>& heatmap, int hh, int hw, Protocol protocol) {
  const auto human = clickme_human_map(heatmap.data(), hh, hw);
  const auto model = (h == kScoreSide && w == kScoreSide)
                         ? model_map
                         : resize_bilinear(model_map.data(), h, w, kScoreSide, kScoreSide);
  const std::size_t n = static_cast<std::size_t>(kScoreSide) * kScoreSide;
  const auto overlap = top_overlap(model.data(), human.data(), n);
  ImageAlignment image{"", spearman(model.data(), human.data(), n), overlap.dice, overlap.iou};
  if (protocol == Protocol::paper) {
    image.spearman_56 = reduced_spearman(model, human, kScoreSide / 4);
    image.spearman_14 = reduced_spearman(model, human, kScoreSide / 16);
  }
  return image;
}

AlignmentSummary summarise(std::vector<ImageAlignment> per_image, double ceiling, Protocol protocol) {
  AlignmentSummary s;
  s.ceiling = ceiling;
  s.protocol = protocol;
  if (protocol == Protocol::paper) {
    s.spearman_56 = nan_mean(per_image, &ImageAlignment::spearman_56);
    s.spearman_14 = nan_mean(per_image, &ImageAlignment::spearman_14);
  }
  s.n = per_image.size();
  double rho = 0, dice = 0, iou = 0;
  std::size_t overlaps = 0;
  for (const auto& image : per_image) {
    if (std::isnan(image.spearman)) {
      ++s.undefined;
    } else {
      rho += image.spearman;
    }
    if (!std::isnan(image.dice)) {
      dice += image.dice;
      iou += image.iou;
      ++overlaps;
    }
  }
  const double defined = static_cast<double>(s.n - s.undefined);
  s.spearman = defined > 0 ? rho / defined : std::nan("");
  s.score = s.spearman / ceiling;
  s.dice = overlaps > 0 ? dice / static_cast<double>(overlaps) : std::nan("");
  s.iou = overlaps > 0 ? iou / static_cast<double>(overlaps) : std::nan("");
  s.per_image = std::move(per_image);
  return s;
}

std::vector<std::size_t> match_records(const MapFile& maps, const ClickMeSource& clickme) {
  std::vector<std::size_t> records(maps.size());
  if (maps.stimulus_ids().empty()) {
    if (maps.size() != clickme.size()) {
      fail(
          "{}: {} maps without stimulus_id for {} ClickMe records in {}; give the maps in record order, "
          "one per record, or add a stimulus_id dataset",
          maps.path(), maps.size(), clickme.size(), clickme.path());
    }
    for (std::size_t i = 0; i < records.size(); ++i) records[i] = i;
    return records;
  }
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < clickme.size(); ++i) by_id[clickme.stimulus_ids()[i]] = i;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto found = by_id.find(maps.stimulus_ids()[i]);
    if (found == by_id.end()) {
      fail("{}: stimulus_id '{}' is not in {}", maps.path(), maps.stimulus_ids()[i], clickme.path());
    }
    records[i] = found->second;
  }
  return records;
}

AlignmentSummary score_map_file(const MapFile& maps, const ClickMeSource& clickme, int threads,
                                Protocol protocol) {
  const auto records = match_records(maps, clickme);
  Progress progress("align", static_cast<std::int64_t>(records.size()), "images");
  std::vector<ImageAlignment> per_image;
  per_image.reserve(records.size());
  constexpr std::size_t kBlock = 256;  // progress between blocks; maps read inside the workers
  for (std::size_t begin = 0; begin < records.size(); begin += kBlock) {
    const std::size_t end = std::min(records.size(), begin + kBlock);
    auto block = parallel_map(end - begin, threads, [&](std::size_t k) {
      const std::size_t i = begin + k, record = records[i];
      const auto human = clickme.human_map(record);
      auto image = align_image(maps.read(i), maps.height(), maps.width(), human.values, human.height,
                               human.width, protocol);
      image.stimulus_id = clickme.stimulus_ids()[record];
      return image;
    });
    for (auto& image : block) per_image.push_back(std::move(image));
    progress.update(static_cast<std::int64_t>(end));
  }
  auto summary = summarise(std::move(per_image), kHumanSpearmanCeiling, protocol);
  summary.seconds = progress.elapsed_s();
  return summary;
}

}  // namespace ventral::alignment
