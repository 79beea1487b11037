#include "training/data/pathfinder_canvas.h"

#include <algorithm>
#include <cmath>

namespace ventral::data {
namespace {

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

}  // namespace

void paddle_mask(double y0, double x0, double y1, double x1, double radius, int ay, int ax,
                 PaddleMask* mask) {
  mask->dy.clear();
  mask->dx.clear();
  const int top = static_cast<int>(std::floor(std::min(y0, y1) - radius));
  const int bottom = static_cast<int>(std::ceil(std::max(y0, y1) + radius));
  const int left = static_cast<int>(std::floor(std::min(x0, x1) - radius));
  const int right = static_cast<int>(std::ceil(std::max(x0, x1) + radius));
  const double r2 = radius * radius + 1e-9;
  mask->min_dy = mask->min_dx = 1 << 30;
  mask->max_dy = mask->max_dx = -(1 << 30);
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) {
      if (segment_distance2(y, x, y0, x0, y1, x1) > r2) continue;
      mask->dy.push_back(y - ay);
      mask->dx.push_back(x - ax);
      mask->min_dy = std::min(mask->min_dy, y - ay);
      mask->max_dy = std::max(mask->max_dy, y - ay);
      mask->min_dx = std::min(mask->min_dx, x - ax);
      mask->max_dx = std::max(mask->max_dx, x - ax);
    }
  }
}

PathfinderCanvas::PathfinderCanvas(int size, int clearance)
    : size_(size),
      image_(static_cast<std::size_t>(size) * size),
      mask_(static_cast<std::size_t>(size) * size),
      clearance_(clearance),
      near_(static_cast<std::size_t>(size + 2 * clearance) * (size + 2 * clearance)) {
  const std::ptrdiff_t stride = size + 2 * clearance;
  for (int dy = -clearance; dy <= clearance; ++dy) {
    for (int dx = -clearance; dx <= clearance; ++dx) {
      if (dy * dy + dx * dx <= clearance * clearance) disk_.push_back(dy * stride + dx);
    }
  }
}

void PathfinderCanvas::count_near(int y, int x, int delta, std::vector<std::uint16_t>& near) const {
  std::uint16_t* centre = near.data() + near_index(y, x);
  for (std::ptrdiff_t offset : disk_) centre[offset] = static_cast<std::uint16_t>(centre[offset] + delta);
}

void PathfinderCanvas::reset(int padding) {
  std::fill(image_.begin(), image_.end(), 0.0f);
  if (padding != border_padding_) {
    border_mask_.assign(mask_.size(), 0);
    border_count_ = 0;
    for (int y = 0; y < size_; ++y) {
      for (int x = 0; x < size_; ++x) {
        bool border = y < padding || x < padding || y >= size_ - padding || x >= size_ - padding;
        border_mask_[static_cast<std::size_t>(y) * size_ + x] = border ? 1 : 0;
        border_count_ += border ? 1 : 0;
      }
    }
    border_near_.assign(near_.size(), 0);
    for (int y = 0; y < size_; ++y) {
      for (int x = 0; x < size_; ++x) {
        if (border_mask_[static_cast<std::size_t>(y) * size_ + x] != 0) count_near(y, x, 1, border_near_);
      }
    }
    border_padding_ = padding;
  }
  std::copy(border_mask_.begin(), border_mask_.end(), mask_.begin());
  std::copy(border_near_.begin(), border_near_.end(), near_.begin());
  occupied_count_ = border_count_;
}

double PathfinderCanvas::occupied_fraction() const {
  return static_cast<double>(occupied_count_) / static_cast<double>(mask_.size());
}

bool PathfinderCanvas::collides(const PaddleMask& mask, int ay, int ax) const {
  for (std::size_t k = 0; k < mask.dy.size(); ++k) {
    int y = ay + mask.dy[k], x = ax + mask.dx[k];
    if (inside(y, x) && occupied(y, x)) return true;
  }
  return false;
}

bool PathfinderCanvas::free_around_scan(int y, int x, int radius) const {
  const bool interior = y - radius >= 0 && x - radius >= 0 && y + radius < size_ && x + radius < size_;
  for (int dy = -radius; dy <= radius; ++dy) {
    const std::uint8_t* row = interior ? &mask_[static_cast<std::size_t>(y + dy) * size_ + x] : nullptr;
    for (int dx = -radius; dx <= radius; ++dx) {
      if (dy * dy + dx * dx > radius * radius) continue;
      if (interior) {
        if (row[dx] != 0) return false;
      } else if (inside(y + dy, x + dx) && occupied(y + dy, x + dx)) {
        return false;
      }
    }
  }
  return true;
}

void PathfinderCanvas::occupy(const PaddleMask& mask, int ay, int ax, std::vector<int>* changed) {
  for (std::size_t k = 0; k < mask.dy.size(); ++k) {
    int y = ay + mask.dy[k], x = ax + mask.dx[k];
    if (!inside(y, x)) continue;
    int index = y * size_ + x;
    if (mask_[index] == 0) {
      mask_[index] = 1;
      ++occupied_count_;
      count_near(y, x, 1, near_);
      if (changed != nullptr) changed->push_back(index);
    }
  }
}

void PathfinderCanvas::release(const std::vector<int>& changed) {
  for (int index : changed) {
    if (mask_[index] != 0) {
      mask_[index] = 0;
      --occupied_count_;
      count_near(index / size_, index % size_, -1, near_);
    }
  }
}

void PathfinderCanvas::draw_paddle(const PathfinderPaddle& paddle, double thickness, double contrast) {
  const double vy = paddle.y1 - paddle.y0, vx = paddle.x1 - paddle.x0;
  const double length = std::sqrt(vy * vy + vx * vx);
  if (length <= 0) return;
  const double uy = vy / length, ux = vx / length;  // along the paddle
  const double half = thickness / 2;
  const double reach = half + 1.0;
  const int top = std::max(0, static_cast<int>(std::floor(std::min(paddle.y0, paddle.y1) - reach)));
  const int bottom = std::min(size_ - 1, static_cast<int>(std::ceil(std::max(paddle.y0, paddle.y1) + reach)));
  const int left = std::max(0, static_cast<int>(std::floor(std::min(paddle.x0, paddle.x1) - reach)));
  const int right = std::min(size_ - 1, static_cast<int>(std::ceil(std::max(paddle.x0, paddle.x1) + reach)));
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

}  // namespace ventral::data
