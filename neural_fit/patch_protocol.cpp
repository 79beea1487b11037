#include "neural_fit/patch_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "common/error.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/kernel_pls.h"
#include "neural_fit/metrics.h"
#include "neural_fit/resample.h"

namespace ventral::neural_fit {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Matrix stack(const std::vector<Matrix>& parts, const Rows& which) {
  Index rows = 0;
  for (Index i : which) rows += parts[static_cast<std::size_t>(i)].rows();
  Matrix out(rows, parts.front().cols());
  Index at = 0;
  for (Index i : which) {
    const Matrix& p = parts[static_cast<std::size_t>(i)];
    out.middleRows(at, p.rows()) = p;
    at += p.rows();
  }
  return out;
}

Rows all_but(Index n, Index a, Index b = -1) {
  Rows out;
  for (Index i = 0; i < n; ++i) {
    if (i != a && i != b) out.push_back(i);
  }
  return out;
}

// Pearson r of two maps (g x g, row-major rows of `positions`), row by row, averaged.
double row_wise_agreement(const Vector& a, const Vector& b, Index grid) {
  Matrix ma(grid, grid), mb(grid, grid);
  for (Index y = 0; y < grid; ++y) {
    for (Index x = 0; x < grid; ++x) {
      ma(x, y) = a(y * grid + x);  // columns of ma are rows of the map
      mb(x, y) = b(y * grid + x);
    }
  }
  Vector r = pearson_columns(ma, mb);
  return r.mean();  // NaN if any row is constant, as numpy's mean
}

}  // namespace

std::vector<Matrix> maps_on_grid(const FeatureMatrix& x, Index c, Index h, Index w,
                                 const PatchData& data) {
  if (x.rows() != static_cast<Index>(data.stimulus_ids.size()))
    fail("patch protocol: {} feature rows for {} images", x.rows(), data.stimulus_ids.size());
  if (x.cols() != c * h * w)
    fail("patch protocol: {} features per image, expected {} x {} x {}", x.cols(), c, h, w);
  std::vector<Matrix> out;
  for (Index i = 0; i < x.rows(); ++i)
    out.push_back(resample_to_grid(x.row(i).data(), c, h, w, data.grid));
  return out;
}

std::vector<Matrix> layer_on_grid(const FeatureFile& features, const std::string& layer,
                                  const PatchData& data) {
  auto shape = features.layer_shape(layer);
  if (shape.size() != 3 && shape.size() != 2) {
    fail("{}: layer '{}' is {}; the patch protocol needs maps (C x H x W or H x W)", features.path(),
         layer, h5::shape_string(shape));
  }
  const Index c = shape.size() == 3 ? static_cast<Index>(shape[0]) : 1;
  const Index h = static_cast<Index>(shape[shape.size() - 2]), w = static_cast<Index>(shape.back());
  return maps_on_grid(features.read_rows(layer, features.rows_for(data.stimulus_ids)), c, h, w, data);
}

Vector patch_fold_correlations(const std::vector<Matrix>& x, const PatchData& data, const Rows& train,
                               Index test, const PatchOptions& options,
                               std::vector<std::string>* warnings) {
  KernelPls model(options.pls);
  model.fit_features(stack(x, train), stack(data.maps, train));
  if (warnings) {
    for (const auto& w : model.info().warnings) {
      if (std::find(warnings->begin(), warnings->end(), w) == warnings->end()) warnings->push_back(w);
    }
  }
  Matrix predicted = model.predict_features(x[static_cast<std::size_t>(test)]);
  return correlation_named(options.metric.correlation)(predicted,
                                                       data.maps[static_cast<std::size_t>(test)]);
}

double best_inter_site_ceiling(const PatchData& data) {
  std::vector<double> per_image;
  for (const Matrix& m : data.maps) {
    double best = kNaN;
    for (Index i = 0; i < data.sites - 1; ++i) {
      for (Index j = i + 1; j < data.sites - 1; ++j) {
        double r = row_wise_agreement(m.col(i), m.col(j), data.grid);
        if (std::isfinite(r) && !(r <= best)) best = r;
      }
    }
    if (std::isfinite(best)) per_image.push_back(best);
  }
  return per_image.empty() ? kNaN : mean(per_image);
}

