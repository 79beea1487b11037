#include "ablation/grid_results.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ablation/local_executor.h"
#include "common/error.h"

namespace ventral::ablation {
namespace {

double number_or_missing(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_number()) return kMissing;
  return j.at(key).get<double>();
}

std::string benchmark_name(const GridBenchmark& b) { return b.spec.substr(0, b.spec.find(':')); }

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : ""; }

Spread spread_of(const std::vector<double>& values) {
  Spread s;
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  s.n = static_cast<int>(finite.size());
  if (finite.empty()) return s;
  double sum = 0;
  for (double v : finite) sum += v;
  s.mean = sum / s.n;
  if (s.n > 1) {
    double ss = 0;
    for (double v : finite) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / (s.n - 1));
  }
  return s;
}

// Conventions other than "ratio" seen for benchmark k, in name order.
std::vector<std::string> extra_conventions(const std::vector<RunResult>& results, std::size_t k) {
  std::set<std::string> names;
  for (const auto& r : results) {
    if (k < r.benchmarks.size())
      for (const auto& [name, value] : r.benchmarks[k].ceiled)
        if (name != "ratio") names.insert(name);
  }
  return {names.begin(), names.end()};
}

std::string cell(const Spread& s, double scale, int digits) {
  if (s.n == 0) return "–";
  std::string text = fmt::format("{:.{}f}", s.mean * scale, digits);
  // A spread only where seeds differ (parameters and FLOPs do not).
  if (s.n > 1 && s.sd > 0) text += fmt::format(" ± {:.{}f}", s.sd * scale, digits);
  return text;
}

}  // namespace

double BenchmarkValue::headline() const {
  if (auto it = ceiled.find("ratio"); it != ceiled.end()) return it->second;
  return raw;
}

