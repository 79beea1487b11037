#include "neural_fit/ceiling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "neural_fit/cross_validation.h"
#include "neural_fit/metrics.h"

namespace ventral::neural_fit {

Matrix half_average(const Trials& trials, Index n_stimuli, const std::vector<Index>& half) {
  Matrix sum = Matrix::Zero(n_stimuli, trials.responses.cols());
  Vector count = Vector::Zero(n_stimuli);
  for (std::size_t i = 0; i < trials.stimulus.size(); ++i) {
    if (std::find(half.begin(), half.end(), trials.repetition[i]) == half.end()) continue;
    sum.row(trials.stimulus[i]) += trials.responses.row(static_cast<Index>(i));
    count(trials.stimulus[i]) += 1;
  }
  for (Index s = 0; s < n_stimuli; ++s) {
    if (count(s) > 0) {
      sum.row(s) /= count(s);
    } else {
      sum.row(s).setConstant(std::numeric_limits<double>::quiet_NaN());
    }
  }
  return sum;
}

CeilingResult split_half_ceiling(const Trials& trials, Index n_stimuli, const CeilingOptions& options) {
  CeilingResult result;
  result.value = std::numeric_limits<double>::quiet_NaN();
  std::vector<Index> reps(trials.repetition.begin(), trials.repetition.end());
  std::sort(reps.begin(), reps.end());
  reps.erase(std::unique(reps.begin(), reps.end()), reps.end());
  if (reps.size() < 2) {
    result.reason = "fewer than two repetitions per stimulus";
    return result;
  }
  std::mt19937_64 rng(options.seed);
  const Index first_half = static_cast<Index>(reps.size() / 2);
  result.per_neuroid.resize(options.n_splits, trials.responses.cols());
  for (int k = 0; k < options.n_splits; ++k) {
    Rows order(reps.begin(), reps.end());
    portable_shuffle(order, rng);
    std::vector<Index> half_a(order.begin(), order.begin() + first_half);
    std::vector<Index> half_b(order.begin() + first_half, order.end());
    Matrix a = half_average(trials, n_stimuli, half_a);
    Matrix b = half_average(trials, n_stimuli, half_b);
    Rows both;
    for (Index s = 0; s < n_stimuli; ++s) {
      if (!std::isnan(a(s, 0)) && !std::isnan(b(s, 0))) both.push_back(s);
    }
    Matrix aa(static_cast<Index>(both.size()), a.cols()), bb(aa.rows(), a.cols());
    for (std::size_t i = 0; i < both.size(); ++i) {
      aa.row(static_cast<Index>(i)) = a.row(both[i]);
      bb.row(static_cast<Index>(i)) = b.row(both[i]);
    }
    Vector r = pearson_columns(aa, bb);
    for (Index j = 0; j < r.size(); ++j) r(j) = spearman_brown(r(j));
    result.per_neuroid.row(k) = r.transpose();
    result.per_split.push_back(nan_median(r));
  }
  result.available = true;
  result.value = mean(result.per_split);
  result.sem = standard_error(result.per_split);
  return result;
}

}  // namespace ventral::neural_fit
