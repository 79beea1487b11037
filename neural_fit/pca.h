// Randomized SVD (Halko, Martinsson & Tropp 2011, alg. 4.4 with power iterations) to
// reduce a layer to K components before the fit, as Brain-Score's layer selection does
// with PCA(1000). It runs on the centred Gram G = Xc Xc^T = U S^2 U^T, so the cost is
// N^2 (K + oversampling) per power iteration whatever the layer width; the scores
// Xc V = U S are returned. Fitted on the scored stimuli themselves (Brain-Score fits on
// 1000 ImageNet images; ventral has only the feature file).
#pragma once

#include <cstdint>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct RandomizedSvdOptions {
  Index components = 1000;   ///< K
  Index oversampling = 10;   ///< extra random directions
  int power_iterations = 7;  ///< subspace iterations (sklearn's 'auto' for small K)
  std::uint64_t seed = 0;
};

/// Top-K principal component scores U_K S_K (N x K, K <= rank) from the centred Gram.
/// Returns the singular values in `singular_values` when given.
Matrix pca_scores_from_gram(const Matrix& gram, const RandomizedSvdOptions& options,
                            Vector* singular_values = nullptr);

}  // namespace ventral::neural_fit