std::vector<RunResult> collect_results(const Grid& grid, const std::string& out_dir) {
  std::vector<RunResult> results;
  for (const auto& run : grid.runs) {
    RunResult r;
    r.run = &run;
    r.state = read_run_state(out_dir, run);
    r.benchmarks.resize(grid.benchmarks.size());
    const std::string scores = run_dir(out_dir, run) + "/scores.json";
    std::error_code ec;
    if (r.state.stage == "done" && std::filesystem::exists(scores, ec)) {
      nlohmann::json j;
      try {
        std::ifstream in(scores);
        j = nlohmann::json::parse(in);
      } catch (const nlohmann::json::exception& e) {
        fail("{}: not a ventral score report ({})", scores, e.what());
      }
      r.scored = true;
      if (j.contains("model")) {
        const auto& m = j.at("model");
        r.parameters = number_or_missing(m, "parameters");
        r.forward_flops = number_or_missing(m, "forward_flops");
        r.training_flops = number_or_missing(m, "training_flops");
      }
      const auto& list = j.value("benchmarks", nlohmann::json::array());
      for (std::size_t k = 0; k < grid.benchmarks.size() && k < list.size(); ++k) {
        auto& b = r.benchmarks[k];
        const auto& item = list[k];
        if (item.contains("error")) {
          b.error = item.at("error").get<std::string>();
          continue;
        }
        b.scored = true;
        b.raw = number_or_missing(item, "raw");
        b.ceiling = number_or_missing(item, "ceiling");
        const nlohmann::json ceiled = item.value("ceiled", nlohmann::json::object());
        for (const auto& [name, value] : ceiled.items())
          b.ceiled[name] = value.is_number() ? value.get<double>() : kMissing;
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::string results_csv(const Grid& grid, const std::vector<RunResult>& results) {
  std::vector<std::string> header = {"run", "label", "variant", "seed", "status"};
  for (const auto& key : grid.option_columns) header.push_back(key);
  for (const char* c :
       {"parameters", "forward_flops", "training_flops", "train_seconds", "score_seconds"})
    header.emplace_back(c);
  std::vector<std::vector<std::string>> conventions;
  for (std::size_t k = 0; k < grid.benchmarks.size(); ++k) {
    const auto& label = grid.benchmarks[k].label;
    header.push_back(label);
    header.push_back(label + "_raw");
    header.push_back(label + "_ceiling");
    conventions.push_back(extra_conventions(results, k));
    for (const auto& c : conventions.back()) header.push_back(label + "_" + c);
  }
  header.emplace_back("error");
  std::ostringstream out;
  for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << csv_field(header[i]);
  out << "\n";
  for (const auto& r : results) {
    std::vector<std::string> row = {r.run->id, r.run->label, r.run->variant, std::to_string(r.run->seed),
                                    r.state.stage.empty() ? "not started" : r.state.stage};
    for (const auto& [key, value] : r.run->options) row.push_back(value);
    row.push_back(csv_number(r.parameters));
    row.push_back(csv_number(r.forward_flops));
    row.push_back(csv_number(r.training_flops));
    row.push_back(r.state.train_seconds > 0 ? fmt::format("{:.1f}", r.state.train_seconds) : "");
    row.push_back(r.state.score_seconds > 0 ? fmt::format("{:.1f}", r.state.score_seconds) : "");
    std::string errors = r.state.error;
    for (std::size_t k = 0; k < grid.benchmarks.size(); ++k) {
      const auto& b = r.benchmarks[k];
      row.push_back(csv_number(b.scored ? b.headline() : kMissing));
      row.push_back(csv_number(b.raw));
      row.push_back(csv_number(b.ceiling));
      for (const auto& c : conventions[k])
        row.push_back(csv_number(b.ceiled.count(c) ? b.ceiled.at(c) : kMissing));
      if (!b.error.empty())
        errors += (errors.empty() ? "" : "; ") + grid.benchmarks[k].label + ": " + b.error;
    }
    row.push_back(errors);
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
    out << "\n";
  }
  return out.str();
}

std::vector<VariantSummary> summarise(const Grid& grid, const std::vector<RunResult>& results) {
  std::vector<VariantSummary> summaries;
  std::vector<std::string> order;
  for (const auto& r : results)
    if (std::find(order.begin(), order.end(), r.run->label) == order.end())
      order.push_back(r.run->label);
  for (const auto& label : order) {
    VariantSummary s;
    s.label = label;
    std::vector<std::vector<double>> values(grid.benchmarks.size());
    std::vector<double> train, params, fwd, flops;
    for (const auto& r : results) {
      if (r.run->label != label) continue;
      if (s.runs == 0) {
        s.options = r.run->options;
        s.variant = r.run->variant;
      }
      ++s.runs;
      if (!r.scored) continue;
      ++s.done;
      for (std::size_t k = 0; k < grid.benchmarks.size(); ++k)
        values[k].push_back(r.benchmarks[k].scored ? r.benchmarks[k].headline() : kMissing);
      train.push_back(r.state.train_seconds);
      params.push_back(r.parameters);
      fwd.push_back(r.forward_flops);
      flops.push_back(r.training_flops);
    }
    for (const auto& v : values) s.benchmarks.push_back(spread_of(v));
    s.train_seconds = spread_of(train);
    s.parameters = spread_of(params);
    s.forward_flops = spread_of(fwd);
    s.training_flops = spread_of(flops);
    summaries.push_back(std::move(s));
  }
  return summaries;
}

int benchmark_for(const Grid& grid, const std::string& role) {
  std::vector<std::string> names;
  if (role == "recognition") names = {"recognition"};
  if (role == "alignment") names = {"clickme-alignment"};
  if (role == "neural") names = {"neural-pls", "it-patch"};
  for (const auto& name : names) {
    for (std::size_t k = 0; k < grid.benchmarks.size(); ++k)
      if (benchmark_name(grid.benchmarks[k]) == name) return static_cast<int>(k);
  }
  return -1;
}

std::string report_markdown(const Grid& grid, const std::vector<RunResult>& results,
                            const std::vector<std::pair<std::string, std::string>>& plots) {
  const auto summaries = summarise(grid, results);
  int done = 0, failed = 0;
  for (const auto& r : results) {
    done += r.scored ? 1 : 0;
    failed += r.state.stage == "failed" ? 1 : 0;
  }
  std::ostringstream out;
  out << "# Ablation grid `" << grid.name << "`\n\n";
  out << fmt::format(
      "{} runs ({} variants x {} seeds): {} finished, {} failed, {} not finished. Each run is scored on its "
      "`{}.pt`; cells are the mean ± sample sd over the finished seeds.\n\n",
      results.size(), summaries.size(), grid.seeds.size(), done, failed,
      static_cast<int>(results.size()) - done - failed, grid.checkpoint);
  out << "Benchmarks (value shown: the ceiled score where the benchmark has a ceiling, else the raw one):\n\n";
  for (const auto& b : grid.benchmarks) out << "- `" << b.label << "`: `" << b.spec << "`\n";
  out << "\n| variant |";
  for (const auto& b : grid.benchmarks) out << " " << b.label << " |";
  out << " parameters | forward MFLOPs | training TFLOPs (est.) | train time |\n|---|";
  for (std::size_t k = 0; k < grid.benchmarks.size(); ++k) out << "---|";
  out << "---|---|---|---|\n";
  for (const auto& s : summaries) {
    out << "| " << s.label << (s.done < s.runs ? fmt::format(" ({}/{} runs)", s.done, s.runs) : "")
        << " |";
    for (const auto& b : s.benchmarks) out << " " << cell(b, 1, 3) << " |";
    out << " " << (s.parameters.n ? fmt::format("{:.0f}", s.parameters.mean) : "–") << " |";
    out << " " << cell(s.forward_flops, 1e-6, 1) << " |";
    out << " " << cell(s.training_flops, 1e-12, 3) << " |";
    out << " " << (s.train_seconds.n ? format_duration(s.train_seconds.mean) : "–") << " |\n";
  }
  out << "\nTraining FLOPs are estimated as 3 x forward FLOPs x images trained (convolutions and matrix "
         "products counted from the operators that ran); a harmonized run's second-order pass is not in "
         "them, its train time is.\n";
  for (const auto& [file, caption] : plots)
    out << "\n![" << caption << "](" << file << ")\n\n" << caption << "\n";
  std::vector<std::string> failures;
  for (const auto& r : results) {
    if (r.state.stage == "failed")
      failures.push_back(
          fmt::format("- `{}` ({} failed): {}", r.run->id, r.state.failed_step, r.state.error));
    for (std::size_t k = 0; k < r.benchmarks.size(); ++k)
      if (!r.benchmarks[k].error.empty())
        failures.push_back(fmt::format("- `{}`, benchmark `{}`: {}", r.run->id, grid.benchmarks[k].label,
                                       r.benchmarks[k].error));
  }
  if (!failures.empty()) {
    out << "\n## Failures\n\n";
    for (const auto& f : failures) out << f << "\n";
  }
  out << "\nPer-run numbers: `results.csv`; each run's folder holds its train.log, config and scores.json.\n";
  return out.str();
}

}  // namespace ventral::ablation
