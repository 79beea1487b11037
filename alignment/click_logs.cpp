#include "alignment/click_logs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/csv.h"
#include "common/error.h"

namespace ventral::alignment {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "[12, 40.5, 41]" (brackets or parentheses optional, commas or spaces between) -> numbers.
std::vector<double> parse_number_list(const std::string& text, const std::string& where) {
  std::vector<double> values;
  std::string token;
  auto flush = [&] {
    if (token.empty()) return;
    char* end = nullptr;
    const double value = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(value))
      fail("{}: '{}' is not a number (expected a list of click coordinates like [12, 40, 41])", where,
           token);
    values.push_back(value);
    token.clear();
  };
  for (char c : text) {
    if (c == '[' || c == ']' || c == '(' || c == ')' || c == ',' || c == ' ' || c == '\t' || c == '\n' ||
        c == '\r') {
      flush();
    } else {
      token += c;
    }
  }
  flush();
  return values;
}

}  // namespace

std::vector<ClickLogRow> read_click_log(const std::string& path) {
  if (ends_with(path, ".npz")) {
    fail(
        "{}: NPZ click logs store the click lists as pickled Python objects, which ventral does not "
        "unpickle; write them as CSV (docs/alignment.md shows the two lines of numpy/pandas)",
        path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open the click log", path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto table = parse_csv(buffer.str());
  if (table.empty())
    fail("{}: empty; expected a CSV header with file_pointer, clickmap_x, clickmap_y, user_id", path);
  const auto& header = table[0];
  auto column = [&](const std::string& name) {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end())
      fail("{}: no '{}' column; a click log has file_pointer, clickmap_x, clickmap_y, user_id", path,
           name);
    return static_cast<std::size_t>(found - header.begin());
  };
  const std::size_t file = column("file_pointer"), xs = column("clickmap_x"), ys = column("clickmap_y"),
                    user = column("user_id");
  std::vector<ClickLogRow> rows;
  rows.reserve(table.size() - 1);
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto& fields = table[r];
    const std::string where = fmt::format("{} row {}", path, r + 1);
    if (fields.size() != header.size())
      fail("{}: {} fields, the header has {}", where, fields.size(), header.size());
    ClickLogRow row{fields[file], fields[user], parse_number_list(fields[xs], where + " clickmap_x"),
                    parse_number_list(fields[ys], where + " clickmap_y")};
    if (row.file_pointer.empty()) fail("{}: empty file_pointer", where);
    if (row.x.size() != row.y.size())
      fail("{}: {} x coordinates but {} y coordinates", where, row.x.size(), row.y.size());
    rows.push_back(std::move(row));
  }
  if (rows.empty()) fail("{}: no trials below the header", path);
  return rows;
}

std::string click_stimulus_id(const std::string& file_pointer) {
  const auto last = file_pointer.find_last_of('/');
  if (last == std::string::npos || last == 0) return file_pointer;
  const auto before = file_pointer.find_last_of('/', last - 1);
  return before == std::string::npos ? file_pointer : file_pointer.substr(before + 1);
}

std::vector<ClickedImage> group_click_trials(const std::vector<ClickLogRow>& rows,
                                             const ClickGrouping& grouping,
                                             ClickGroupingCounts* counts) {
  ClickGroupingCounts c;
  c.rows = rows.size();
  std::map<std::string, ClickedImage> images;
  std::set<std::pair<std::string, std::string>> seen;  // (image, user)
  for (const auto& row : rows) {
    const std::string id = click_stimulus_id(row.file_pointer);
    if (!seen.emplace(id, row.user).second) {
      ++c.repeated_trials;
      continue;
    }
    ClickTrial trial{row.user, {}};
    for (std::size_t k = 0; k < row.x.size(); ++k) {
      const double x = std::floor(row.x[k]), y = std::floor(row.y[k]);
      if (x < 0 || y < 0 || x >= grouping.canvas_width || y >= grouping.canvas_height) {
        ++c.clicks_outside;
        continue;
      }
      trial.clicks.push_back({static_cast<int>(x), static_cast<int>(y)});
    }
    if (static_cast<int>(trial.clicks.size()) < grouping.min_clicks) {
      ++c.short_trials;
      continue;
    }
    auto& image = images[id];
    image.stimulus_id = id;
    image.trials.push_back(std::move(trial));
  }
  std::vector<ClickedImage> kept;
  for (auto& [id, image] : images) {
    if (static_cast<int>(image.trials.size()) < grouping.min_subjects) {
      ++c.images_with_too_few_subjects;
      continue;
    }
    kept.push_back(std::move(image));
  }
  c.images = kept.size();
  if (counts) *counts = c;
  return kept;
}

}  // namespace ventral::alignment
