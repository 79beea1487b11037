#include "benchmarks/benchmark.h"

#include <fmt/format.h>

#include <cstdlib>

#include "common/error.h"

namespace ventral::benchmarks {

BenchmarkArgs::BenchmarkArgs(std::string benchmark, std::map<std::string, std::string> given)
    : benchmark_(std::move(benchmark)), given_(std::move(given)) {}

std::string BenchmarkArgs::get(const std::string& key, const std::string& fallback) {
  const auto found = given_.find(key);
  const std::string value = found == given_.end() ? fallback : found->second;
  settings_[key] = value;
  return value;
}

std::string BenchmarkArgs::required(const std::string& key, const std::string& meaning) {
  if (!given_.count(key)) fail("benchmark {}: {}= is required ({})", benchmark_, key, meaning);
  return get(key, "");
}

long long BenchmarkArgs::get_int(const std::string& key, long long fallback, long long minimum) {
  const std::string text = get(key, std::to_string(fallback));
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < minimum)
    fail("benchmark {}: {}={} invalid, expected an integer >= {}", benchmark_, key, text, minimum);
  return value;
}

void BenchmarkArgs::reject_unknown() const {
  for (const auto& [key, value] : given_) {
    if (settings_.count(key)) continue;
    std::string valid;
    for (const auto& [k, v] : settings_) valid += (valid.empty() ? "" : ", ") + k;
    fail("benchmark {}: unknown argument '{}'; valid: {}", benchmark_, key, valid);
  }
}

}  // namespace ventral::benchmarks
