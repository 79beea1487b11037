#include "neural_fit/metric.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "neural_fit/metrics.h"
#include "neural_fit/regression.h"

namespace ventral::neural_fit {
namespace {

template <typename Fn>
struct Entry {
  const char* name;
  Fn fn;
};

const std::vector<Entry<Correlation>>& correlations() {
  static const std::vector<Entry<Correlation>> table = {
      {"pearson", pearson_columns},  // Brain-Score's pearsonr
      {"spearman", spearman_columns},
      {"explained_variance", explained_variance_columns},
  };
  return table;
}

const std::vector<Entry<Aggregation>>& aggregations() {
  static const std::vector<Entry<Aggregation>> table = {
      {"median", nan_median},  // Brain-Score's median over neuroids
      {"mean", nan_mean},
  };
  return table;
}

template <typename Fn>
std::vector<std::string> names_of(const std::vector<Entry<Fn>>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.name);
  return names;
}

template <typename Fn>
Fn find(const std::vector<Entry<Fn>>& table, const std::string& name, const char* kind) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.fn;
  }
  fail("unknown {} '{}'; known: {}", kind, name, fmt::join(names_of(table), ", "));
}

}  // namespace

const std::vector<std::string>& correlation_names() {
  static const std::vector<std::string> names = names_of(correlations());
  return names;
}

Correlation correlation_named(const std::string& name) {
  return find(correlations(), name, "correlation");
}

const std::vector<std::string>& aggregation_names() {
  static const std::vector<std::string> names = names_of(aggregations());
  return names;
}

Aggregation aggregation_named(const std::string& name) {
  return find(aggregations(), name, "aggregation");
}

void check_metric(const MetricSpec& spec) {
  const auto& regressions = regression_names();
  if (std::find(regressions.begin(), regressions.end(), spec.regression) == regressions.end()) {
    fail("unknown regression '{}'; known: {}", spec.regression, fmt::join(regressions, ", "));
  }
  correlation_named(spec.correlation);
  aggregation_named(spec.aggregation);
}

}  // namespace ventral::neural_fit
