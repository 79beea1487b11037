#include "recurrent_cells/fgru.h"

#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/nn/init.h>
#include <torch/torch.h>

#include "common/error.h"

namespace ventral::recurrent {
namespace {

namespace F = torch::nn::functional;

torch::Tensor reflect_conv(const torch::Tensor& x, const torch::Tensor& w) {
  const int64_t p = w.size(2) / 2;
  if (p == 0) return torch::conv2d(x, w);
  return torch::conv2d(F::pad(x, F::PadFuncOptions({p, p, p, p}).mode(torch::kReflect)), w);
}

}  // namespace

CellOptions fgru_reference_options(int64_t channels, int64_t kernel_size, int64_t timesteps) {
  return CellOptions(channels)
      .kernel_size(kernel_size)
      .timesteps(timesteps)
      .nonlinearity(Nonlinearity::relu)
      .normalisation(StepNorm::instance)
      .hidden_init(HiddenInit::identity);
}

FGruCircuitImpl::FGruCircuitImpl(CellOptions opts) : options(std::move(opts)) {
  check_cell_options("fgru", options);
  const int64_t c = options.channels();
  const int64_t k = options.kernel_size();
  w_inh = register_parameter("w_inh", torch::empty({c, c, k, k}));
  w_exc = register_parameter("w_exc", torch::empty({c, c, k, k}));
  u1 = register_parameter("u1", torch::empty({c, c, 1, 1}));
  u2 = register_parameter("u2", torch::empty({c, c, 1, 1}));
  gain_bias = register_parameter("gain_bias", torch::empty({c}));
  mix_bias = register_parameter("mix_bias", torch::empty({c}));
  alpha = register_parameter("alpha", torch::empty({1, c, 1, 1}), !options.lesion_alpha());
  mu = register_parameter("mu", torch::empty({1, c, 1, 1}), !options.lesion_mu());
  kappa = register_parameter("kappa", torch::empty({1, c, 1, 1}), !options.lesion_kappa());
  omega = register_parameter("omega", torch::empty({1, c, 1, 1}), !options.lesion_omega());
  norms = register_module("norms", StepNorms(options.normalisation(), c, options.timesteps(), 4));
  reset_parameters();
}

void FGruCircuitImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  namespace init = torch::nn::init;
  init::orthogonal_(w_inh);
  init::orthogonal_(w_exc);
  init::orthogonal_(u1);
  init::orthogonal_(u2);
  const auto tau = chronos_log_time_constants(options.channels(), options.timesteps());
  gain_bias.copy_(tau);
  mix_bias.copy_(-tau);
  alpha.fill_(0.1);
  mu.fill_(1.0);
  kappa.fill_(0.5);
  omega.fill_(0.5);
}

std::pair<torch::Tensor, torch::Tensor> FGruCircuitImpl::forward(const torch::Tensor& x,
                                                                 const torch::Tensor& h, int64_t t) {
  const auto f = [this](const torch::Tensor& v) {
    return apply_nonlinearity(options.nonlinearity(), v);
  };
  const auto bias = [](const torch::Tensor& b) { return b.view({1, -1, 1, 1}); };
  const auto g1 = torch::sigmoid(norms->forward(torch::conv2d(h, u1), t, 0) + bias(gain_bias));
  const auto c1 = norms->forward(reflect_conv(h * g1, w_inh), t, 1);
  const auto suppression = suppression_factor(options, alpha, mu, h);
  const auto h1 = suppression.defined() ? f(x - f(suppression * c1)) : f(x);
  const auto g2 = torch::sigmoid(norms->forward(torch::conv2d(h1, u2), t, 2) + bias(mix_bias));
  const auto c2 = norms->forward(reflect_conv(h1, w_exc), t, 3);
  const auto drive = excitation_drive(options, kappa, omega, h1, c2);
  return {g2, f(drive)};
}

FGruImpl::FGruImpl(CellOptions opts) : options(std::move(opts)) {
  circuit = register_module("circuit", FGruCircuit(options));
}

torch::Tensor FGruImpl::initial_state(const torch::Tensor& input) {
  return make_hidden_init(options.hidden_init(), input);
}

torch::Tensor FGruImpl::step(const torch::Tensor& x, const torch::Tensor& h, int64_t t) {
  const auto [g2, candidate] = circuit->forward(x, h, t);
  return (1.0 - g2) * h + g2 * candidate;
}

FGruTopDownImpl::FGruTopDownImpl(FGruTopDownOptions opts) : options(std::move(opts)) {
  const int64_t low = options.low_channels(), high = options.high_channels();
  if (high <= 0) fail("fgru top-down: high_channels must be positive, got {}", high);
  auto cell = CellOptions(low)
                  .kernel_size(options.kernel_size())
                  .timesteps(options.timesteps())
                  .normalisation(options.normalisation())
                  .nonlinearity(options.nonlinearity());
  circuit = register_module("circuit", FGruCircuit(cell));
  up_norm = register_module("up_norm", torch::nn::InstanceNorm2d(
                                           torch::nn::InstanceNorm2dOptions(high).affine(true)));
  up_conv1 = register_module("up_conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(high, low, 1)));
  up_conv2 = register_module("up_conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(low, low, 1)));
}

torch::Tensor FGruTopDownImpl::upsample(const torch::Tensor& h_high, const torch::Tensor& like) {
  auto up = F::interpolate(h_high, F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{like.size(2), like.size(3)})
                                       .mode(torch::kBilinear)
                                       .align_corners(false));
  return torch::relu(up_conv2->forward(torch::relu(up_conv1->forward(up_norm->forward(up)))));
}

torch::Tensor FGruTopDownImpl::forward(const torch::Tensor& h_low, const torch::Tensor& h_high,
                                       int64_t t) {
  const auto hidden = upsample(h_high, h_low);
  const auto [g2, candidate] = circuit->forward(h_low, hidden, t);
  auto next = (1.0 - g2) * h_low + g2 * candidate;
  return options.residual() ? next + h_low : next;
}

}  // namespace ventral::recurrent
