#include "apps/input_guard.h"

#include <cctype>
#include <filesystem>

#include "common/atomic_output.h"

namespace ventral::cli {
namespace {

// "clickme:gt/test.h5" -> "gt/test.h5"; generated specs ("pathfinder:?length=9") name no file.
std::string spec_path(const std::string& value) {
  const auto colon = value.find(':');
  if (colon == std::string::npos) return value;
  const std::string rest = value.substr(colon + 1);
  return rest.rfind('?', 0) == 0 ? std::string() : rest;
}

}  // namespace

std::vector<std::string> input_files(const Params& p) {
  namespace fs = std::filesystem;
  std::vector<std::string> named = {p.checkpoint,
                                    p.features,
                                    p.neural,
                                    p.patches,
                                    p.splits_file,
                                    p.stimulus_set,
                                    p.maps,
                                    p.config,
                                    p.human_ceiling,
                                    p.benchmarks_file,
                                    p.grid,
                                    p.resume,
                                    p.class_map,
                                    spec_path(p.data),
                                    spec_path(p.clickme),
                                    spec_path(p.harmonize)};
  for (const auto& input : p.inputs) named.push_back(input);
  std::vector<std::string> files;
  // --images DIR: the images it holds (an output written beside them is not an input).
  if (!p.images_dir.empty()) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(p.images_dir, ec)) {
      auto ext = entry.path().extension().string();
      for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (entry.is_regular_file(ec) && (ext == ".png" || ext == ".jpg" || ext == ".jpeg"))
        files.push_back(entry.path().string());
    }
  }
  for (const auto& path : named) {
    std::error_code ec;
    if (path.empty()) continue;
    if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec)) files.push_back(entry.path().string());
      }
    }
  }
  return files;
}

void refuse_output_over_inputs(const Params& p) {
  if (p.out.empty()) return;
  refuse_special_output(p.out);
  refuse_input_as_output(p.out, input_files(p));
}

}  // namespace ventral::cli
