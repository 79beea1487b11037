#include "stimuli/pathfinder_canvas.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/error.h"

namespace ventral::stimuli {
namespace {

constexpr int kMaxMaskWidth = 48;  // px; with twice the clearance, one 64-bit word
constexpr int kMaxClearance = 8;

// Length of [centre - 0.5, centre + 0.5] inside [low, high]: the box-filtered coverage
// of one pixel along one axis.
inline double overlap(double centre, double low, double high) {
  return std::max(0.0, std::min(centre + 0.5, high) - std::max(centre - 0.5, low));
}

// Squared distance from (py, px) to the segment (y0, x0)-(y1, x1).
inline double segment_distance2(double py, double px, double y0, double x0, double y1, double x1) {
  double vy = y1 - y0, vx = x1 - x0;
  double len2 = vy * vy + vx * vx;
  double t = len2 > 0 ? ((py - y0) * vy + (px - x0) * vx) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  double dy = py - (y0 + t * vy), dx = px - (x0 + t * vx);
  return dy * dy + dx * dx;
}

// Cuts `bits` (bit j: column col + j) to the columns [0, size): shifts off the columns left
// of 0 (col becomes 0) and clears those at or past `size`. False when nothing is left.
inline bool cut_to_columns(int size, int& col, std::uint64_t& bits) {
  if (col < 0) {
    if (col <= -64) return false;
    bits >>= -col;
    col = 0;
  }
  if (col >= size) return false;
  const int room = size - col;
  if (room < 64) bits &= (std::uint64_t{1} << room) - 1;
  return bits != 0;
}

}  // namespace

void paddle_mask(double y0, double x0, double y1, double x1, double radius, int ay, int ax,
                 PaddleMask* mask) {
  const int top = static_cast<int>(std::floor(std::min(y0, y1) - radius));
  const int bottom = static_cast<int>(std::ceil(std::max(y0, y1) + radius));
  const int left = static_cast<int>(std::floor(std::min(x0, x1) - radius));
  const int right = static_cast<int>(std::ceil(std::max(x0, x1) + radius));
  const double r2 = radius * radius + 1e-9;
  std::vector<std::pair<int, int>> pixels;
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) {
      if (segment_distance2(y, x, y0, x0, y1, x1) <= r2) pixels.emplace_back(y - ay, x - ax);
    }
  }
  mask->rows.clear();
  mask->min_dy = mask->min_dx = mask->max_dy = mask->max_dx = 0;
  if (pixels.empty()) return;
  mask->min_dy = mask->min_dx = 1 << 30;
  mask->max_dy = mask->max_dx = -(1 << 30);
  for (auto [dy, dx] : pixels) {
    mask->min_dy = std::min(mask->min_dy, dy);
    mask->max_dy = std::max(mask->max_dy, dy);
    mask->min_dx = std::min(mask->min_dx, dx);
    mask->max_dx = std::max(mask->max_dx, dx);
  }
  if (mask->max_dx - mask->min_dx >= kMaxMaskWidth) {
    fail("pathfinder: a paddle mask {} px wide is wider than {} px (paddle length plus margins)",
         mask->max_dx - mask->min_dx + 1, kMaxMaskWidth);
  }
  mask->rows.assign(static_cast<std::size_t>(mask->max_dy - mask->min_dy + 1), 0);
  for (auto [dy, dx] : pixels) mask->rows[dy - mask->min_dy] |= std::uint64_t{1} << (dx - mask->min_dx);
}

PointOffsets::PointOffsets(std::vector<std::pair<int, int>> points) : offsets(std::move(points)) {
  for (auto [dy, dx] : offsets) {
    min_dy = std::min(min_dy, dy);
    max_dy = std::max(max_dy, dy);
    min_dx = std::min(min_dx, dx);
    max_dx = std::max(max_dx, dx);
  }
}

void add_clearance(PaddleMask* mask, int clearance) {
  mask->near_rows.assign(mask->rows.size() + 2 * static_cast<std::size_t>(clearance), 0);
  for (std::size_t r = 0; r < mask->rows.size(); ++r) {
    for (int dy = -clearance; dy <= clearance; ++dy) {
      int half = 0;
      while ((half + 1) * (half + 1) + dy * dy <= clearance * clearance) ++half;
      std::uint64_t widened = 0;  // bits of row r shifted by dx in [-half, half], from column -clearance
      for (int dx = -half; dx <= half; ++dx) widened |= mask->rows[r] << (clearance + dx);
      mask->near_rows[r + static_cast<std::size_t>(clearance + dy)] |= widened;
    }
  }
  mask->clearance = clearance;
}

