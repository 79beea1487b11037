// The drawing surface of the Pathfinder generator (pathfinder.h): a float image that
// paddles and markers are drawn into with the maximum, and the occupancy mask that keeps
// snakes `margin` px apart. Paddles are drawn with the exact area coverage of a
// thickness x length rectangle (box-filtered anti-aliasing) instead of the original's
// PIL line at antialias_scale x followed by a Lanczos resize.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "stimuli/pathfinder.h"

namespace ventral::stimuli {

/// The pixels of a paddle's mask relative to an integer anchor: one bit row per dy in
/// [min_dy, max_dy], bit j of a row being the pixel at dx = min_dx + j.
struct PaddleMask {
  std::vector<std::uint64_t> rows;
  int min_dy = 0, max_dy = 0, min_dx = 0, max_dx = 0;
  /// The mask widened by the clearance disk (add_clearance): rows for dy in
  /// [min_dy - clearance, max_dy + clearance], bit j at dx = min_dx - clearance + j.
  std::vector<std::uint64_t> near_rows;
  int clearance = -1;  ///< of near_rows; -1: not built
};

/// Points relative to a centre (dy, dx), with their bounding box.
struct PointOffsets {
  std::vector<std::pair<int, int>> offsets;
  int min_dy = 0, max_dy = 0, min_dx = 0, max_dx = 0;

  explicit PointOffsets(std::vector<std::pair<int, int>> points = {});
};

/// The pixels whose centres lie within `radius` of the segment from (y0, x0) to (y1, x1),
/// relative to the integer point (ay, ax). Throws Error when the mask is wider than 48 px.
void paddle_mask(double y0, double x0, double y1, double x1, double radius, int ay, int ax,
                 PaddleMask* mask);

/// Fills mask->near_rows: the pixels within `clearance` (the disk dy^2 + dx^2 <=
/// clearance^2) of the mask's pixels.
void add_clearance(PaddleMask* mask, int clearance);

/// True when the two masks, anchored at (ay, ax) and (by, bx), share a pixel.
bool masks_overlap(const PaddleMask& a, int ay, int ax, const PaddleMask& b, int by, int bx);

// The occupancy mask and its dilation by the clearance disk are bit planes (one bit per
// pixel, rows of 64-bit words): testing a paddle or a candidate end is a few word
// operations, and undoing a failed snake restores the rows it touched from a checkpoint.
class PathfinderCanvas {
 public:
  /// `clearance`: the radius free_near() answers for (the paddle margin, at most 8 px).
  PathfinderCanvas(int size, int clearance);

  int size() const { return size_; }
  int clearance() const { return clearance_; }
  /// Clears the image and the mask, then marks a border of `padding` px occupied; that
  /// state is the checkpoint.
  void reset(int padding);

  /// True when pixel (y, x) is inside the image.
  bool inside(int y, int x) const {
    return static_cast<unsigned>(y) < static_cast<unsigned>(size_) &&
           static_cast<unsigned>(x) < static_cast<unsigned>(size_);
  }
  /// Occupied pixels / all pixels, as of the last reset(), checkpoint() or rollback().
  double occupied_fraction() const;

  /// True when `mask` anchored at (ay, ax) touches an occupied pixel; pixels outside the
  /// image do not count.
  bool collides(const PaddleMask& mask, int ay, int ax) const;
  /// True when (y, x) is inside the image and no pixel within the clearance (the disk
  /// dy^2 + dx^2 <= clearance^2) is occupied.
  bool free_near(int y, int x) const {
    return inside(y, x) && ((near_[row_index(y) + (x >> 6)] >> (x & 63)) & 1u) == 0;
  }
  /// Of the points (y, x) + points.offsets[k], those that are free_near: writes their k to
  /// `open` (room for every point) in order and returns how many.
  std::size_t free_points(int y, int x, const PointOffsets& points, std::size_t* open) const;
  /// Marks the mask's pixels inside the image occupied.
  void occupy(const PaddleMask& mask, int ay, int ax);
  /// Makes the current mask the one rollback() returns to.
  void checkpoint();
  /// Returns the mask to the last checkpoint (undoes snakes that failed).
  void rollback();

  /// Draws a paddle of `thickness` px with intensity `contrast` (maximum with the image).
  void draw_paddle(const PathfinderPaddle& paddle, double thickness, double contrast);
  /// Draws a filled anti-aliased disk of intensity 1.
  void draw_disk(double y, double x, double radius);

  /// The image as uint8, scaled so that its maximum is 255 (scipy.misc.bytescale, as
  /// scipy.misc.imsave applied to the original's float images).
  std::vector<std::uint8_t> to_bytes() const;

 private:
  std::size_t row_index(int y) const { return static_cast<std::size_t>(y) * words_; }
  // ORs `bits` (bit j: column col + j; col may be negative) into row y of `plane`, keeping
  // the columns inside the image.
  void set_bits(std::vector<std::uint64_t>& plane, int y, int col, std::uint64_t bits);
  // `bits` at column `col` of row y (cut to the image's columns) that `plane` has set.
  std::uint64_t any_bits(const std::vector<std::uint64_t>& plane, int y, int col,
                         std::uint64_t bits) const;
  // Marks `bits` (at col, already cut to the image) in the mask and their clearance in near_.
  void occupy_row(int y, int col, std::uint64_t bits);
  // Occupied pixels in rows [low, high] of `plane`.
  std::size_t count_rows(const std::vector<std::uint64_t>& plane, int low, int high) const;
  // Copies the rows changed since the checkpoint from (mask, near) to (mask_to, near_to);
  // none are dirty afterwards.
  void copy_dirty_rows(const std::vector<std::uint64_t>& mask, const std::vector<std::uint64_t>& near,
                       std::vector<std::uint64_t>& mask_to, std::vector<std::uint64_t>& near_to);
  void touch(int low, int high) {
    dirty_low_ = std::min(dirty_low_, std::max(low, 0));
    dirty_high_ = std::max(dirty_high_, std::min(high, size_ - 1));
  }

  int size_;
  int clearance_;
  std::size_t words_;  // words per row: one spare, so a row cut at any column fits in two words
  std::vector<float> image_;
  std::vector<std::uint64_t> mask_, near_;              // occupied; occupied within clearance
  std::vector<std::uint64_t> saved_mask_, saved_near_;  // the checkpoint
  std::size_t saved_count_ = 0;                         // occupied pixels at the checkpoint
  int dirty_low_ = 0, dirty_high_ = -1;                 // rows changed since the checkpoint
  std::vector<int> disk_half_width_;                    // per dy in [-clearance, clearance]
  // The empty mask with its border, built once per padding (reset() copies it, once per image).
  std::vector<std::uint64_t> border_mask_, border_near_;
  std::size_t border_count_ = 0;
  int border_padding_ = -1;
};

}  // namespace ventral::stimuli
