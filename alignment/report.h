// `ventral align` results as files: JSON (score, spearman, ceiling, dice, iou, n, protocol,
// per_image; the paper protocol adds spearman_56 and spearman_14) and a CSV beside it with
// one row per image.
#pragma once

#include <string>

#include "alignment/alignment_score.h"

namespace ventral::alignment {

/// What was scored, written with the results.
struct AlignmentRunInfo {
  std::string maps;     ///< the saliency-map file
  std::string clickme;  ///< the ClickMe file
};

std::string alignment_json(const AlignmentSummary& summary, const AlignmentRunInfo& info);
std::string alignment_csv(const AlignmentSummary& summary);

}  // namespace ventral::alignment
