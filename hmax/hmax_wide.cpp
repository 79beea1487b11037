#include "hmax/hmax_wide.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/error.h"
#include "hmax/model_options.h"
#include "hmax/scale_pyramid.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/make_cell.h"

namespace ventral::hmax {
namespace {

int bands_after(int scales, int pools) { return std::max(1, scales - pools); }

bool wanted(const std::vector<std::string>& keep, const std::string& name) {
  return std::find(keep.begin(), keep.end(), name) != keep.end();
}

void keep_group(const std::vector<std::string>& keep, const std::string& group,
                const std::vector<torch::Tensor>& maps, std::map<std::string, torch::Tensor>& out) {
  for (std::size_t i = 0; i < maps.size(); ++i) {
    auto name = fmt::format("{}/{}", group, i);
    if (wanted(keep, name)) out[name] = maps[i];
  }
}

}  // namespace

HmaxWideOptions hmax_wide_options(const std::map<std::string, std::string>& given,
                                  std::map<std::string, std::string>& resolved, Recurrence recurrence) {
  const bool recurrent = recurrence == Recurrence::hgru;
  ModelOptionReader read(recurrence == Recurrence::gamma ? "hmax-gamma"
                         : recurrent                     ? "hmax-hgru"
                                                         : "hmax-wide",
                         given);
  HmaxWideOptions o;
  const int input_size = read.get_int("input_size", 224, 8);
  const bool small = input_size < kSmallImageLimit;
  o.in_chans(read.get_int("in_chans", 3, 1));
  o.num_classes(read.get_int("num_classes", 1000, 1));
  o.width(read.get_int("width", small ? 32 : 96, 1));
  o.s1_kernel(read.get_int("s1_kernel", small ? 5 : 11, 1));
  o.s1_stride(read.get_int("s1_stride", small ? 1 : 4, 1));
  o.scales(read.get_int("scales", 3, 1));
  o.c_pool(read.get_int("c_pool", 3, 1));
  o.c_stride(read.get_int("c_stride", 2, 1));
  o.s2_width(read.get_int("s2_width", small ? 64 : 256, 1));
  o.s2_kernel(read.get_int("s2_kernel", small ? 3 : 5, 1));
  o.s3_width(read.get_int("s3_width", small ? 128 : 384, 1));
  o.s3_kernel(read.get_int("s3_kernel", 3, 1));
  o.batchnorm(read.get_bool("batchnorm", true));
  o.conv1x1(read.get_bool("conv1x1", false));
  o.residual(read.get_bool("residual", false));
  o.stage3(read.get_bool("stage3", true));
  o.dropout(read.get_double("dropout", 0.0, 0.0, 0.99));
  o.scale_pool(read.get_choice("scale_pool", "max", {"max", "soft"}) == "max" ? ScalePoolKind::max
                                                                             : ScalePoolKind::soft);
  o.global_max(read.get_choice("global_pool", "max", {"max", "avg"}) == "max");
  for (auto [key, kernel] : {std::pair{"s1_kernel", o.s1_kernel()}, {"s2_kernel", o.s2_kernel()},
                             {"s3_kernel", o.s3_kernel()}}) {
    if (kernel % 2 == 0) fail("hmax-wide: model option {}={} invalid, expected an odd size", key, kernel);
  }
  if (recurrent) {
    o.recurrent(true);
    o.timesteps(read.get_int("timesteps", 6, 1));
    o.eval_timesteps(read.get_int("eval_timesteps", 0, 0));
    o.crbp(read.get_choice("recurrent_grad", "bptt", {"bptt", "crbp"}) == "crbp");
    o.hgru_kernel(read.get_int("hgru_kernel", small ? 5 : 7, 1));
    o.hgru_s2(read.get_bool("hgru_s2", false));
    // C-RBP assumes one step map for every t: per-step batch norms would break that.
    o.hgru_norm(read.get_choice("hgru_norm", o.crbp() ? "none" : "batch", {"none", "batch", "instance"}));
    if (o.hgru_kernel() % 2 == 0) {
      fail("hmax-hgru: model option hgru_kernel={} invalid, expected an odd size", o.hgru_kernel());
    }
  }
  if (recurrence == Recurrence::gamma) {
    o.recurrent(true);
    o.gamma(true);
    o.timesteps(read.get_int("timesteps", 4, 1));
    o.eval_timesteps(read.get_int("eval_timesteps", 0, 0));
    // Two coupled circuits have no single-cell fixed point for C-RBP here.
    read.get_choice("recurrent_grad", "bptt", {"bptt"});
    o.hgru_kernel(read.get_int("fgru_kernel", small ? 5 : 7, 1));
    if (o.hgru_kernel() % 2 == 0) {
      fail("hmax-gamma: model option fgru_kernel={} invalid, expected an odd size", o.hgru_kernel());
    }
  }
  read.reject_unknown();
  resolved = read.resolved();
  return o;
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
  c1_ = register_module("c1", ScalePool(ScalePoolOptions(o.width(), o.c_pool(), o.c_stride())
                                            .kind(o.scale_pool())));
  s2_ = register_module("s2", block(o.width(), o.s2_width(), o.s2_kernel(), 1, true));
  c2_ = register_module("c2", ScalePool(ScalePoolOptions(o.s2_width(), o.c_pool(), o.c_stride())
                                            .kind(o.scale_pool())));
  int64_t top = o.s2_width();
  if (o.stage3()) {
    s3_ = register_module("s3", block(o.s2_width(), o.s3_width(), o.s3_kernel(), 1, true));
    top = o.s3_width();
  }
  if (o.gamma()) {
    namespace rc = recurrent;
    h1_ = register_module("f1", rc::make_cell("fgru", rc::fgru_reference_options(o.width(), o.hgru_kernel(), o.timesteps())));
    h2_ = register_module("f2", rc::make_cell("fgru", rc::fgru_reference_options(o.s2_width(), o.hgru_kernel(),
                                                                              o.timesteps())));
    top_down_ = register_module("top_down", rc::FGruTopDown(rc::FGruTopDownOptions(o.width(), o.s2_width())
                                                                .timesteps(o.timesteps())));
  } else if (o.recurrent()) {
    auto cell_options = [&](int64_t channels) {
      return recurrent::CellOptions(channels)
          .kernel_size(o.hgru_kernel())
          .timesteps(o.timesteps())
          .normalisation(recurrent::parse_step_norm(o.hgru_norm()))
          // C-RBP needs a time-invariant step map (a fixed point), so no per-step scale.
          .step_scale(!o.crbp());
    };
    h1_ = register_module("h1", recurrent::make_cell("hgru", cell_options(o.width())));
    if (o.hgru_s2()) h2_ = register_module("h2", recurrent::make_cell("hgru", cell_options(o.s2_width())));
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
  if (options.recurrent()) {
    for (int64_t k = 1; k <= eval_steps(); ++k) {
      groups.push_back({fmt::format("c1@t{}", k), b1});
      if (options.hgru_s2() || options.gamma()) groups.push_back({fmt::format("s2@t{}", k), b1});
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

torch::Tensor HmaxWideImpl::run(const torch::Tensor& images, const std::vector<std::string>& keep,
                                std::map<std::string, torch::Tensor>& out) {
  if (images.dim() != 4 || images.size(1) != options.in_chans()) {
    fail("hmax-wide: expected images (N, {}, H, W), got {}", options.in_chans(),
         fmt::format("{}", fmt::join(images.sizes(), " x ")));
  }
  std::vector<torch::Tensor> s1;
  for (const auto& level : image_pyramid(images, options.scales())) s1.push_back(s1_->forward(level));
  keep_group(keep, "s1", s1, out);
  auxiliary_loss_ = torch::Tensor();
  auto c1 = c1_->forward(s1);
  keep_group(keep, "c1", c1, out);
  std::vector<torch::Tensor> s2;
  if (options.gamma()) {
    s2 = gamma_loop(c1, keep, out);
    keep_group(keep, "s2", s2, out);
  } else {
    if (h1_) c1 = recur(*h1_, c1, "c1", keep, out);
    for (const auto& band : c1) s2.push_back(s2_->forward(band));
    keep_group(keep, "s2", s2, out);
    if (h2_) s2 = recur(*h2_, s2, "s2", keep, out);
  }
  auto c2 = c2_->forward(s2);
  keep_group(keep, "c2", c2, out);
  torch::Tensor pooled;
  if (options.stage3()) {
    std::vector<torch::Tensor> s3;
    for (const auto& band : c2) s3.push_back(s3_->forward(band));
    keep_group(keep, "s3", s3, out);
    pooled = global_scale_pool(s3, options.global_max());
    if (wanted(keep, "c3")) out["c3"] = pooled;
  } else {
    pooled = global_scale_pool(c2, options.global_max());
  }
  if (wanted(keep, "pre_logits")) out["pre_logits"] = pooled;
  auto logits = head_->forward(dropout_->forward(pooled));
  if (wanted(keep, "logits")) out["logits"] = logits;
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
                                               const std::vector<torch::Tensor>& bands, const std::string& stage,
                                               const std::vector<std::string>& keep,
                                               std::map<std::string, torch::Tensor>& out) {
  const int64_t t_max = steps();
  std::vector<torch::Tensor> result;
  for (std::size_t b = 0; b < bands.size(); ++b) {
    std::vector<std::string> names;
    bool record = false;
    for (int64_t k = 1; k <= t_max; ++k) {
      names.push_back(fmt::format("{}@t{}/{}", stage, k, b));
      record = record || wanted(keep, names.back());
    }
    if (record) {
      auto states = cell.unroll(bands[b], t_max);
      for (int64_t k = 0; k < t_max; ++k) {
        if (wanted(keep, names[k])) out[names[k]] = cell.output(states[k]);
      }
      result.push_back(cell.output(states.back()));
    } else if (options.crbp() && is_training() && torch::GradMode::is_enabled()) {
      const recurrent::CrbpOptions crbp;
      auto rollout = recurrent::crbp_rollout(cell, bands[b], t_max, crbp);
      auto penalty = recurrent::lipschitz_penalty(rollout, crbp.lipschitz_lambda()) * crbp.lipschitz_weight();
      auxiliary_loss_ = auxiliary_loss_.defined() ? auxiliary_loss_ + penalty : penalty;
      result.push_back(cell.output(rollout.state));
    } else {
      result.push_back(cell.forward(bands[b], t_max));
    }
  }
  return result;
}

std::vector<torch::Tensor> HmaxWideImpl::gamma_loop(const std::vector<torch::Tensor>& c1,
                                                    const std::vector<std::string>& keep,
                                                    std::map<std::string, torch::Tensor>& out) {
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
      if (auto name = fmt::format("c1@t{}/{}", t + 1, b); wanted(keep, name)) out[name] = low;
      if (auto name = fmt::format("s2@t{}/{}", t + 1, b); wanted(keep, name)) out[name] = high;
    }
    result.push_back(high);
  }
  return result;
}

torch::Tensor HmaxWideImpl::forward(torch::Tensor images) {
  std::map<std::string, torch::Tensor> unused;
  return run(images, {}, unused);
}

NamedTensors HmaxWideImpl::features(torch::Tensor images, const std::vector<std::string>& names) {
  const auto leaves = resolve_layers(names);
  std::map<std::string, torch::Tensor> out;
  run(images, leaves, out);
  NamedTensors result;
  for (const auto& leaf : leaves) result.emplace_back(leaf, out.at(leaf));
  return result;
}

}  // namespace ventral::hmax
