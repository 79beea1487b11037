// ClickMe 2 click logs (docs/reference/data.md sec. 4; the format of
// serre-lab/human_clickme_data_processing): a CSV with one row per trial, one person
// clicking on one image, and the columns
//   file_pointer            the image; its last two path components name it ("<folder>/<file>")
//   clickmap_x, clickmap_y  the click coordinates in canvas pixels, lists of equal length
//                           ("[12, 40, 41]"; a value is floored to the pixel it falls in)
//   user_id                 the participant
// Other columns are ignored. Grouping follows the reference's filters: a participant's later
// trials on an image they already clicked are dropped, clicks outside the canvas are dropped,
// a trial needs min_clicks clicks inside, and an image needs min_subjects trials.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ventral::alignment {

struct Click {
  int x = 0, y = 0;
};

struct ClickTrial {
  std::string user;
  std::vector<Click> clicks;
};

/// The kept trials of one image, in log order.
struct ClickedImage {
  std::string stimulus_id;
  std::vector<ClickTrial> trials;
};

/// One row of a click log as written (coordinates not yet floored or bounded).
struct ClickLogRow {
  std::string file_pointer, user;
  std::vector<double> x, y;
};

/// Reads a click-log CSV. Error naming the file and line for a missing column, coordinate
/// lists of different lengths or text that is not a list of numbers.
std::vector<ClickLogRow> read_click_log(const std::string& path);

struct ClickGrouping {
  int canvas_height = 256, canvas_width = 256;
  int min_clicks = 2;    ///< clicks inside the canvas a trial needs (reference: more than 1)
  int min_subjects = 5;  ///< trials an image needs (ClickMe 2 ImageNet val configuration)
};

/// What grouping kept and dropped, for the log and the report.
struct ClickGroupingCounts {
  std::size_t rows = 0, repeated_trials = 0, short_trials = 0, clicks_outside = 0;
  std::size_t images = 0, images_with_too_few_subjects = 0;
};

/// The image id of a file pointer: its last two path components.
std::string click_stimulus_id(const std::string& file_pointer);

/// Trials grouped per image (images sorted by id) after the filters above.
std::vector<ClickedImage> group_click_trials(const std::vector<ClickLogRow>& rows,
                                             const ClickGrouping& grouping,
                                             ClickGroupingCounts* counts = nullptr);

}  // namespace ventral::alignment
