#include "alignment/saliency_figure.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "common/atomic_output.h"
#include "common/colormap.h"
#include "common/error.h"

namespace ventral::alignment {
namespace {

constexpr int kGap = 8, kCaption = 22, kHeader = 24, kTitle = 28;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

// A cairo RGB24 surface of width x height whose pixel (x, y) is colour(x, y).
template <typename Colour>
Surface make_surface(int width, int height, Colour colour) {
  Surface s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  cairo_surface_flush(s.get());
  unsigned char* data = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  for (int y = 0; y < height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + y * stride);
    for (int x = 0; x < width; ++x) {
      const std::array<std::uint8_t, 3> c = colour(x, y);
      row[x] = (std::uint32_t{c[0]} << 16) | (std::uint32_t{c[1]} << 8) | c[2];
    }
  }
  cairo_surface_mark_dirty(s.get());
  return s;
}

// Values scaled to [0, 1] by their own min..max (a constant map is drawn as zeros).
std::vector<float> unit_range(const std::vector<float>& values) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::vector<float> out(values.size(), 0.0f);
  if (values.empty() || !(*hi > *lo)) return out;
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = (values[i] - *lo) / (*hi - *lo);
  return out;
}

void draw_scaled(cairo_t* cr, cairo_surface_t* surface, int source_w, int source_h, double x, double y,
                 int side) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, static_cast<double>(side) / source_w, static_cast<double>(side) / source_h);
  cairo_set_source_surface(cr, surface, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);  // no dark fringe at the edges
  cairo_rectangle(cr, 0, 0, source_w, source_h);  // the panel only (the padded source is endless)
  cairo_fill(cr);
  cairo_restore(cr);
}

void draw_text(cairo_t* cr, const std::string& text, double x, double y, double size,
               bool bold = false) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

}  // namespace

void write_saliency_figure(const std::string& path, const std::vector<SaliencyFigureRow>& rows,
                           const SaliencyFigureOptions& options) {
  if (rows.empty()) fail("{}: no images to draw", path);
  for (const auto& r : rows) {
    if (r.rgb.size() != static_cast<std::size_t>(r.height) * r.width * 3 || r.height <= 0 ||
        r.human.size() != static_cast<std::size_t>(r.side) * r.side || r.model.size() != r.human.size())
      fail("{}: a figure row's image or maps do not match their sizes", path);
  }
  const int panel = options.panel_px, columns = 4;
  const int top = (options.title.empty() ? 0 : kTitle) + kHeader;
  const int row_height = kCaption + panel + kGap;
  const int width = kGap + columns * (panel + kGap);
  const int height = top + static_cast<int>(rows.size()) * row_height;
  Surface canvas(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  Context cr(cairo_create(canvas.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  if (!options.title.empty()) draw_text(cr.get(), options.title, kGap, 20, 15, true);
  const char* headers[] = {"image", "human map", "model saliency", "overlay"};
  for (int c = 0; c < columns; ++c)
    draw_text(cr.get(), headers[c], kGap + c * (panel + kGap), top - 7, 13, true);

  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const double y = top + static_cast<double>(k) * row_height;
    draw_text(cr.get(), r.caption, kGap, y + kCaption - 6, 12.5);
    const double py = y + kCaption;
    auto photo = make_surface(r.width, r.height, [&](int x, int yy) {
      const std::uint8_t* p = &r.rgb[(static_cast<std::size_t>(yy) * r.width + x) * 3];
      return std::array<std::uint8_t, 3>{p[0], p[1], p[2]};
    });
    const auto human = unit_range(r.human), model = unit_range(r.model);
    auto heat = [&](const std::vector<float>& m) {
      return make_surface(r.side, r.side, [&](int x, int yy) { return viridis(m[yy * r.side + x]); });
    };
    auto human_surface = heat(human), model_surface = heat(model);
    draw_scaled(cr.get(), photo.get(), r.width, r.height, kGap, py, panel);
    draw_scaled(cr.get(), human_surface.get(), r.side, r.side, kGap + (panel + kGap), py, panel);
    draw_scaled(cr.get(), model_surface.get(), r.side, r.side, kGap + 2 * (panel + kGap), py, panel);
    // overlay: the dimmed photograph, then the saliency in red with its value as alpha
    const double ox = kGap + 3 * (panel + kGap);
    draw_scaled(cr.get(), photo.get(), r.width, r.height, ox, py, panel);
    cairo_set_source_rgba(cr.get(), 0, 0, 0, 0.45);
    cairo_rectangle(cr.get(), ox, py, panel, panel);
    cairo_fill(cr.get());
    Surface overlay(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, r.side, r.side));
    cairo_surface_flush(overlay.get());
    unsigned char* data = cairo_image_surface_get_data(overlay.get());
    const int stride = cairo_image_surface_get_stride(overlay.get());
    for (int yy = 0; yy < r.side; ++yy) {
      auto* row = reinterpret_cast<std::uint32_t*>(data + yy * stride);
      for (int x = 0; x < r.side; ++x) {
        const auto a = static_cast<std::uint32_t>(std::lround(255 * model[yy * r.side + x]));
        row[x] = (a << 24) | (a << 16) | ((a * 48 / 255) << 8);  // premultiplied red-orange
      }
    }
    cairo_surface_mark_dirty(overlay.get());
    draw_scaled(cr.get(), overlay.get(), r.side, r.side, ox, py, panel);
  }
  cr.reset();
  AtomicOutput output(path);
  if (cairo_surface_write_to_png(canvas.get(), output.temp_path().c_str()) != CAIRO_STATUS_SUCCESS)
    fail("{}: cannot write the PNG", path);
  output.commit();
}

}  // namespace ventral::alignment
