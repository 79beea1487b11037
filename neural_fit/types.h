// Matrix types shared by neural_fit: float64 for all the math (scikit-learn casts to
// float64 too), float32 row-major for stored features (N stimuli x p flattened units).
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace ventral::neural_fit {

using Index = Eigen::Index;
using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using RowVector = Eigen::RowVectorXd;
/// Features as stored: one row per stimulus, C x H x W flattened in C order.
using FeatureMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Row positions (stimuli or samples) selected for a split.
using Rows = std::vector<Index>;

}  // namespace ventral::neural_fit