bool masks_overlap(const PaddleMask& a, int ay, int ax, const PaddleMask& b, int by, int bx) {
  const int low = std::max(ay + a.min_dy, by + b.min_dy), high = std::min(ay + a.max_dy, by + b.max_dy);
  const int shift = (ax + a.min_dx) - (bx + b.min_dx);  // a's first column, in b's columns
  if (low > high || shift >= 64 || shift <= -64 || a.rows.empty() || b.rows.empty()) return false;
  for (int y = low; y <= high; ++y) {
    const std::uint64_t ra = a.rows[y - ay - a.min_dy], rb = b.rows[y - by - b.min_dy];
    // Masks are under 48 px wide, so bits shifted past 64 lie beyond the other mask.
    if ((shift >= 0 ? (ra << shift) & rb : ra & (rb << -shift)) != 0) return true;
  }
  return false;
}

PathfinderCanvas::PathfinderCanvas(int size, int clearance)
    : size_(size),
      clearance_(clearance),
      words_(static_cast<std::size_t>((size + 63) / 64) + 1),
      image_(static_cast<std::size_t>(size) * size),
      mask_(static_cast<std::size_t>(size) * words_),
      near_(mask_.size()),
      saved_mask_(mask_.size()),
      saved_near_(mask_.size()) {
  if (clearance < 0 || clearance > kMaxClearance) {
    fail("pathfinder: paddle margin {} px is outside [0, {}]", clearance, kMaxClearance);
  }
  for (int dy = -clearance; dy <= clearance; ++dy) {
    int half = 0;
    while ((half + 1) * (half + 1) + dy * dy <= clearance * clearance) ++half;
    disk_half_width_.push_back(half);
  }
}

void PathfinderCanvas::set_bits(std::vector<std::uint64_t>& plane, int y, int col, std::uint64_t bits) {
  if (y < 0 || y >= size_ || !cut_to_columns(size_, col, bits)) return;
  std::uint64_t* word = plane.data() + row_index(y) + (col >> 6);
  const int s = col & 63;
  word[0] |= bits << s;
  word[1] |= s != 0 ? bits >> (64 - s) : 0;
}

std::size_t PathfinderCanvas::count_rows(const std::vector<std::uint64_t>& plane, int low,
                                         int high) const {
  std::size_t count = 0;
  for (std::size_t i = row_index(low); i < row_index(high + 1); ++i) {
    count += static_cast<std::size_t>(__builtin_popcountll(plane[i]));
  }
  return count;
}

std::uint64_t PathfinderCanvas::any_bits(const std::vector<std::uint64_t>& plane, int y, int col,
                                         std::uint64_t bits) const {
  if (y < 0 || y >= size_ || !cut_to_columns(size_, col, bits)) return 0;
  const std::uint64_t* word = plane.data() + row_index(y) + (col >> 6);
  const int s = col & 63;
  return ((bits << s) & word[0]) | ((s != 0 ? bits >> (64 - s) : 0) & word[1]);
}

void PathfinderCanvas::occupy_row(int y, int col, std::uint64_t bits) {
  set_bits(mask_, y, col, bits);
  // The clearance disk, row by row: the bits widened by the disk's half width there.
  // Masks are under 48 px wide and the clearance at most 8 px, so this fits one word.
  for (int dy = -clearance_; dy <= clearance_; ++dy) {
    const int half = disk_half_width_[dy + clearance_];
    std::uint64_t widened = 0;
    for (int j = 0; j <= 2 * half; ++j) widened |= bits << j;
    set_bits(near_, y + dy, col - half, widened);
  }
  touch(y - clearance_, y + clearance_);
}

void PathfinderCanvas::reset(int padding) {
  std::fill(image_.begin(), image_.end(), 0.0f);
  if (padding != border_padding_) {
    std::fill(mask_.begin(), mask_.end(), 0);
    std::fill(near_.begin(), near_.end(), 0);
    for (int y = 0; y < size_; ++y) {
      for (int x = 0; x < size_; ++x) {
        bool border = y < padding || x < padding || y >= size_ - padding || x >= size_ - padding;
        if (border) occupy_row(y, x, 1);
      }
    }
    border_mask_ = mask_;
    border_near_ = near_;
    border_count_ = count_rows(mask_, 0, size_ - 1);
    border_padding_ = padding;
  }
  mask_ = saved_mask_ = border_mask_;
  near_ = saved_near_ = border_near_;
  saved_count_ = border_count_;
  dirty_low_ = 0;
  dirty_high_ = -1;
}

