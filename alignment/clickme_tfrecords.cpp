#include "alignment/clickme_tfrecords.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "alignment/clickme_example.h"
#include "alignment/clickme_writer.h"
#include "alignment/tfrecord.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/progress.h"

namespace ventral::alignment {
namespace {

namespace fs = std::filesystem;

bool has_tfrecord_extension(const fs::path& p) {
  return p.extension() == ".tfrecords" || p.extension() == ".tfrecord";
}

constexpr std::size_t kBlock = 64;

}  // namespace

bool is_tfrecord_source(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return has_tfrecord_extension(path);
  if (!fs::is_directory(path, ec)) return false;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file() && has_tfrecord_extension(entry.path())) return true;
  }
  return false;
}

std::vector<std::string> clickme_shards(const std::string& path) {
  std::error_code ec;
  std::vector<std::string> shards;
  if (fs::is_regular_file(path, ec)) {
    shards.push_back(path);
  } else if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && has_tfrecord_extension(entry.path()))
        shards.push_back(entry.path().string());
    }
    std::sort(shards.begin(), shards.end());
  }
  if (shards.empty())
    fail("{}: no .tfrecords shards (expected a .tfrecords file or a folder of them)", path);
  return shards;
}

ClickMeShards::ClickMeShards(const std::string& path) : path_(path) {
  for (const auto& shard : clickme_shards(path)) {
    shards_.push_back(index_tfrecord(shard));
    const std::size_t s = shards_.size() - 1;
    const std::string name = fs::path(shard).filename().string();
    for (std::size_t k = 0; k < shards_[s].offsets.size(); ++k) {
      labels_.push_back(
          decode_clickme_label(read_tfrecord(shards_[s], k), fmt::format("{} record {}", shard, k)));
      where_.emplace_back(s, k);
      ids_.push_back(fmt::format("{}#{}", name, k));
    }
  }
  if (labels_.empty()) fail("{}: the shards hold no records", path);
}

ClickMeRecord ClickMeShards::record(std::size_t i) const {
  if (i >= size()) fail("{}: record {} out of range ({} records)", path_, i, size());
  const auto [s, k] = where_[i];
  return decode_clickme_example(read_tfrecord(shards_[s], k),
                                fmt::format("{} record {}", shards_[s].path, k));
}

HumanMap ClickMeShards::human_map(std::size_t i) const {
  auto r = record(i);
  return {r.height, r.width, std::move(r.heatmap)};
}

Image ClickMeShards::photograph(std::size_t i) const {
  auto r = record(i);
  return {r.height, r.width, 3, std::move(r.image)};
}

ClickMePackSummary pack_clickme_tfrecords(const std::string& source, const std::string& out) {
  const auto start = std::chrono::steady_clock::now();
  const auto shards = clickme_shards(source);
  for (const auto& shard : shards) refuse_input_as_output(out, {shard});
  AtomicOutput check(out);  // the output folder is writable before the long pass
  std::vector<TfRecordIndex> indexes;
  std::size_t total = 0;
  for (const auto& shard : shards) {
    indexes.push_back(index_tfrecord(shard));  // verifies every record's two checksums
    total += indexes.back().offsets.size();
  }
  if (total == 0) fail("{}: the shards hold no records", source);

  auto where = [&](std::size_t s, std::size_t k) { return fmt::format("{} record {}", shards[s], k); };
  // The first record fixes the size every other must have.
  std::size_t first_shard = 0;
  while (indexes[first_shard].offsets.empty()) ++first_shard;
  const auto first = decode_clickme_example(read_tfrecord(indexes[first_shard], 0),
                                            where(first_shard, 0));
  ClickMePackSummary summary;
  summary.records = total;
  summary.shards = shards.size();
  summary.height = first.height;
  summary.width = first.width;

  ClickMeWriter writer(out, total, first.height, first.width);
  Progress progress("data pack clickme", static_cast<std::int64_t>(total), "records");
  std::size_t done = 0;
  ClickMeRows rows;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const std::string name = fs::path(shards[s]).filename().string();
    for (std::size_t k = 0; k < indexes[s].offsets.size(); ++k) {
      const auto record = decode_clickme_example(read_tfrecord(indexes[s], k), where(s, k));
      if (record.height != first.height || record.width != first.width)
        fail("{}: image is {}x{}, the first record's {}x{}; a ClickMe file has one size", where(s, k),
             record.width, record.height, first.width, first.height);
      rows.images.insert(rows.images.end(), record.image.begin(), record.image.end());
      rows.maps.insert(rows.maps.end(), record.heatmap.begin(), record.heatmap.end());
      rows.labels.push_back(record.label);
      rows.stimulus_ids.push_back(fmt::format("{}#{}", name, k));
      if (rows.size() == kBlock) {
        writer.append(rows);
        rows = {};
      }
      progress.update(static_cast<std::int64_t>(++done));
    }
  }
  if (rows.size() > 0) writer.append(rows);
  writer.attribute("source", source);
  writer.attribute("decoder", "libjpeg-turbo JDCT_IFAST, fancy upsampling (tf.io.decode_jpeg defaults)");
  writer.commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ventral::alignment
