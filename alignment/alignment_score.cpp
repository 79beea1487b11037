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

ImageAlignment align_image(const std::vector<float>& model_map, int h, int w,
                           const std::vector<float>& heatmap, int hh, int hw) {
  const auto human = clickme_human_map(heatmap.data(), hh, hw);
  const auto model = (h == kScoreSide && w == kScoreSide)
                         ? model_map
                         : resize_bilinear(model_map.data(), h, w, kScoreSide, kScoreSide);
  const std::size_t n = static_cast<std::size_t>(kScoreSide) * kScoreSide;
  const auto overlap = top_overlap(model.data(), human.data(), n);
  return {"", spearman(model.data(), human.data(), n), overlap.dice, overlap.iou};
}

AlignmentSummary summarise(std::vector<ImageAlignment> per_image, double ceiling) {
  AlignmentSummary s;
  s.ceiling = ceiling;
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

std::vector<std::size_t> match_records(const MapFile& maps, const ClickMeFile& clickme) {
  std::vector<std::size_t> records(maps.size());
  if (maps.stimulus_ids().empty()) {
    if (maps.size() != clickme.size()) {
      fail(
          "{}: {} maps without stimulus_id for {} ClickMe records in {}; give the maps in record order, "
          "one per record, or add a stimulus_id dataset",
          maps.path(), maps.size(), clickme.size(), clickme.maps().path());
    }
    for (std::size_t i = 0; i < records.size(); ++i) records[i] = i;
    return records;
  }
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < clickme.size(); ++i) by_id[clickme.stimulus_ids()[i]] = i;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto found = by_id.find(maps.stimulus_ids()[i]);
    if (found == by_id.end()) {
      fail("{}: stimulus_id '{}' is not in {}", maps.path(), maps.stimulus_ids()[i],
           clickme.maps().path());
    }
    records[i] = found->second;
  }
  return records;
}

AlignmentSummary score_map_file(const MapFile& maps, const ClickMeFile& clickme, int threads) {
  const auto records = match_records(maps, clickme);
  const auto& human = clickme.maps();
  Progress progress("align", static_cast<std::int64_t>(records.size()), "images");
  std::vector<ImageAlignment> per_image;
  per_image.reserve(records.size());
  constexpr std::size_t kBlock = 256;  // progress between blocks; maps read inside the workers
  for (std::size_t begin = 0; begin < records.size(); begin += kBlock) {
    const std::size_t end = std::min(records.size(), begin + kBlock);
    auto block = parallel_map(end - begin, threads, [&](std::size_t k) {
      const std::size_t i = begin + k, record = records[i];
      auto image = align_image(maps.read(i), maps.height(), maps.width(), human.read(record),
                               human.height(), human.width());
      image.stimulus_id = clickme.stimulus_ids()[record];
      return image;
    });
    for (auto& image : block) per_image.push_back(std::move(image));
    progress.update(static_cast<std::int64_t>(end));
  }
  auto summary = summarise(std::move(per_image));
  summary.seconds = progress.elapsed_s();
  return summary;
}

}  // namespace ventral::alignment
