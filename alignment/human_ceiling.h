// The split-half inter-rater ceiling of ClickMe maps, from the clicks themselves
// (`ventral align --human-ceiling`): how well one half of the participants' map of an image
// predicts the other half's, in the Spearman rho the alignment score uses. Per image and
// iteration the participants are shuffled and cut in two halves (floor(n/2) and the rest),
// each half's click map built (click_maps.h) and the two ranked against each other; the floor
// is the same first half against the second half of another image (drawn once per image). As in
// serre-lab/human_clickme_data_processing (split-half over subjects, 50 iterations by
// default), without its bootstrap resampling of each half.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alignment/click_maps.h"

namespace ventral::alignment {

struct HumanCeilingOptions {
  int iterations = 50;
  std::uint64_t seed = 0;
  int threads = 1;
};

struct ImageCeiling {
  std::string stimulus_id;
  int subjects = 0;
  double ceiling = 0;  ///< mean split-half rho over the iterations (NaN ones left out)
  double floor = 0;    ///< mean rho of the first half against other images' second halves
};

struct HumanCeiling {
  double ceiling = 0;                 ///< mean over images of ImageCeiling::ceiling
  double ceiling_std_images = 0;      ///< spread over images (ddof 1)
  double ceiling_std_iterations = 0;  ///< spread of the image mean over the iterations (ddof 1)
  double spearman_brown = 0;          ///< 2c / (1 + c): the estimate for the full set of participants
  double floor = 0;
  int iterations = 0;
  std::size_t trials = 0;
  double seconds = 0;
  std::vector<ImageCeiling> per_image;
};

/// Needs at least two images (for the floor), each with at least two trials. Deterministic
/// for a seed whatever the number of threads (each image draws from its own stream).
HumanCeiling split_half_ceiling(const std::vector<ClickedImage>& images, const ClickMapOptions& maps,
                                const HumanCeilingOptions& options);

}  // namespace ventral::alignment
