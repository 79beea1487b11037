#include "hmax/hmax_wide.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/error.h"
#include "hmax/scale_pyramid.h"
#include "models/model_options.h"
#include "models/recurrent_options.h"
#include "models/recurrent_pass.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/make_cell.h"

namespace ventral::hmax {
namespace {

int bands_after(int scales, int pools) { return std::max(1, scales - pools); }

}  // namespace

HmaxWideOptions hmax_wide_preset(int input_size, Recurrence recurrence) {
  HmaxWideOptions o;
  if (input_size < models::kSmallImageSide) {
    o.width(32).s1_kernel(5).s1_stride(1).s2_width(64).s2_kernel(3).s3_width(128).hgru_kernel(5);
  }
  if (recurrence == Recurrence::gamma) o.timesteps(4);
  return o.recurrence(recurrence);
}

namespace {

HmaxWideOptions read_options(models::ModelOptionReader& read, Recurrence recurrence) {
  namespace rc = recurrent;
  const HmaxWideOptions d = hmax_wide_preset(read.get_input_size(), recurrence);
  HmaxWideOptions o = d;
  o.in_chans(read.get_int("in_chans", d.in_chans(), 1));
  o.num_classes(read.get_int("num_classes", d.num_classes(), 1));
  o.width(read.get_int("width", d.width(), 1));
  o.s1_kernel(read.get_odd("s1_kernel", d.s1_kernel()));
  o.s1_stride(read.get_int("s1_stride", d.s1_stride(), 1));
  o.scales(read.get_int("scales", d.scales(), 1));
  o.c_pool(read.get_int("c_pool", d.c_pool(), 1));
  o.c_stride(read.get_int("c_stride", d.c_stride(), 1));
  o.s2_width(read.get_int("s2_width", d.s2_width(), 1));
  o.s2_kernel(read.get_odd("s2_kernel", d.s2_kernel()));
  o.s3_width(read.get_int("s3_width", d.s3_width(), 1));
  o.s3_kernel(read.get_odd("s3_kernel", d.s3_kernel()));
  o.batchnorm(read.get_bool("batchnorm", d.batchnorm()));
  o.conv1x1(read.get_bool("conv1x1", d.conv1x1()));
  o.residual(read.get_bool("residual", d.residual()));
  o.stage3(read.get_bool("stage3", d.stage3()));
  o.dropout(read.get_double("dropout", d.dropout(), 0.0, 0.99));
  o.scale_pool(read.get_enum("scale_pool", d.scale_pool(), scale_pool_kind_names()));
  o.global_max(read.get_enum("global_pool", d.global_max(), {{"max", true}, {"avg", false}}));
  if (recurrence == Recurrence::none) return o;
  o.timesteps(read.get_int("timesteps", d.timesteps(), 1));
  o.eval_timesteps(read.get_int("eval_timesteps", d.eval_timesteps(), 0));
  if (recurrence == Recurrence::hgru) {
    o.recurrent_grad(read.get_enum("recurrent_grad", d.recurrent_grad(), rc::recurrent_grad_names()));
    if (o.recurrent_grad() == rc::RecurrentGrad::crbp) o.crbp(models::read_crbp_options(read));
    o.hgru_kernel(read.get_odd("hgru_kernel", d.hgru_kernel()));
    o.hgru_s2(read.get_bool("hgru_s2", d.hgru_s2()));
    // C-RBP assumes one step map for every t: per-step batch norms would break that.
    const bool crbp = o.recurrent_grad() == rc::RecurrentGrad::crbp;
    o.hgru_norm(
        read.get_enum("hgru_norm", crbp ? rc::StepNorm::none : d.hgru_norm(), rc::step_norm_names()));
  } else {
    // Two coupled circuits have no single-cell fixed point for C-RBP here.
    o.recurrent_grad(
        read.get_enum("recurrent_grad", rc::RecurrentGrad::bptt, {{"bptt", rc::RecurrentGrad::bptt}}));
    o.hgru_kernel(read.get_odd("fgru_kernel", d.hgru_kernel()));
  }
  return o;
}

}  // namespace

HmaxWideOptions read_hmax_wide_options(models::ModelOptionReader& read) {
  return read_options(read, Recurrence::none);
}

HmaxWideOptions read_hmax_hgru_options(models::ModelOptionReader& read) {
  return read_options(read, Recurrence::hgru);
}

HmaxWideOptions read_hmax_gamma_options(models::ModelOptionReader& read) {
  return read_options(read, Recurrence::gamma);
}

std::string HmaxWideImpl::model_name() const {
  switch (options.recurrence()) {
    case Recurrence::hgru:
      return "hmax-hgru";
    case Recurrence::gamma:
      return "hmax-gamma";
    case Recurrence::none:
      break;
  }
  return "hmax-wide";
}

HmaxWideImpl::HmaxWideImpl(HmaxWideOptions opts) : options(std::move(opts)) {
  const auto& o = options;
  auto block = [&](int64_t in, int64_t out, int64_t kernel, int64_t stride, bool modern) {
    return SBlock(SBlockOptions(in, out, kernel)
                      .stride(stride)
                      .batchnorm(o.batchnorm())
                      .conv1x1(modern && o.conv1x1())
                      .residual(modern && o.residual()));
  };
  // S1 stays one plain filter bank (the Gabor-like front end); the modern ingredients
  // apply to the higher S stages.
  s1_ = register_module("s1", block(o.in_chans(), o.width(), o.s1_kernel(), o.s1_stride(), false));
  c1_ = register_module("c1",
                        ScalePool(
                            ScalePoolOptions(o.width(), o.c_pool(), o.c_stride()).kind(o.scale_pool())));
  s2_ = register_module("s2", block(o.width(), o.s2_width(), o.s2_kernel(), 1, true));
  c2_ = register_module(
      "c2", ScalePool(ScalePoolOptions(o.s2_width(), o.c_pool(), o.c_stride()).kind(o.scale_pool())));
  int64_t top = o.s2_width();
  if (o.stage3()) {
    s3_ = register_module("s3", block(o.s2_width(), o.s3_width(), o.s3_kernel(), 1, true));
    top = o.s3_width();
  }
  if (o.recurrence() == Recurrence::gamma) {
    namespace rc = recurrent;
    h1_ = register_module("f1",
                          rc::make_cell("fgru", rc::fgru_reference_options(o.width(), o.hgru_kernel(),
                                                                           o.timesteps())));
    h2_ = register_module("f2",
                          rc::make_cell("fgru", rc::fgru_reference_options(o.s2_width(), o.hgru_kernel(),
                                                                           o.timesteps())));
    top_down_ = register_module(
        "top_down",
        rc::FGruTopDown(rc::FGruTopDownOptions(o.width(), o.s2_width()).timesteps(o.timesteps())));
  } else if (o.recurrence() == Recurrence::hgru) {
    auto cell_options = [&](int64_t channels) {
      return recurrent::CellOptions(channels)
          .kernel_size(o.hgru_kernel())
          .timesteps(o.timesteps())
          .normalisation(o.hgru_norm())
          // C-RBP needs a time-invariant step map (a fixed point), so no per-step scale.
          .step_scale(o.recurrent_grad() != recurrent::RecurrentGrad::crbp);
    };
    h1_ = register_module("h1", recurrent::make_cell("hgru", cell_options(o.width())));
    if (o.hgru_s2())
      h2_ = register_module("h2", recurrent::make_cell("hgru", cell_options(o.s2_width())));
  }
  dropout_ = register_module("dropout", torch::nn::Dropout(o.dropout()));
  head_ = register_module("head", torch::nn::Linear(top, o.num_classes()));
}

std::vector<std::string> HmaxWideImpl::layer_names() const {
  const int levels = options.scales();
  const int b1 = bands_after(levels, 1);
  const int b2 = bands_after(levels, 2);
  std::vector<std::pair<std::string, int>> groups = {{"s1", levels}, {"c1", b1}, {"s2", b1}, {"c2", b2}};
  if (options.stage3()) groups.push_back({"s3", b2});
  std::vector<std::string> names;
  if (options.recurrence() != Recurrence::none) {
    for (int64_t k = 1; k <= eval_steps(); ++k) {
      groups.push_back({fmt::format("c1@t{}", k), b1});
      if (options.hgru_s2() || options.recurrence() == Recurrence::gamma)
        groups.push_back({fmt::format("s2@t{}", k), b1});
    }
  }
  for (const auto& [group, count] : groups) names.push_back(group);
  if (options.stage3()) names.push_back("c3");
  names.push_back("pre_logits");
  names.push_back("logits");
  for (const auto& [group, count] : groups) {
    for (int i = 0; i < count; ++i) names.push_back(fmt::format("{}/{}", group, i));
  }
  return names;
}

torch::Tensor HmaxWideImpl::run(const torch::Tensor& images, models::ForwardPass& pass) {
  std::vector<torch::Tensor> s1;
  for (const auto& level : image_pyramid(images, options.scales())) s1.push_back(s1_->forward(level));
  pass.keep_group("s1", s1);
  auto c1 = c1_->forward(s1);
  pass.keep_group("c1", c1);
  std::vector<torch::Tensor> s2;
  if (options.recurrence() == Recurrence::gamma) {
    s2 = gamma_loop(c1, pass);
    pass.keep_group("s2", s2);
  } else {
    if (h1_) c1 = recur(*h1_, c1, "c1", pass);
    for (const auto& band : c1) s2.push_back(s2_->forward(band));
    pass.keep_group("s2", s2);
    if (h2_) s2 = recur(*h2_, s2, "s2", pass);
  }
  auto c2 = c2_->forward(s2);
  pass.keep_group("c2", c2);
  torch::Tensor pooled;
  if (options.stage3()) {
    std::vector<torch::Tensor> s3;
    for (const auto& band : c2) s3.push_back(s3_->forward(band));
    pass.keep_group("s3", s3);
    pooled = global_scale_pool(s3, options.global_max());
    pass.keep("c3", pooled);
  } else {
    pooled = global_scale_pool(c2, options.global_max());
  }
  pass.keep("pre_logits", pooled);
  auto logits = head_->forward(dropout_->forward(pooled));
  pass.keep("logits", logits);
  return logits;
}

int64_t HmaxWideImpl::forward_flops(int64_t height, int64_t width) const {
  const auto hs = pyramid_sides(height, options.scales());
  const auto ws = pyramid_sides(width, options.scales());
  const int64_t k = options.c_pool(), stride = options.c_stride();
  auto pool = [&](int64_t side) { return (side + 2 * (k / 2) - k) / stride + 1; };
  // A C stage keeps the size of the larger scale of each adjacent pair.
  auto c_stage = [&](const std::vector<std::pair<int64_t, int64_t>>& in) {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, in.size() - 1); ++i) {
      out.emplace_back(pool(in[i].first), pool(in[i].second));
    }
    return out;
  };
  int64_t flops = 0;
  std::vector<std::pair<int64_t, int64_t>> maps;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    int64_t h = 0, w = 0;
    flops += s1_->forward_flops(hs[i], ws[i], &h, &w);
    maps.emplace_back(h, w);
  }
  maps = c_stage(maps);
  for (auto& [h, w] : maps) flops += s2_->forward_flops(h, w, &h, &w);
  maps = c_stage(maps);
  if (options.stage3()) {
    for (auto& [h, w] : maps) flops += s3_->forward_flops(h, w, &h, &w);
  }
  flops += 2 * head_->options.in_features() * head_->options.out_features();
  return flops;
}

