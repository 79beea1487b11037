#include "models/model_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "common/error.h"
#include "common/text_list.h"
#include "models/layer_names.h"

namespace ventral::models {

ModelOptionReader::ModelOptionReader(std::string model, std::map<std::string, std::string> given)
    : model_(std::move(model)), given_(std::move(given)) {}

const std::string* ModelOptionReader::find(const std::string& key) {
  auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

int ModelOptionReader::get_int(const std::string& key, int fallback, int min) {
  int value = fallback;
  if (const auto* text = find(key)) {
    std::size_t used = 0;
    long parsed = std::numeric_limits<long>::min();
    try {
      parsed = std::stol(*text, &used);
    } catch (const std::exception&) {
    }
    if (used != text->size() || parsed < min || parsed > std::numeric_limits<int>::max()) {
      fail("{}: model option {}={} invalid, expected an integer >= {}", model_, key, *text, min);
    }
    value = static_cast<int>(parsed);
  }
  resolved_[key] = std::to_string(value);
  return value;
}

int ModelOptionReader::get_odd(const std::string& key, int fallback) {
  const int value = get_int(key, fallback, 1);
  if (value % 2 == 0) fail("{}: model option {}={} invalid, expected an odd size", model_, key, value);
  return value;
}

double ModelOptionReader::get_double(const std::string& key, double fallback, double min, double max) {
  double value = fallback;
  if (const auto* text = find(key)) {
    std::size_t used = 0;
    double parsed = std::numeric_limits<double>::quiet_NaN();
    try {
      parsed = std::stod(*text, &used);
    } catch (const std::exception&) {
    }
    if (used != text->size() || !(parsed >= min && parsed <= max)) {
      fail("{}: model option {}={} invalid, expected a number in [{}, {}]", model_, key, *text, min,
           max);
    }
    value = parsed;
  }
  resolved_[key] = fmt::format("{}", value);
  return value;
}

bool ModelOptionReader::get_bool(const std::string& key, bool fallback) {
  bool value = fallback;
  if (const auto* text = find(key)) {
    std::string lower = *text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
      value = true;
    } else if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
      value = false;
    } else {
      fail("{}: model option {}={} invalid, expected true or false", model_, key, *text);
    }
  }
  resolved_[key] = value ? "true" : "false";
  return value;
}

std::string ModelOptionReader::get_choice(const std::string& key, const std::string& fallback,
                                          const std::vector<std::string>& choices) {
  std::string value = fallback;
  if (const auto* text = find(key)) {
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
      fail("{}: model option {}={} invalid, expected one of {}", model_, key, *text,
           fmt::join(choices, ", "));
    }
    value = *text;
  }
  resolved_[key] = value;
  return value;
}

std::vector<int> ModelOptionReader::get_ints(const std::string& key, const std::vector<int>& fallback,
                                             int min) {
  std::vector<int> values = fallback;
  if (const auto* text = find(key)) {
    values.clear();
    for (const auto& part : split_list(*text)) {
      std::size_t used = 0;
      long parsed = std::numeric_limits<long>::min();
      try {
        parsed = std::stol(part, &used);
      } catch (const std::exception&) {
      }
      if (used != part.size() || parsed < min || parsed > std::numeric_limits<int>::max()) {
        fail("{}: model option {}={} invalid, expected integers >= {} separated by commas", model_, key,
             *text, min);
      }
      values.push_back(static_cast<int>(parsed));
    }
    if (values.empty()) fail("{}: model option {} is empty, expected a list of integers", model_, key);
  }
  resolved_[key] = fmt::format("{}", fmt::join(values, ","));
  return values;
}

void ModelOptionReader::reject_unknown() const {
  std::vector<std::string> known;
  for (const auto& [key, value] : resolved_) known.push_back(key);
  for (const auto& [key, value] : given_) {
    if (!resolved_.count(key)) {
      fail("{}: unknown model option '{}'; known: {}", model_, key, fmt::join(known, ", "));
    }
  }
}

}  // namespace ventral::models