CeilingResult patch_split_half_ceiling(const PatchData& data, const CeilingOptions& options) {
  CeilingResult result;
  result.value = kNaN;
  if (data.reps < 2) {
    result.reason = "no repetition axis";
    return result;
  }
  std::mt19937_64 rng(options.seed);
  const Index images = static_cast<Index>(data.maps.size());
  result.per_neuroid = Matrix::Zero(options.n_splits, data.sites);
  for (int k = 0; k < options.n_splits; ++k) {
    Rows order(static_cast<std::size_t>(data.reps));
    for (Index r = 0; r < data.reps; ++r) order[r] = r;
    portable_shuffle(order, rng);
    const std::size_t half = order.size() / 2;
    std::vector<double> image_medians;
    for (Index i = 0; i < images; ++i) {
      const auto& trials = data.trial_maps[static_cast<std::size_t>(i)];
      Matrix a = Matrix::Zero(data.grid * data.grid, data.sites), b = a;
      for (std::size_t t = 0; t < order.size(); ++t) (t < half ? a : b) += trials[order[t]];
      Vector r = pearson_columns(a / double(half), b / double(order.size() - half));
      for (Index s = 0; s < r.size(); ++s) r(s) = spearman_brown(r(s));
      result.per_neuroid.row(k) += r.transpose() / static_cast<double>(images);
      image_medians.push_back(nan_median(r));
    }
    result.per_split.push_back(mean(image_medians));
  }
  result.available = true;
  result.value = mean(result.per_split);
  result.sem = standard_error(result.per_split);
  return result;
}

PatchResult run_patch_protocol(const FeatureFile& features, const std::vector<std::string>& layers,
                               const PatchData& data, const PatchOptions& options) {
  if (layers.empty()) fail("patch protocol: no layers to score");
  std::vector<std::vector<Matrix>> grids;
  for (const auto& layer : layers) grids.push_back(layer_on_grid(features, layer, data));
  return run_patch_protocol(grids, layers, data, options);
}

PatchResult run_patch_protocol(const std::vector<std::vector<Matrix>>& grids,
                               const std::vector<std::string>& layers, const PatchData& data,
                               const PatchOptions& options) {
  if (layers.empty() || grids.size() != layers.size()) fail("patch protocol: no layers to score");
  check_metric(options.metric);
  if (options.metric.regression != "pls") {
    fail("patch protocol: the regression is PLS; '{}' is not available here", options.metric.regression);
  }
  const Aggregation aggregate = aggregation_named(options.metric.aggregation);
  PatchResult out;
  const Index images = static_cast<Index>(data.maps.size());
  // inner[l](i, j): aggregate r on image j when training without i and j (symmetric use)
  Matrix per_site(images, data.sites);
  for (Index i = 0; i < images; ++i) {
    Index best_layer = 0;
    double best_inner = -std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      std::vector<double> inner;
      for (Index j : all_but(images, i)) {
        inner.push_back(aggregate(patch_fold_correlations(grids[l], data, all_but(images, i, j), j,
                                                          options, &out.warnings),
                                  nullptr));
      }
      double score = mean(inner);
      if (score > best_inner) {
        best_inner = score;
        best_layer = static_cast<Index>(l);
      }
    }
    out.chosen_layer.push_back(layers[static_cast<std::size_t>(best_layer)]);
    per_site.row(i) = patch_fold_correlations(grids[static_cast<std::size_t>(best_layer)], data,
                                              all_but(images, i), i, options, &out.warnings)
                          .transpose();
  }
  for (std::size_t l = 0; l < layers.size(); ++l) {
    PatchLayer pl{layers[l], {}, 0};
    for (Index i = 0; i < images; ++i) {
      pl.fold_scores.push_back(aggregate(patch_fold_correlations(grids[l], data, all_but(images, i), i,
                                                                 options, &out.warnings),
                                         nullptr));
    }
    pl.mean = mean(pl.fold_scores);
    out.layers.push_back(std::move(pl));
  }
  out.split_half = patch_split_half_ceiling(data, options.ceiling);
  out.published_ceiling = best_inter_site_ceiling(data);
  double ceiling = out.split_half.available ? out.split_half.value : out.published_ceiling;
  out.score = make_score(per_site, ceiling, aggregate);
  out.ceiled_published = out.score.raw / out.published_ceiling;
  return out;
}

}  // namespace ventral::neural_fit
