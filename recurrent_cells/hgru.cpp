#include "recurrent_cells/hgru.h"

#include <torch/nn/init.h>
#include <torch/torch.h>

#include <algorithm>

namespace ventral::recurrent {
namespace {

torch::Tensor channel_vector(int64_t channels) { return torch::empty({1, channels, 1, 1}); }

}  // namespace

HGruImpl::HGruImpl(CellOptions opts) : options(std::move(opts)) {
  check_cell_options("hgru", options);
  const int64_t c = options.channels();
  const int64_t k = options.kernel_size();
  w_inh = register_parameter("w_inh", torch::empty({c, c, k, k}));
  if (options.two_kernels()) w_exc = register_parameter("w_exc", torch::empty({c, c, k, k}));
  u1 = register_parameter("u1", torch::empty({c, c, 1, 1}));
  u2 = register_parameter("u2", torch::empty({c, c, 1, 1}));
  gain_bias = register_parameter("gain_bias", torch::empty({c}));
  mix_bias = register_parameter("mix_bias", torch::empty({c}));
  alpha = register_parameter("alpha", channel_vector(c), !options.lesion_alpha());
  mu = register_parameter("mu", channel_vector(c), !options.lesion_mu());
  gamma = register_parameter("gamma", channel_vector(c));
  kappa = register_parameter("kappa", channel_vector(c), !options.lesion_kappa());
  omega = register_parameter("omega", channel_vector(c), !options.lesion_omega());
  if (options.step_scale()) eta = register_parameter("eta", torch::empty({options.timesteps()}));
  norms = register_module("norms", StepNorms(options.normalisation(), c, options.timesteps(), 4));
  reset_parameters();
  make_channel_symmetric(w_inh);
  if (options.two_kernels()) make_channel_symmetric(w_exc);
}

void HGruImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  namespace init = torch::nn::init;
  init::xavier_uniform_(w_inh);
  w_inh.copy_(0.5 * (w_inh + w_inh.transpose(0, 1)));
  if (options.two_kernels()) {
    init::xavier_uniform_(w_exc);
    w_exc.copy_(0.5 * (w_exc + w_exc.transpose(0, 1)));
  }
  init::xavier_uniform_(u1);
  init::xavier_uniform_(u2);
  const auto tau = chronos_log_time_constants(options.channels(), options.timesteps());
  mix_bias.copy_(tau);
  gain_bias.copy_(-tau);
  alpha.fill_(0.1);
  mu.fill_(1.0);
  gamma.fill_(1.0);
  kappa.fill_(0.5);
  omega.fill_(0.5);
  if (options.step_scale()) eta.uniform_(0.0, 1.0);
}

torch::Tensor HGruImpl::initial_state(const torch::Tensor& input) {
  return make_hidden_init(options.hidden_init(), input);
}

torch::Tensor HGruImpl::step(const torch::Tensor& x, const torch::Tensor& h, int64_t t) {
  const auto zeta = [this](const torch::Tensor& v) {
    return apply_nonlinearity(options.nonlinearity(), v);
  };
  const auto bias = [](const torch::Tensor& b) { return b.view({1, -1, 1, 1}); };

  const auto g1 = torch::sigmoid(norms->forward(torch::conv2d(h, u1), t, 0) + bias(gain_bias));
  const auto c1 = norms->forward(horizontal_conv2d(g1 * h, w_inh, options.conv_method()), t, 1);
  // Suppression factor (alpha H + mu); a lesion drops its term entirely.
  const auto suppression = suppression_factor(options, alpha, mu, h);
  const auto h1 = suppression.defined() ? zeta(x - suppression * c1) : zeta(x);

  const auto g2 = torch::sigmoid(norms->forward(torch::conv2d(h1, u2), t, 2) + bias(mix_bias));
  const auto c2 = gamma *
                  norms->forward(horizontal_conv2d(h1, excitation_kernel(), options.conv_method()), t,
                                 3);
  const auto drive = excitation_drive(options, kappa, omega, h1, c2);
  const auto candidate = zeta(drive);

  auto next = g2 * h + (1.0 - g2) * candidate;
  if (options.step_scale()) next = eta[std::min(t, options.timesteps() - 1)] * next;
  return next;
}

}  // namespace ventral::recurrent
