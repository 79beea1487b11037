// A double for nlohmann::json that stays valid JSON: NaN and infinities become null (JSON
// has no literal for them; Python's json writes NaN, which strict readers reject).
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>

namespace ventral {

inline nlohmann::json json_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace ventral