int64_t HmaxWideImpl::steps() const { return is_training() ? options.timesteps() : eval_steps(); }

std::vector<torch::Tensor> HmaxWideImpl::recur(recurrent::RecurrentCellImpl& cell,
                                               const std::vector<torch::Tensor>& bands,
                                               const std::string& stage, models::ForwardPass& pass) {
  const int64_t t_max = steps();
  std::vector<torch::Tensor> result;
  const auto stage_options = recurrent::RecurrentStageOptions()
                                 .steps(t_max)
                                 .grad(options.recurrent_grad())
                                 .crbp(options.crbp());
  for (std::size_t b = 0; b < bands.size(); ++b) {
    const models::RecurrentPassNames names{stage + "@t", fmt::format("/{}", b),
                                           fmt::format("lipschitz/{}/{}", stage, b)};
    result.push_back(models::run_recurrent_pass(cell, bands[b], stage_options, names, pass));
  }
  return result;
}

std::vector<torch::Tensor> HmaxWideImpl::gamma_loop(const std::vector<torch::Tensor>& c1,
                                                    models::ForwardPass& pass) {
  const int64_t t_max = steps();
  std::vector<torch::Tensor> result;
  for (std::size_t b = 0; b < c1.size(); ++b) {
    auto low = h1_->initial_state(c1[b]);
    torch::Tensor high;
    for (int64_t t = 0; t < t_max; ++t) {
      low = h1_->step(c1[b], low, t);
      auto drive = s2_->forward(low);
      if (!high.defined()) high = h2_->initial_state(drive);
      high = h2_->step(drive, high, t);
      low = top_down_->forward(low, high, t);
      pass.keep(fmt::format("c1@t{}/{}", t + 1, b), low);
      pass.keep(fmt::format("s2@t{}/{}", t + 1, b), high);
    }
    result.push_back(high);
  }
  return result;
}

}  // namespace ventral::hmax
