#include "recurrent_cells/cell_options.h"

#include <torch/nn/init.h>
#include <torch/torch.h>

#include <algorithm>

#include "common/error.h"

namespace ventral::recurrent {

std::vector<std::pair<std::string, Nonlinearity>> nonlinearity_names() {
  return {{"tanh", Nonlinearity::tanh},
          {"relu", Nonlinearity::relu},
          {"softplus", Nonlinearity::softplus}};
}

std::vector<std::pair<std::string, StepNorm>> step_norm_names() {
  return {{"none", StepNorm::none}, {"batch", StepNorm::batch}, {"instance", StepNorm::instance}};
}

Nonlinearity parse_nonlinearity(const std::string& name) {
  if (name == "tanh") return Nonlinearity::tanh;
  if (name == "relu") return Nonlinearity::relu;
  if (name == "softplus") return Nonlinearity::softplus;
  fail("unknown nonlinearity '{}'; known: relu, softplus, tanh", name);
}

StepNorm parse_step_norm(const std::string& name) {
  if (name == "none") return StepNorm::none;
  if (name == "batch") return StepNorm::batch;
  if (name == "instance") return StepNorm::instance;
  fail("unknown per-step normalisation '{}'; known: batch, instance, none", name);
}

HiddenInit parse_hidden_init(const std::string& name) {
  if (name == "zero") return HiddenInit::zero;
  if (name == "random") return HiddenInit::random;
  if (name == "identity") return HiddenInit::identity;
  fail("unknown hidden init '{}'; known: identity, random, zero", name);
}

void check_cell_options(const std::string& cell_name, const CellOptions& o) {
  if (o.channels() <= 0) fail("{}: channels must be positive, got {}", cell_name, o.channels());
  if (o.input_channels() < 0) {
    fail("{}: input_channels must be >= 0 (0: same as channels), got {}", cell_name, o.input_channels());
  }
  if (o.kernel_size() <= 0 || o.kernel_size() % 2 == 0) {
    fail("{}: kernel_size must be a positive odd number, got {}", cell_name, o.kernel_size());
  }
  if (o.timesteps() <= 0) fail("{}: timesteps must be positive, got {}", cell_name, o.timesteps());
  const bool horizontal = cell_name == "hgru" || cell_name == "fgru";
  if (horizontal && o.input_channels() != 0 && o.input_channels() != o.channels()) {
    fail("{}: input_channels must equal channels ({}), got {}", cell_name, o.channels(),
         o.input_channels());
  }
}

torch::Tensor suppression_factor(const CellOptions& o, const torch::Tensor& alpha,
                                 const torch::Tensor& mu, const torch::Tensor& h) {
  if (o.lesion_alpha() && o.lesion_mu()) return {};
  if (o.lesion_alpha()) return mu;
  if (o.lesion_mu()) return alpha * h;
  return alpha * h + mu;
}

torch::Tensor excitation_drive(const CellOptions& o, const torch::Tensor& kappa,
                               const torch::Tensor& omega, const torch::Tensor& h1,
                               const torch::Tensor& c2) {
  torch::Tensor drive = torch::zeros_like(h1);
  if (!o.lesion_kappa()) drive = drive + kappa * (h1 + c2);
  if (!o.lesion_omega()) drive = drive + omega * (h1 * c2);
  return drive;
}

torch::Tensor apply_nonlinearity(Nonlinearity nonlinearity, const torch::Tensor& x) {
  switch (nonlinearity) {
    case Nonlinearity::tanh:
      return torch::tanh(x);
    case Nonlinearity::relu:
      return torch::relu(x);
    case Nonlinearity::softplus:
      return torch::nn::functional::softplus(x);
  }
  return x;
}

torch::Tensor chronos_log_time_constants(int64_t channels, int64_t timesteps) {
  torch::NoGradGuard no_grad;
  const double upper = std::max<double>(static_cast<double>(timesteps - 1), 1.0);
  return torch::empty({channels}).uniform_(1.0, upper).log_();
}

void make_channel_symmetric(torch::Tensor& weight) {
  {
    torch::NoGradGuard no_grad;
    weight.copy_(0.5 * (weight + weight.transpose(0, 1)));
  }
  weight.register_hook([](torch::Tensor grad) { return 0.5 * (grad + grad.transpose(0, 1)); });
}

torch::Tensor make_hidden_init(HiddenInit init, const torch::Tensor& input) {
  switch (init) {
    case HiddenInit::zero:
      return torch::zeros_like(input);
    case HiddenInit::identity:
      return input;
    case HiddenInit::random: {
      torch::NoGradGuard no_grad;
      auto h = torch::empty_like(input);
      torch::nn::init::xavier_normal_(h);
      return h;
    }
  }
  return torch::zeros_like(input);
}

}  // namespace ventral::recurrent