double PathfinderCanvas::occupied_fraction() const {
  return static_cast<double>(saved_count_) / (static_cast<double>(size_) * size_);
}

bool PathfinderCanvas::collides(const PaddleMask& mask, int ay, int ax) const {
  const int top = ay + mask.min_dy, col = ax + mask.min_dx;
  if (top >= 0 && ay + mask.max_dy < size_ && col >= 0 && ax + mask.max_dx < size_) {
    // Inside the image: no cutting, one word offset for every row, and mostly one word.
    const std::uint64_t* word = mask_.data() + row_index(top) + (col >> 6);
    const int s = col & 63;
    if (s + mask.max_dx - mask.min_dx < 64) {
      for (std::uint64_t bits : mask.rows) {
        if (((bits << s) & *word) != 0) return true;
        word += words_;
      }
      return false;
    }
    for (std::uint64_t bits : mask.rows) {
      if (((bits << s) & word[0]) != 0 || ((s != 0 ? bits >> (64 - s) : 0) & word[1]) != 0) return true;
      word += words_;
    }
    return false;
  }
  for (std::size_t r = 0; r < mask.rows.size(); ++r) {
    if (any_bits(mask_, ay + mask.min_dy + static_cast<int>(r), ax + mask.min_dx, mask.rows[r]) != 0)
      return true;
  }
  return false;
}

std::size_t PathfinderCanvas::free_points(int y, int x, const PointOffsets& points,
                                          std::size_t* open) const {
  const auto* offsets = points.offsets.data();
  const std::size_t n = points.offsets.size();
  std::size_t count = 0;
  if (y + points.min_dy >= 0 && y + points.max_dy < size_ && x + points.min_dx >= 0 &&
      x + points.max_dx < size_) {
    // All inside: a bit index per point, no bounds checks; the branch-free count keeps
    // the loop free of mispredictions (about half the points are open).
    const std::uint64_t* plane = near_.data();
    const std::ptrdiff_t row_bits = static_cast<std::ptrdiff_t>(words_) * 64;
    const std::ptrdiff_t centre = y * row_bits + x;
    for (std::size_t k = 0; k < n; ++k) {
      const std::ptrdiff_t bit = centre + offsets[k].first * row_bits + offsets[k].second;
      open[count] = k;
      count += ((plane[bit >> 6] >> (bit & 63)) & 1u) ^ 1u;
    }
    return count;
  }
  for (std::size_t k = 0; k < n; ++k) {
    open[count] = k;
    count += free_near(y + offsets[k].first, x + offsets[k].second) ? 1 : 0;
  }
  return count;
}

void PathfinderCanvas::occupy(const PaddleMask& mask, int ay, int ax) {
  const int c = clearance_, top = ay + mask.min_dy - c, col = ax + mask.min_dx - c;
  if (mask.clearance == c && top >= 0 && ay + mask.max_dy + c < size_ && col >= 0 &&
      ax + mask.max_dx + c < size_) {
    // Mask and clearance inside the image: the precomputed rows, no cutting.
    const int s = col & 63;
    std::uint64_t* near = near_.data() + row_index(top) + (col >> 6);
    std::uint64_t* word = mask_.data() + row_index(top + c) + ((col + c) >> 6);
    const int sm = (col + c) & 63;
    touch(top, top + static_cast<int>(mask.near_rows.size()) - 1);
    if (s + mask.max_dx - mask.min_dx + 2 * c < 64) {  // one word per row (then the mask too)
      for (std::uint64_t bits : mask.rows) {
        *word |= bits << sm;
        word += words_;
      }
      for (std::uint64_t bits : mask.near_rows) {
        *near |= bits << s;
        near += words_;
      }
      return;
    }
    for (std::uint64_t bits : mask.rows) {
      word[0] |= bits << sm;
      word[1] |= sm != 0 ? bits >> (64 - sm) : 0;
      word += words_;
    }
    for (std::uint64_t bits : mask.near_rows) {
      near[0] |= bits << s;
      near[1] |= s != 0 ? bits >> (64 - s) : 0;
      near += words_;
    }
    return;
  }
  for (std::size_t r = 0; r < mask.rows.size(); ++r) {
    const int y = ay + mask.min_dy + static_cast<int>(r);
    int col = ax + mask.min_dx;
    std::uint64_t bits = mask.rows[r];
    // Pixels outside the image neither occupy nor keep their neighbours clear.
    if (y < 0 || y >= size_ || !cut_to_columns(size_, col, bits)) continue;
    occupy_row(y, col, bits);
  }
}

