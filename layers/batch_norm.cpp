#include "layers/batch_norm.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>
#include <torch/torch.h>

#include "common/error.h"

namespace ventral::layers {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// grad_out, input, weight, mean, invstd -> grad_input, grad_weight, grad_bias, by LibTorch's
// kernel; its backward is the fused double backward.
class BatchNormGrad : public torch::autograd::Function<BatchNormGrad> {
 public:
  static tensor_list forward(AutogradContext* ctx, const torch::Tensor& grad_out,
                             const torch::Tensor& input, const torch::Tensor& weight,
                             const torch::Tensor& mean, const torch::Tensor& invstd, double eps) {
    ctx->set_materialize_grads(false);
    ctx->save_for_backward({grad_out, input, weight, mean, invstd});
    auto [gi, gw, gb] = at::native_batch_norm_backward(grad_out, input, weight, {}, {}, mean, invstd,
                                                       /*train=*/true, eps, {true, true, true});
    return {gi, gw, gb};
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    if (torch::GradMode::is_enabled()) {
      // Deliberate: nothing in ventral takes third derivatives, and a silent zero would be wrong.
      fail("batch norm: third derivatives are refused (the fused double backward is the last order)");
    }
    const auto saved = ctx->get_saved_variables();
    auto [gg_out, g_input, g_weight] = batch_norm_double_backward(saved[1], saved[2], saved[3], saved[4],
                                                                  saved[0], grads[0], grads[1],
                                                                  grads[2]);
    return {gg_out, g_input, g_weight, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

class BatchNormTrain : public torch::autograd::Function<BatchNormTrain> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               const torch::Tensor& running_mean, const torch::Tensor& running_var,
                               double momentum, double eps) {
    auto [out, mean, invstd] = at::native_batch_norm(input, weight, bias, running_mean, running_var,
                                                     /*training=*/true, momentum, eps);
    ctx->save_for_backward({input, weight, mean, invstd});
    ctx->saved_data["eps"] = eps;
    return out;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    auto g = BatchNormGrad::apply(grads[0], saved[0], saved[1], saved[2], saved[3],
                                  ctx->saved_data["eps"].toDouble());
    return {g[0], g[1], g[2], torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

const float* data_or_null(const torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }

}  // namespace

BatchNorm2dImpl::BatchNorm2dImpl(const torch::nn::BatchNormOptions& options_) : options(options_) {
  reset();
}

void BatchNorm2dImpl::reset() {
  const int64_t features = options.num_features();
  if (options.affine()) {
    weight = register_parameter("weight", torch::ones({features}));
    bias = register_parameter("bias", torch::zeros({features}));
  } else {
    weight = register_parameter("weight", torch::Tensor(), /*requires_grad=*/false);
    bias = register_parameter("bias", torch::Tensor(), /*requires_grad=*/false);
  }
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", torch::zeros({features}));
    running_var = register_buffer("running_var", torch::ones({features}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(0, torch::kLong));
  } else {
    running_mean = register_buffer("running_mean", torch::Tensor());
    running_var = register_buffer("running_var", torch::Tensor());
    num_batches_tracked = register_buffer("num_batches_tracked", torch::Tensor());
  }
}

void BatchNorm2dImpl::pretty_print(std::ostream& stream) const {
  stream << "ventral::layers::BatchNorm2d(" << options.num_features() << ", eps=" << options.eps()
         << ", momentum=" << options.momentum().value_or(-1) << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

torch::Tensor BatchNorm2dImpl::forward(const torch::Tensor& input) {
  if (input.dim() != 4) fail("BatchNorm2d: expected a 4-D input (N x C x H x W), got {}-D", input.dim());
  // torch::nn::BatchNormImplBase::forward's bookkeeping of the running averages.
  double factor = options.momentum().value_or(0.0);
  if (is_training() && options.track_running_stats() && num_batches_tracked.defined()) {
    num_batches_tracked += 1;
    if (!options.momentum()) factor = 1.0 / num_batches_tracked.item<double>();
  }
  const bool batch_statistics = is_training() || !options.track_running_stats();
  const bool fused = batch_statistics && options.affine() && input.is_cpu() &&
                     input.scalar_type() == torch::kFloat32 && torch::GradMode::is_enabled();
  if (fused)
    return batch_norm_train(input, weight, bias, running_mean, running_var, factor, options.eps());
  return torch::batch_norm(input, weight, bias, running_mean, running_var, batch_statistics, factor,
                           options.eps(), /*cudnn_enabled=*/true);
}

torch::Tensor batch_norm_train(const torch::Tensor& input, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& running_mean,
                               const torch::Tensor& running_var, double momentum, double eps) {
  return BatchNormTrain::apply(input, weight, bias, running_mean, running_var, momentum, eps);
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> batch_norm_double_backward(
    const torch::Tensor& input_in, const torch::Tensor& weight_in, const torch::Tensor& mean_in,
    const torch::Tensor& invstd_in, const torch::Tensor& grad_out_in, const torch::Tensor& gg_input_in,
    const torch::Tensor& gg_weight_in, const torch::Tensor& gg_bias_in) {
  const auto input = input_in.contiguous(), grad_out = grad_out_in.contiguous();
  const auto weight = weight_in.contiguous(), mean = mean_in.contiguous(),
             invstd = invstd_in.contiguous();
  const auto gg_input = gg_input_in.defined() ? gg_input_in.contiguous() : gg_input_in;
  const auto gg_weight = gg_weight_in.defined() ? gg_weight_in.contiguous() : gg_weight_in;
  const auto gg_bias = gg_bias_in.defined() ? gg_bias_in.contiguous() : gg_bias_in;
  const int64_t n = input.size(0), channels = input.size(1),
                plane = input.numel() / std::max<int64_t>(n * channels, 1);
  const double count = static_cast<double>(n * plane);

  const bool has_ggi = gg_input.defined(), has_ggw = gg_weight.defined(), has_ggb = gg_bias.defined();
  torch::Tensor g_input, g_out, g_weight;
  if (has_ggi || has_ggw) g_input = torch::empty_like(input);
  if (has_ggi || has_ggw || has_ggb) g_out = torch::empty_like(input);
  if (has_ggi) g_weight = torch::empty_like(weight);

  const float* x = input.data_ptr<float>();
  const float* go = grad_out.data_ptr<float>();
  const float* ggi = data_or_null(gg_input);
  const float* ggw = data_or_null(gg_weight);
  const float* ggb = data_or_null(gg_bias);
  const float* w = weight.data_ptr<float>();
  const float* mu_of = mean.data_ptr<float>();
  const float* invstd_of = invstd.data_ptr<float>();
  float* gi = g_input.defined() ? g_input.data_ptr<float>() : nullptr;
  float* gout = g_out.defined() ? g_out.data_ptr<float>() : nullptr;
  float* gw = g_weight.defined() ? g_weight.data_ptr<float>() : nullptr;

  at::parallel_for(0, channels, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      const double mu = mu_of[c], s = invstd_of[c], gamma = w[c];
      const double G = ggw ? ggw[c] : 0.0, B = ggb ? ggb[c] : 0.0;
      // Pass 1: the channel's sums (d = x - mean).
      double sum_go = 0, sum_go_d = 0, sum_ggi = 0, sum_ggi_d = 0, sum_go_ggi = 0;
      for (int64_t b = 0; b < n; ++b) {
        const int64_t offset = (b * channels + c) * plane;
        for (int64_t i = 0; i < plane; ++i) {
          const double d = x[offset + i] - mu, g = go[offset + i];
          sum_go += g;
          sum_go_d += g * d;
          if (ggi) {
            const double h = ggi[offset + i];
            sum_ggi += h;
            sum_ggi_d += h * d;
            sum_go_ggi += g * h;
          }
        }
      }
      const double s2 = s * s, s3 = s2 * s, m = count;
      // gI = gamma (a0 d + a1 (mean gO - gO) + a2 (mean ggI - ggI)) + G (s gO - s mean gO - s^3 d mean(gO d))
      const double all_sub = sum_ggi * sum_go / m - sum_go_ggi + 3.0 / m * s2 * sum_go_d * sum_ggi_d;
      const double a0 = s3 * all_sub / m, a1 = sum_ggi_d * s3 / m, a2 = sum_go_d * s3 / m;
      const double mean_go = sum_go / m, mean_ggi = sum_ggi / m;
      const double o_scale = gamma * s / m;
      if (gw)
        gw[c] = static_cast<float>(s / m *
                                   (m * sum_go_ggi - sum_go * sum_ggi - s2 * sum_go_d * sum_ggi_d));
      // Pass 2: the elementwise outputs.
      for (int64_t b = 0; b < n; ++b) {
        const int64_t offset = (b * channels + c) * plane;
        for (int64_t i = 0; i < plane; ++i) {
          const double d = x[offset + i] - mu, g = go[offset + i], h = ggi ? ggi[offset + i] : 0.0;
          if (gi) {
            double v = 0;
            if (ggi) v = gamma * (a0 * d + a1 * (mean_go - g) + a2 * (mean_ggi - h));
            if (ggw) v += G * (s * g - s * mean_go - d * s3 * sum_go_d / m);
            gi[offset + i] = static_cast<float>(v);
          }
          if (gout) {
            double v = B;
            if (ggi) v += o_scale * (m * h - sum_ggi - d * s2 * sum_ggi_d);
            if (ggw) v += G * d * s;
            gout[offset + i] = static_cast<float>(v);
          }
        }
      }
    }
  });
  return {g_out, g_input, g_weight};
}

}  // namespace ventral::layers
