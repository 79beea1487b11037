// Typed reading of `--model-opt key=value` options for one model. Every key a model
// reads is recorded with the value in effect (given or default), so a run folder and a
// checkpoint carry the complete resolved configuration, and a resume can say exactly
// which option differs.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ventral::models {

/// Inputs smaller than this many pixels per side get a family's small-image preset (28-64 px
/// datasets such as Fashion-MNIST); the trainer passes `input_size` from the dataset.
constexpr int kSmallImageSide = 96;

/// The text names of an enum's values, in listing order ({"none", StepNorm::none}, ...).
template <typename Enum>
using EnumNames = std::vector<std::pair<std::string, Enum>>;

class ModelOptionReader {
 public:
  ModelOptionReader(std::string model, std::map<std::string, std::string> given);

  /// Integer >= `min`; throws Error naming the model, key and value otherwise.
  int get_int(const std::string& key, int fallback, int min = 0);
  /// Odd integer >= 1 (kernel sides); throws Error "... expected an odd size" otherwise.
  int get_odd(const std::string& key, int fallback);
  double get_double(const std::string& key, double fallback, double min, double max);
  /// true/false, 1/0, yes/no, on/off.
  bool get_bool(const std::string& key, bool fallback);
  /// One of `choices`.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices);
  /// One of the named values of an enum; the resolved text is its name.
  template <typename Enum>
  Enum get_enum(const std::string& key, Enum fallback, const EnumNames<Enum>& names);
  /// `input_size` (default 224): what the size-dependent presets key on.
  int get_input_size() { return get_int("input_size", 224, 8); }
  /// Comma-separated integers >= `min` ("7,9,11").
  std::vector<int> get_ints(const std::string& key, const std::vector<int>& fallback, int min = 1);

  /// Throws Error when a given key was never read: "hmax-wide: unknown model option 'x'; known: ...".
  void reject_unknown() const;

  /// The model these options are for (in messages).
  const std::string& model() const { return model_; }

  /// Every key read so far with the value in effect, as text.
  const std::map<std::string, std::string>& resolved() const { return resolved_; }

 private:
  const std::string* find(const std::string& key);

  std::string model_;
  std::map<std::string, std::string> given_;
  std::map<std::string, std::string> resolved_;
};

template <typename Enum>
Enum ModelOptionReader::get_enum(const std::string& key, Enum fallback, const EnumNames<Enum>& names) {
  std::vector<std::string> choices;
  std::string fallback_name;
  for (const auto& [name, value] : names) {
    choices.push_back(name);
    if (value == fallback) fallback_name = name;
  }
  const auto chosen = get_choice(key, fallback_name, choices);
  for (const auto& [name, value] : names) {
    if (name == chosen) return value;
  }
  return fallback;
}

}  // namespace ventral::models