void PathfinderCanvas::copy_dirty_rows(const std::vector<std::uint64_t>& mask,
                                       const std::vector<std::uint64_t>& near,
                                       std::vector<std::uint64_t>& mask_to,
                                       std::vector<std::uint64_t>& near_to) {
  if (dirty_low_ <= dirty_high_) {
    const auto first = static_cast<std::ptrdiff_t>(row_index(dirty_low_));
    const auto last = static_cast<std::ptrdiff_t>(row_index(dirty_high_ + 1));
    std::copy(mask.begin() + first, mask.begin() + last, mask_to.begin() + first);
    std::copy(near.begin() + first, near.begin() + last, near_to.begin() + first);
  }
  dirty_low_ = 0;
  dirty_high_ = -1;
}

void PathfinderCanvas::checkpoint() {
  if (dirty_low_ <= dirty_high_) {
    // The mask only gains pixels between checkpoints.
    saved_count_ += count_rows(mask_, dirty_low_, dirty_high_) -
                    count_rows(saved_mask_, dirty_low_, dirty_high_);
  }
  copy_dirty_rows(mask_, near_, saved_mask_, saved_near_);
}

void PathfinderCanvas::rollback() { copy_dirty_rows(saved_mask_, saved_near_, mask_, near_); }

void PathfinderCanvas::draw_paddle(const PathfinderPaddle& paddle, double thickness, double contrast) {
  const double vy = paddle.y1 - paddle.y0, vx = paddle.x1 - paddle.x0;
  const double length = std::sqrt(vy * vy + vx * vx);
  if (length <= 0) return;
  const double uy = vy / length, ux = vx / length;  // along the paddle
  const double half = thickness / 2;
  const double reach = half + 1.0;
  const int top = std::max(0, static_cast<int>(std::floor(std::min(paddle.y0, paddle.y1) - reach)));
  const int bottom = std::min(size_ - 1,
                              static_cast<int>(std::ceil(std::max(paddle.y0, paddle.y1) + reach)));
  const int left = std::max(0, static_cast<int>(std::floor(std::min(paddle.x0, paddle.x1) - reach)));
  const int right = std::min(size_ - 1,
                             static_cast<int>(std::ceil(std::max(paddle.x0, paddle.x1) + reach)));
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) {
      double py = y - paddle.y0, px = x - paddle.x0;
      double along = py * uy + px * ux;
      double across = px * uy - py * ux;
      double coverage = overlap(along, 0, length) * overlap(across, -half, half);
      if (coverage <= 0) continue;
      float& pixel = image_[static_cast<std::size_t>(y) * size_ + x];
      pixel = std::max(pixel, static_cast<float>(coverage * contrast));
    }
  }
}

void PathfinderCanvas::draw_disk(double cy, double cx, double radius) {
  const int top = std::max(0, static_cast<int>(std::floor(cy - radius - 1)));
  const int bottom = std::min(size_ - 1, static_cast<int>(std::ceil(cy + radius + 1)));
  const int left = std::max(0, static_cast<int>(std::floor(cx - radius - 1)));
  const int right = std::min(size_ - 1, static_cast<int>(std::ceil(cx + radius + 1)));
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) {
      double distance = std::hypot(y - cy, x - cx);
      double coverage = std::clamp(radius + 0.5 - distance, 0.0, 1.0);
      float& pixel = image_[static_cast<std::size_t>(y) * size_ + x];
      pixel = std::max(pixel, static_cast<float>(coverage));
    }
  }
}

std::vector<std::uint8_t> PathfinderCanvas::to_bytes() const {
  float high = 0;
  for (float v : image_) high = std::max(high, v);
  std::vector<std::uint8_t> bytes(image_.size());
  if (high <= 0) return bytes;
  const double scale = 255.0 / high;
  for (std::size_t i = 0; i < image_.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(std::clamp(image_[i] * scale, 0.0, 255.0) + 0.5);
  }
  return bytes;
}

}  // namespace ventral::stimuli
