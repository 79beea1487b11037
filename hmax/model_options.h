// Typed reading of `--model-opt key=value` options for one model. Every key a model
// reads is recorded with the value in effect (given or default), so a run folder and a
// checkpoint carry the complete resolved configuration, and a resume can say exactly
// which option differs.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ventral::hmax {

class ModelOptionReader {
 public:
  ModelOptionReader(std::string model, std::map<std::string, std::string> given);

  /// Integer >= `min`; throws Error naming the model, key and value otherwise.
  int get_int(const std::string& key, int fallback, int min = 0);
  double get_double(const std::string& key, double fallback, double min, double max);
  /// true/false, 1/0, yes/no, on/off.
  bool get_bool(const std::string& key, bool fallback);
  /// One of `choices`.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices);
  /// Comma-separated integers >= `min` ("7,9,11").
  std::vector<int> get_ints(const std::string& key, const std::vector<int>& fallback, int min = 1);

  /// Throws Error when a given key was never read: "hmax-wide: unknown model option 'x'; known: ...".
  void reject_unknown() const;

  /// Every key read so far with the value in effect, as text.
  const std::map<std::string, std::string>& resolved() const { return resolved_; }

 private:
  const std::string* find(const std::string& key);

  std::string model_;
  std::map<std::string, std::string> given_;
  std::map<std::string, std::string> resolved_;
};

}  // namespace ventral::hmax
