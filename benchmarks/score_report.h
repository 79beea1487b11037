// `ventral score` results as JSON: the model, then one object per benchmark with its name,
// version, citation, settings, raw, ceiling, the ceiled values, secondary numbers and timing.
#pragma once

#include <string>
#include <vector>

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

std::string score_json(const std::string& checkpoint, const std::string& arch,
                       const std::vector<BenchmarkResult>& results);

}  // namespace ventral::benchmarks
