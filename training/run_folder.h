// The run folder of `ventral train` (--output DIR): config.toml, summary.csv (timm's
// columns), train.log, last.pt, best.pt. Text files are rewritten atomically.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace ventral::training {

struct SummaryRow {
  int64_t epoch = 0;  ///< 1-based, as printed
  double train_loss = 0, eval_loss = 0, eval_top1 = 0, eval_top5 = 0, lr = 0;
  /// Epoch means of the loss's parts, written as columns `train_<name>` after timm's
  /// (train_ce, train_harm, ...); the same names in every row of a run.
  std::vector<std::pair<std::string, double>> train_terms;
};

class RunFolder {
 public:
  /// Creates `dir` if needed. A folder that already holds last.pt is accepted only when
  /// `resuming` (Error otherwise: a run is never silently overwritten).
  RunFolder(std::string dir, bool resuming);

  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  const std::string& dir() const { return dir_; }

  /// Prints `line` and appends it to train.log.
  void log(const std::string& line);

  void write_config(const std::string& toml) const;

  /// Rows of an earlier run of the same folder (resume) for epochs 1..`completed`.
  std::vector<SummaryRow> read_summary_until(int64_t completed) const;
  void write_summary(const std::vector<SummaryRow>& rows) const;

 private:
  std::string dir_;
  std::ofstream log_;
};

}  // namespace ventral::training
