#include "hmax/prototypes.h"

#include <algorithm>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"

namespace ventral::hmax {

int64_t PrototypeSet::count() const {
  int64_t n = 0;
  for (const auto& p : patches) n += p.size(0);
  return n;
}

PrototypeSet load_prototypes(const std::string& path) {
  auto file = h5::File::open_read(path);
  if (!file.is_group("patches")) {
    fail("{}: no 'patches' group, expected datasets patches/<m> of shape (P, 4, m, m)", path);
  }
  std::vector<std::pair<int, std::string>> entries;
  for (const auto& name : file.list("patches")) {
    int m = 0;
    try {
      std::size_t used = 0;
      m = std::stoi(name, &used);
      if (used != name.size()) m = 0;
    } catch (const std::exception&) {
      m = 0;
    }
    if (m <= 0 || m % 2 != 0) {
      fail("{}: dataset 'patches/{}': name must be an even patch size (4, 8, 12, 16)", path, name);
    }
    entries.emplace_back(m, name);
  }
  if (entries.empty()) fail("{}: group 'patches' is empty, expected patches/<m>", path);
  std::sort(entries.begin(), entries.end());
  PrototypeSet set;
  for (const auto& [m, name] : entries) {
    h5::Shape shape;
    auto values = file.read_float("patches/" + name, &shape);
    if (shape.size() != 4 || shape[1] != 4 || shape[2] != static_cast<std::size_t>(m) ||
        shape[3] != static_cast<std::size_t>(m) || shape[0] == 0) {
      fail("{}: dataset 'patches/{}' has shape {}, expected (P, 4, {}, {}) with P > 0", path, name,
           h5::shape_string(shape), m, m);
    }
    auto tensor = torch::from_blob(values.data(), {static_cast<int64_t>(shape[0]), 4, m, m},
                                   torch::kFloat32)
                      .clone();
    if (!torch::isfinite(tensor).all().item<bool>()) {
      fail("{}: dataset 'patches/{}' holds NaN or infinite values", path, name);
    }
    set.sizes.push_back(m);
    set.patches.push_back(tensor);
  }
  return set;
}

void save_prototypes(const std::string& path, const PrototypeSet& set,
                     const std::vector<torch::Tensor>& provenance) {
  AtomicOutput out(path);
  {
    auto file = h5::File::create(out.temp_path());
    for (std::size_t i = 0; i < set.sizes.size(); ++i) {
      auto patches = set.patches[i].to(torch::kFloat32).contiguous();
      h5::Shape shape(patches.sizes().begin(), patches.sizes().end());
      file.write_float("patches/" + std::to_string(set.sizes[i]), shape, patches.data_ptr<float>());
      if (i < provenance.size()) {
        auto where = provenance[i].to(torch::kInt64).contiguous();
        h5::Shape where_shape(where.sizes().begin(), where.sizes().end());
        file.write_int64("provenance/" + std::to_string(set.sizes[i]), where_shape,
                         where.data_ptr<int64_t>());
      }
    }
    file.write_attribute("provenance_columns", "image,band,row,column");
  }
  out.commit();
}

}  // namespace ventral::hmax
