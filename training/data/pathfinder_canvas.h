// The drawing surface of the Pathfinder generator (pathfinder.h): a float image that
// paddles and markers are drawn into with the maximum, and the occupancy mask that keeps
// snakes `margin` px apart. Paddles are drawn with the exact area coverage of a
// thickness x length rectangle (box-filtered anti-aliasing) instead of the original's
// PIL line at antialias_scale x followed by a Lanczos resize.
#pragma once

#include <cstdint>
#include <vector>

#include "training/data/pathfinder.h"

namespace ventral::data {

/// The pixels of a paddle's mask as offsets (dy, dx) from an integer anchor, with their range.
struct PaddleMask {
  std::vector<int> dy, dx;
  int min_dy = 0, max_dy = 0, min_dx = 0, max_dx = 0;
};

/// The pixels whose centres lie within `radius` of the segment from (y0, x0) to (y1, x1),
/// as offsets from the integer point (ay, ax).
void paddle_mask(double y0, double x0, double y1, double x1, double radius, int ay, int ax,
                 PaddleMask* mask);

class PathfinderCanvas {
 public:
  /// `clearance`: the radius free_around() is asked about most (the paddle margin); the
  /// canvas keeps, per pixel, the number of occupied pixels within it, so that question is
  /// one lookup.
  PathfinderCanvas(int size, int clearance);

  int size() const { return size_; }
  int clearance() const { return clearance_; }
  /// Clears the image and the mask, then marks a border of `padding` px occupied.
  void reset(int padding);

  /// True when pixel (y, x) is inside the image.
  bool inside(int y, int x) const { return y >= 0 && x >= 0 && y < size_ && x < size_; }
  bool occupied(int y, int x) const { return mask_[static_cast<std::size_t>(y) * size_ + x] != 0; }
  /// Occupied pixels / all pixels.
  double occupied_fraction() const;

  /// True when `mask` anchored at (ay, ax) touches an occupied pixel; pixels outside the
  /// image do not count.
  bool collides(const PaddleMask& mask, int ay, int ax) const;
  /// True when no pixel within `radius` px (the disk x^2 + y^2 <= radius^2) is occupied;
  /// (y, x) must be inside the image.
  bool free_around(int y, int x, int radius) const {
    return radius == clearance_ ? near_[near_index(y, x)] == 0 : free_around_scan(y, x, radius);
  }
  /// Marks the mask's pixels occupied; appends the indices that were free to `changed`.
  void occupy(const PaddleMask& mask, int ay, int ax, std::vector<int>* changed);
  /// Frees the pixels `occupy` recorded (undoes a snake that failed).
  void release(const std::vector<int>& changed);

  /// Draws a paddle of `thickness` px with intensity `contrast` (maximum with the image).
  void draw_paddle(const PathfinderPaddle& paddle, double thickness, double contrast);
  /// Draws a filled anti-aliased disk of intensity 1.
  void draw_disk(double y, double x, double radius);

  /// The image as uint8, scaled so that its maximum is 255 (scipy.misc.bytescale, as
  /// scipy.misc.imsave applied to the original's float images).
  std::vector<std::uint8_t> to_bytes() const;

 private:
  // Adds `delta` to the counts within `clearance` of pixel (y, x).
  void count_near(int y, int x, int delta, std::vector<std::uint16_t>& near) const;
  bool free_around_scan(int y, int x, int radius) const;
  // near_ has a frame of `clearance` px around the image, so updates need no bounds checks.
  std::size_t near_index(int y, int x) const {
    return static_cast<std::size_t>(y + clearance_) * (size_ + 2 * clearance_) + (x + clearance_);
  }

  int size_;
  std::vector<float> image_;
  std::vector<std::uint8_t> mask_;
  std::size_t occupied_count_ = 0;
  int clearance_;
  std::vector<std::ptrdiff_t> disk_;  // offsets of the clearance disk in near_
  std::vector<std::uint16_t> near_;   // occupied pixels within `clearance` of each pixel (framed)
  std::vector<std::uint16_t> border_near_;
  // The empty mask with its border, built once per padding: reset() copies it, since
  // a 64 px image with a 14-paddle pair resets hundreds of times per image.
  std::vector<std::uint8_t> border_mask_;
  std::size_t border_count_ = 0;
  int border_padding_ = -1;
};

}  // namespace ventral::data
