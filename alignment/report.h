// `ventral align` results as files: JSON (score, spearman, ceiling, dice, iou, n, protocol,
// per_image; the paper protocol adds spearman_56 and spearman_14) and a CSV beside it with
// one row per image; `align --human-ceiling` results the same way.
#pragma once

#include <string>

#include "alignment/alignment_score.h"
#include "alignment/human_ceiling.h"

namespace ventral::alignment {

/// What was scored, written with the results.
struct AlignmentRunInfo {
  std::string maps;     ///< the saliency-map file
  std::string clickme;  ///< the ClickMe file
};

std::string alignment_json(const AlignmentSummary& summary, const AlignmentRunInfo& info);
std::string alignment_csv(const AlignmentSummary& summary);

/// What the human ceiling was computed from and how.
struct HumanCeilingRunInfo {
  std::string clicks;  ///< the click log
  ClickGrouping grouping;
  ClickGroupingCounts counts;
  ClickMapOptions maps;
  HumanCeilingOptions options;
};

std::string human_ceiling_json(const HumanCeiling& ceiling, const HumanCeilingRunInfo& info);
std::string human_ceiling_csv(const HumanCeiling& ceiling);

}  // namespace ventral::alignment
