#include "ablation/pareto_plot.h"

#include <fmt/core.h>

#include <algorithm>
#include <sstream>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/subprocess.h"

namespace ventral::ablation {
namespace {

// A gnuplot single-quoted string ('' is a quote inside it).
std::string gp_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A double-quoted field of a gnuplot data file.
std::string data_label(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? '\'' : c;
  return out + "\"";
}

}  // namespace

namespace {

std::vector<std::string> groups_of(const ParetoPlot& plot) {
  std::vector<std::string> groups;
  for (const auto& p : plot.points)
    if (std::find(groups.begin(), groups.end(), p.group) == groups.end()) groups.push_back(p.group);
  return groups;
}

// Colour-blind-safe (Okabe-Ito) colours for the groups; the front is drawn in grey.
const char* const kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                "#E69F00", "#56B4E9", "#000000"};

}  // namespace

std::string gnuplot_data(const ParetoPlot& plot) {
  std::ostringstream out;
  out << "# block 0: the Pareto front by increasing x\n";
  for (const auto i : pareto_front(plot.points))
    out << fmt::format("{:.6g} {:.6g}\n", plot.points[i].x, plot.points[i].y);
  for (const auto& group : groups_of(plot)) {
    out << "\n\n# group " << (group.empty() ? "(all)" : group) << ": x y x_sd y_sd label\n";
    for (std::size_t i = 0; i < plot.points.size(); ++i) {
      if (plot.points[i].group != group) continue;
      const double xs = i < plot.x_sd.size() ? plot.x_sd[i] : 0,
                   ys = i < plot.y_sd.size() ? plot.y_sd[i] : 0;
      out << fmt::format("{:.6g} {:.6g} {:.6g} {:.6g} {}\n", plot.points[i].x, plot.points[i].y, xs, ys,
                         data_label(plot.points[i].label));
    }
  }
  return out.str();
}

std::string gnuplot_script(const ParetoPlot& plot) {
  const std::string data = gp_string(plot.base + ".dat");
  std::ostringstream gp;
  gp << "# Pareto plot written by `ventral ablate`; rerun: gnuplot " << plot.base << ".gp\n";
  gp << "set title " << gp_string(plot.title) << " noenhanced\n";
  gp << "set xlabel " << gp_string(plot.x_label) << "\nset ylabel " << gp_string(plot.y_label) << "\n";
  gp << "set grid lc rgb '#dddddd'\nset key top left opaque box noenhanced\nset offsets graph 0.05, graph 0.25, "
        "graph 0.1, graph 0.1\n";
  gp << "plot " << data
     << " index 0 using 1:2 with lines lw 2 dt 2 lc rgb '#888888' title 'Pareto front'";
  const auto groups = groups_of(plot);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string colour = kColours[g % (sizeof(kColours) / sizeof(kColours[0]))];
    const std::string title = groups[g].empty() ? "variant" : groups[g];
    gp << ", \\\n     " << data << " index " << g + 1
       << " using 1:2:3:4 with xyerrorbars pt 7 ps 1.3 lc rgb '" << colour << "' title "
       << gp_string(title + " (mean ± sd over seeds)") << ", \\\n     " << data << " index " << g + 1
       << " using 1:2:5 with labels offset char 0.8,0.7 left font ',9' tc rgb '" << colour
       << "' noenhanced notitle";
  }
  gp << "\n";
  std::ostringstream out;
  out << "set terminal pngcairo size 1000,700 font 'DejaVu Sans,11'\nset output "
      << gp_string(plot.base + ".png") << "\n"
      << gp.str()
      << "set terminal svg size 1000,700 font 'DejaVu Sans,11' background '#ffffff'\nset output "
      << gp_string(plot.base + ".svg") << "\nreplot\nunset output\n";
  return out.str();
}

void draw_pareto(const ParetoPlot& plot) {
  if (!program_available("gnuplot"))
    fail(
        "gnuplot not found in PATH; the Pareto plots need Debian's gnuplot-nox (scripts/install_deps.sh installs it)");
  write_text_files(
      {{plot.base + ".dat", gnuplot_data(plot)}, {plot.base + ".gp", gnuplot_script(plot)}});
  std::string error;
  // gnuplot's warnings (an axis range widened) go to its log, not the grid's progress.
  const int code = run_process({{"gnuplot", plot.base + ".gp"}, plot.base + ".log"}, &error);
  if (code != 0) fail("gnuplot {}.gp failed (exit {}): {}", plot.base, code, error);
}

}  // namespace ventral::ablation
