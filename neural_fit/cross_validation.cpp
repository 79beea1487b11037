#include "neural_fit/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "common/error.h"
#include "common/h5_file.h"

namespace ventral::neural_fit {
namespace {

void split_sizes(Index n, double fraction, Index* n_train, Index* n_test) {
  if (!(fraction > 0 && fraction < 1)) fail("train fraction must be in (0, 1), got {}", fraction);
  *n_train = static_cast<Index>(std::floor(fraction * static_cast<double>(n)));
  *n_test = n - *n_train;
  if (*n_train < 2 || *n_test < 1) {
    fail("cannot split {} stimuli with train fraction {}: need >= 2 train and >= 1 test", n, fraction);
  }
}

// Largest-remainder allocation of `total` over groups with `counts`, capped by `caps`.
std::vector<Index> allocate(const std::vector<Index>& counts, const std::vector<Index>& caps,
                            Index total, Index n, std::mt19937_64& rng) {
  std::vector<Index> out(counts.size());
  std::vector<std::pair<double, Index>> remainders;
  Index assigned = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    double exact = static_cast<double>(counts[i]) * static_cast<double>(total) / double(n);
    out[i] = std::min(caps[i], static_cast<Index>(std::floor(exact)));
    assigned += out[i];
    remainders.push_back({exact - std::floor(exact), static_cast<Index>(i)});
  }
  Rows order(remainders.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Index>(i);
  portable_shuffle(order, rng);  // random tie-breaking, then a stable sort by remainder
  std::stable_sort(order.begin(), order.end(),
                   [&](Index a, Index b) { return remainders[a].first > remainders[b].first; });
  for (std::size_t pass = 0; assigned < total && pass < 2; ++pass) {
    for (Index i : order) {
      if (assigned >= total) break;
      if (out[i] < caps[i] && (pass == 1 || remainders[i].first > 0)) {
        ++out[i];
        ++assigned;
      }
    }
  }
  return out;
}

Split finish(Rows train, Rows test) {
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  return {std::move(train), std::move(test)};
}

}  // namespace

void portable_shuffle(Rows& values, std::mt19937_64& rng) {
  for (std::size_t i = values.size(); i > 1; --i) {
    std::size_t j = uniform_below(rng, i);
    std::swap(values[i - 1], values[j]);
  }
}

std::vector<Split> shuffle_splits(Index n, const ShuffleSplitOptions& options) {
  Index n_train, n_test;
  split_sizes(n, options.train_fraction, &n_train, &n_test);
  if (options.n_splits < 1) fail("--splits must be at least 1, got {}", options.n_splits);
  std::mt19937_64 rng(options.seed);
  std::vector<Split> splits;
  for (int s = 0; s < options.n_splits; ++s) {
    Rows order(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) order[i] = i;
    portable_shuffle(order, rng);
    splits.push_back(
        finish(Rows(order.begin() + n_test, order.end()), Rows(order.begin(), order.begin() + n_test)));
  }
  return splits;
}

std::vector<Split> stratified_splits(const std::vector<std::string>& labels,
                                     const ShuffleSplitOptions& options) {
  const Index n = static_cast<Index>(labels.size());
  Index n_train, n_test;
  split_sizes(n, options.train_fraction, &n_train, &n_test);
  std::map<std::string, Rows> groups;
  for (Index i = 0; i < n; ++i) groups[labels[i]].push_back(i);
  if (static_cast<Index>(groups.size()) > n_test) {
    fail("--stratify: {} classes but only {} test stimuli per split", groups.size(), n_test);
  }
  std::vector<Index> counts;
  for (const auto& [label, members] : groups) counts.push_back(static_cast<Index>(members.size()));
  std::mt19937_64 rng(options.seed);
  std::vector<Split> splits;
  for (int s = 0; s < options.n_splits; ++s) {
    std::vector<Index> test_counts = allocate(counts, counts, n_test, n, rng);
    std::vector<Index> left(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) left[i] = counts[i] - test_counts[i];
    std::vector<Index> train_counts = allocate(counts, left, n_train, n, rng);
    Rows train, test;
    std::size_t g = 0;
    for (const auto& entry : groups) {
      Rows members = entry.second;
      portable_shuffle(members, rng);
      test.insert(test.end(), members.begin(), members.begin() + test_counts[g]);
      train.insert(train.end(), members.begin() + test_counts[g],
                   members.begin() + test_counts[g] + train_counts[g]);
      ++g;
    }
    splits.push_back(finish(std::move(train), std::move(test)));
  }
  return splits;
}

std::vector<Split> read_splits_file(const std::string& path,
                                    const std::vector<std::string>& stimulus_ids) {
  auto file = h5::File::open_read(path);
  for (const char* name : {"stimulus_id", "train", "test"}) {
    if (!file.exists(name))
      fail("{}: splits file lacks '{}' (expected stimulus_id, train/<k>, test/<k>)", path, name);
  }
  auto ids = file.read_strings("stimulus_id");
  std::unordered_map<std::string, Index> ours;
  for (std::size_t i = 0; i < stimulus_ids.size(); ++i) ours[stimulus_ids[i]] = static_cast<Index>(i);
  std::unordered_map<std::string, int> seen;
  for (const auto& id : ids) {
    if (++seen[id] > 1) fail("{}: duplicate stimulus_id '{}'", path, id);
  }
  auto keys = file.list("train");
  std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  if (keys.empty()) fail("{}: no splits under train/", path);
  auto convert = [&](const std::string& dataset) {
    Rows rows;
    for (std::int64_t position : file.read_int64(dataset)) {
      if (position < 0 || position >= static_cast<std::int64_t>(ids.size())) {
        fail("{}: {} has position {} outside 0..{}", path, dataset, position, ids.size() - 1);
      }
      auto it = ours.find(ids[static_cast<std::size_t>(position)]);
      if (it == ours.end()) {
        fail("{}: {} uses stimulus '{}', which the neural data lacks", path, dataset,
             ids[static_cast<std::size_t>(position)]);
      }
      rows.push_back(it->second);
    }
    return rows;
  };
  std::vector<Split> splits;
  for (const auto& key : keys) {
    if (!file.is_dataset("test/" + key)) fail("{}: train/{} has no matching test/{}", path, key, key);
    Split s = finish(convert("train/" + key), convert("test/" + key));
    if (s.train.size() < 2 || s.test.empty()) fail("{}: split {} is too small", path, key);
    splits.push_back(std::move(s));
  }
  return splits;
}

void write_splits_file(const std::string& path, const std::vector<std::string>& stimulus_ids,
                       const std::vector<Split>& splits) {
  auto file = h5::File::create(path);
  file.write_strings("stimulus_id", stimulus_ids);
  for (std::size_t k = 0; k < splits.size(); ++k) {
    for (const auto& [group, rows] :
         {std::pair{"train", &splits[k].train}, std::pair{"test", &splits[k].test}}) {
      std::vector<std::int64_t> v(rows->begin(), rows->end());
      file.write_int64(fmt::format("{}/{}", group, k), {v.size()}, v.data());
    }
  }
}

}  // namespace ventral::neural_fit
