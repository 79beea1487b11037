#include "recurrent_cells/step_norm.h"

#include <torch/nn/init.h>

#include <algorithm>
#include <string>

namespace ventral::recurrent {

StepNormsImpl::StepNormsImpl(StepNorm kind, int64_t channels, int64_t timesteps, int64_t slots)
    : kind_(kind), timesteps_(timesteps), slots_(slots) {
  if (kind_ == StepNorm::none) return;
  for (int64_t i = 0; i < timesteps * slots; ++i) {
    const std::string name = "t" + std::to_string(i / slots) + "_" + std::to_string(i % slots);
    if (kind_ == StepNorm::batch) {
      auto bn = register_module(name,
                                layers::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(1e-3)));
      torch::nn::init::constant_(bn->weight, 0.1);
      batch_.push_back(bn);
    } else {
      auto in = register_module(name,
                                torch::nn::InstanceNorm2d(
                                    torch::nn::InstanceNorm2dOptions(channels).eps(1e-3).affine(true)));
      torch::nn::init::constant_(in->weight, 0.1);
      instance_.push_back(in);
    }
  }
}

torch::Tensor StepNormsImpl::forward(const torch::Tensor& x, int64_t t, int64_t slot) {
  if (kind_ == StepNorm::none) return x;
  const auto index = static_cast<size_t>(std::min(t, timesteps_ - 1) * slots_ + slot);
  return kind_ == StepNorm::batch ? batch_[index]->forward(x) : instance_[index]->forward(x);
}

}  // namespace ventral::recurrent
