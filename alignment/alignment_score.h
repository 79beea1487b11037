// The ClickMe alignment score of saliency maps (docs/reference/scoring.md sec. 1.3): per image,
// Spearman's rho between the model's map and the human map over the 224 x 224 pixels, plus
// Dice and IoU of their top 10%; the score is the mean rho over images divided by the human
// inter-rater ceiling 0.6575315343478081 of the reference package.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "alignment/clickme_file.h"

namespace ventral::alignment {

/// HUMAN_SPEARMAN_CEILING of serre-lab/Harmonization (first release, commit 12d4cf6).
constexpr double kHumanSpearmanCeiling = 0.6575315343478081;

/// `release`: scoring.md 1.1-1.3, the numbers the reference publishes. `paper`: the
/// paper-era variant (1.4): saliency |mean_c grad| of images min-max rescaled per batch,
/// and rho also at 56 and 14 px (both maps bilinearly reduced before ranking).
enum class Protocol { release, paper };
Protocol parse_protocol(const std::string& name);  ///< Error for another name
std::string protocol_name(Protocol protocol);

struct ImageAlignment {
  std::string stimulus_id;
  double spearman = 0;  ///< NaN when either map is constant
  double dice = 0;
  double iou = 0;
  /// paper protocol: rho of both maps reduced to 56 x 56 and 14 x 14 (reducers 4, 16)
  double spearman_56 = std::numeric_limits<double>::quiet_NaN();
  double spearman_14 = std::numeric_limits<double>::quiet_NaN();
};

struct AlignmentSummary {
  double score = 0;     ///< mean spearman / ceiling
  double spearman = 0;  ///< mean rho over the images where it is defined
  double ceiling = kHumanSpearmanCeiling;
  double dice = 0;
  double iou = 0;
  std::size_t n = 0;  ///< images scored
  /// Images whose rho is NaN (a constant map, or NaN/inf in a map), left out of the mean rho;
  /// Dice and IoU are averaged over the images where they are defined (all but NaN/inf maps).
  std::size_t undefined = 0;
  double seconds = 0;        ///< wall time of the whole scoring
  double model_seconds = 0;  ///< of which the model's forward + backward and the map copy (models only)
  Protocol protocol = Protocol::release;
  double spearman_56 = std::numeric_limits<double>::quiet_NaN();  ///< paper: mean rho at 56 px
  double spearman_14 = std::numeric_limits<double>::quiet_NaN();  ///< paper: mean rho at 14 px
  std::vector<ImageAlignment> per_image;
};

/// One image: `model_map` (h x w, resized to 224 x 224 bilinearly when it is another size)
/// against the released heatmap (hh x hw) through clickme_human_map.
ImageAlignment align_image(const std::vector<float>& model_map, int h, int w,
                           const std::vector<float>& heatmap, int hh, int hw,
                           Protocol protocol = Protocol::release);

/// Means over images (NaN rho left out and counted) and the score.
AlignmentSummary summarise(std::vector<ImageAlignment> per_image, double ceiling = kHumanSpearmanCeiling,
                           Protocol protocol = Protocol::release);

/// For each map of `maps`, the ClickMe record it belongs to: by stimulus_id when the map
/// file has ids (every id must be in the ClickMe file), else by position (the counts must
/// be equal). Error naming the files otherwise.
std::vector<std::size_t> match_records(const MapFile& maps, const ClickMeSource& clickme);

/// Scores every map of `maps` against its ClickMe record, images on `threads` threads,
/// with progress lines on stderr.
AlignmentSummary score_map_file(const MapFile& maps, const ClickMeSource& clickme, int threads,
                                Protocol protocol = Protocol::release);

}  // namespace ventral::alignment
