#include "models/flop_count.h"

#include <ATen/record_function.h>

#include <cstring>

namespace ventral::models {

int64_t convolution_flops(at::IntArrayRef input, at::IntArrayRef weight, at::IntArrayRef stride,
                          at::IntArrayRef padding, at::IntArrayRef dilation, bool transposed) {
  const auto spatial = static_cast<int64_t>(input.size()) - 2;
  if (spatial < 1 || static_cast<int64_t>(weight.size()) != spatial + 2) return 0;
  // A transposed convolution does one multiply-add per input position and weight element.
  int64_t positions = 1;
  for (int64_t d = 0; d < spatial; ++d) {
    if (transposed) {
      positions *= input[2 + d];
      continue;
    }
    const auto at = [&](at::IntArrayRef v) {
      return v.empty() ? 1 : v[std::min<size_t>(d, v.size() - 1)];
    };
    const int64_t pad = padding.empty() ? 0 : padding[std::min<size_t>(d, padding.size() - 1)];
    const int64_t extent = at(dilation) * (weight[2 + d] - 1) + 1;
    positions *= std::max<int64_t>(0, (input[2 + d] + 2 * pad - extent) / at(stride) + 1);
  }
  int64_t kernel = 1;
  for (int64_t d = 0; d < spatial; ++d) kernel *= weight[2 + d];
  // weight is O x C/groups x k (transposed: C x O/groups x k): each output (input) position
  // of every batch element takes weight[0] * weight[1] * kernel multiply-adds.
  return 2 * input[0] * positions * weight[0] * weight[1] * kernel;
}

int64_t matmul_flops(int64_t batch, int64_t n, int64_t k, int64_t m) { return 2 * batch * n * k * m; }

namespace {

struct CountState {
  int64_t flops = 0;
  int depth = 0;  ///< counted operators now running on this thread
};
thread_local CountState* active = nullptr;

// Marks a counted operator so that its end callback closes it.
struct CountedContext : at::ObserverContext {};

std::vector<int64_t> sizes_of(const c10::IValue& value) {
  if (!value.isTensor()) return {};
  return value.toTensor().sizes().vec();
}

std::vector<int64_t> ints_of(const c10::IValue& value) {
  if (value.isIntList()) return value.toIntVector();
  return {};
}

int64_t flops_of(const at::RecordFunction& fn) {
  const char* name = fn.name();
  const auto inputs = fn.inputs();
  if (std::strcmp(name, "aten::convolution") == 0 && inputs.size() >= 7) {
    return convolution_flops(sizes_of(inputs[0]), sizes_of(inputs[1]), ints_of(inputs[3]),
                             ints_of(inputs[4]), ints_of(inputs[5]),
                             inputs[6].isBool() && inputs[6].toBool());
  }
  if ((std::strcmp(name, "aten::mm") == 0 || std::strcmp(name, "aten::addmm") == 0) &&
      inputs.size() >= 2) {
    const std::size_t first = name[6] == 'a' ? 1 : 0;  // addmm(bias, a, b)
    const auto a = sizes_of(inputs[first]), b = sizes_of(inputs[first + 1]);
    if (a.size() == 2 && b.size() == 2) return matmul_flops(1, a[0], a[1], b[1]);
  }
  if (std::strcmp(name, "aten::bmm") == 0 && inputs.size() >= 2) {
    const auto a = sizes_of(inputs[0]), b = sizes_of(inputs[1]);
    if (a.size() == 3 && b.size() == 3) return matmul_flops(a[0], a[1], a[2], b[2]);
  }
  return -1;  // not an operator we count
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  if (active == nullptr || active->depth > 0) return nullptr;
  const int64_t flops = flops_of(fn);
  if (flops < 0) return nullptr;
  active->flops += flops;
  ++active->depth;
  return std::make_unique<CountedContext>();
}

void on_end(const at::RecordFunction& /*fn*/, at::ObserverContext* context) {
  if (context != nullptr && active != nullptr) --active->depth;
}

}  // namespace

int64_t count_flops(const std::function<void()>& forward) {
  CountState state;
  active = &state;
  const auto handle = at::addThreadLocalCallback(at::RecordFunctionCallback(on_start, on_end)
                                                     .needsInputs(true)
                                                     .scopes({at::RecordScope::FUNCTION}));
  try {
    at::RecordFunctionGuard enable(true);
    forward();
  } catch (...) {
    at::removeCallback(handle);
    active = nullptr;
    throw;
  }
  at::removeCallback(handle);
  active = nullptr;
  return state.flops;
}

}  // namespace ventral::models
