#include "alignment/clickme_writer.h"

#include <set>

#include "common/error.h"

namespace ventral::alignment {

ClickMeWriter::ClickMeWriter(const std::string& path, std::size_t count, int height, int width,
                             std::vector<std::string> classes)
    : output_(path),
      file_(h5::File::create(output_.temp_path())),
      count_(count),
      height_(height),
      width_(width),
      classes_(std::move(classes)) {
  if (count == 0 || height <= 0 || width <= 0)
    fail("{}: cannot write {} images of {}x{}", path, count, width, height);
  const auto h = static_cast<std::size_t>(height), w = static_cast<std::size_t>(width);
  file_.create_uint8("images", {count, h, w, 3});
  file_.create_float("maps", {count, h, w});
}

void ClickMeWriter::append(const ClickMeRows& rows) {
  const std::size_t n = rows.size(), plane = static_cast<std::size_t>(height_) * width_;
  if (written_ + n > count_)
    fail("{}: {} rows would exceed the {} announced", output_.final_path(), written_ + n, count_);
  if (rows.images.size() != n * plane * 3 || rows.maps.size() != n * plane ||
      rows.stimulus_ids.size() != n)
    fail("{}: a block of {} rows has {} image bytes, {} map values and {} ids", output_.final_path(), n,
         rows.images.size(), rows.maps.size(), rows.stimulus_ids.size());
  file_.write_uint8_rows("images", written_, n, rows.images.data());
  file_.write_float_rows("maps", written_, n, rows.maps.data());
  labels_.insert(labels_.end(), rows.labels.begin(), rows.labels.end());
  ids_.insert(ids_.end(), rows.stimulus_ids.begin(), rows.stimulus_ids.end());
  written_ += n;
}

void ClickMeWriter::attribute(const std::string& name, const std::string& value) {
  file_.write_attribute(name, value);
}

void ClickMeWriter::commit() {
  if (written_ != count_) fail("{}: {} of {} rows written", output_.final_path(), written_, count_);
  if (std::set<std::string>(ids_.begin(), ids_.end()).size() != ids_.size())
    fail("{}: stimulus ids are not unique", output_.final_path());
  file_.write_int64("labels", {count_}, labels_.data());
  file_.write_strings("stimulus_id", ids_);
  if (!classes_.empty()) file_.write_strings("classes", classes_);
  file_.close();
  output_.commit();
}

}  // namespace ventral::alignment
