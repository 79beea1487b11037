// The Pareto plots of a grid (top-1 against alignment, top-1 against neural predictivity),
// drawn by gnuplot (Debian's gnuplot-nox) as PNG and SVG. The data and the gnuplot script are
// kept next to the pictures, so a figure can be restyled without rerunning anything.
#pragma once

#include <string>
#include <vector>

#include "ablation/pareto.h"

namespace ventral::ablation {

struct ParetoPlot {
  std::string base;  ///< OUT/pareto_alignment: writes .dat, .gp, .png, .svg
  std::string title, x_label, y_label;
  std::vector<ParetoPoint> points;  ///< variant means
  std::vector<double> x_sd, y_sd;   ///< spread over seeds (0 for one seed)
};

/// The gnuplot script (pure; exposed for tests); it reads base + ".dat".
std::string gnuplot_script(const ParetoPlot& plot);

/// The data file, in blocks separated by two blank lines: the front's points by increasing x
/// (block 0), then one block per group, in order of appearance: x, y, x sd, y sd, label.
std::string gnuplot_data(const ParetoPlot& plot);

/// Writes the data and script and runs gnuplot. Throws Error when gnuplot is missing or fails.
void draw_pareto(const ParetoPlot& plot);

}  // namespace ventral::ablation
