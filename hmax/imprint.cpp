#include "hmax/imprint.h"

#include <torch/torch.h>

#include <random>

#include "common/error.h"
#include "common/random_draw.h"

namespace ventral::hmax {
namespace {

struct Candidate {
  int64_t image;
  int64_t band;
};

// Uniform integer in [0, n): common/random_draw.h's rejection draw over the standard's
// 64-bit Mersenne Twister, the same with every standard library and without modulo bias.
int64_t draw(std::mt19937_64& rng, int64_t n) {
  return static_cast<int64_t>(uniform_below(rng, static_cast<std::uint64_t>(n)));
}

}  // namespace

ImprintResult imprint_prototypes(const std::vector<std::vector<torch::Tensor>>& c1_per_image,
                                 const ImprintOptions& options) {
  if (c1_per_image.empty()) fail("imprint: no images given");
  if (options.per_size <= 0) fail("imprint: --per-size must be positive, got {}", options.per_size);
  std::mt19937_64 rng(options.seed);
  ImprintResult result;
  for (int m : options.sizes) {
    if (m <= 0 || m % 2 != 0) fail("imprint: patch size {} must be a positive even number", m);
    std::vector<Candidate> candidates;
    for (int64_t i = 0; i < static_cast<int64_t>(c1_per_image.size()); ++i) {
      for (int64_t k = 0; k < static_cast<int64_t>(c1_per_image[i].size()); ++k) {
        const auto& band = c1_per_image[i][k];
        if (band.size(1) >= m && band.size(2) >= m) candidates.push_back({i, k});
      }
    }
    if (candidates.empty()) {
      fail("imprint: no C1 band of the given images is at least {}x{}; use larger images", m, m);
    }
    auto patches = torch::empty({options.per_size, 4, m, m}, torch::kFloat32);
    auto where = torch::empty({options.per_size, 4}, torch::kInt64);
    for (int p = 0; p < options.per_size; ++p) {
      // The maxlab recipe: random image, then random band, then random position.
      const int64_t image = draw(rng, static_cast<int64_t>(c1_per_image.size()));
      std::vector<int64_t> bands;
      for (const auto& c : candidates) {
        if (c.image == image) bands.push_back(c.band);
      }
      const Candidate pick = bands.empty() ? candidates[draw(rng, candidates.size())]
                                           : Candidate{image, bands[draw(rng, bands.size())]};
      const auto& band = c1_per_image[pick.image][pick.band];
      const int64_t row = draw(rng, band.size(1) - m + 1);
      const int64_t col = draw(rng, band.size(2) - m + 1);
      patches[p].copy_(band.narrow(1, row, m).narrow(2, col, m));
      auto w = where[p];
      w[0] = pick.image;
      w[1] = pick.band;
      w[2] = row;
      w[3] = col;
    }
    result.prototypes.sizes.push_back(m);
    result.prototypes.patches.push_back(patches);
    result.provenance.push_back(where);
  }
  return result;
}

}  // namespace ventral::hmax
