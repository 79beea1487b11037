#include "training/run_folder.h"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "common/atomic_output.h"
#include "common/error.h"

namespace ventral::training {

namespace fs = std::filesystem;

RunFolder::RunFolder(std::string dir, bool resuming) : dir_(std::move(dir)) {
  if (dir_.empty()) fail("--output is required: the run folder for checkpoints and logs");
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
    fail("--output {}: exists and is not a folder", dir_);
  if (!resuming && fs::exists(path("last.pt"), ec)) {
    fail(
        "--output {}: already holds a run (last.pt); continue it with --resume {}/last.pt or choose "
        "another folder",
        dir_, dir_);
  }
  fs::create_directories(dir_, ec);
  if (ec) fail("--output {}: cannot create the folder: {}", dir_, ec.message());
  log_.open(path("train.log"), std::ios::app);
  if (!log_) fail("--output {}: cannot write train.log", dir_);
}

void RunFolder::log(const std::string& line) {
  fmt::print("{}\n", line);
  std::fflush(stdout);
  log_ << line << '\n';
  log_.flush();
}

void RunFolder::write_config(const std::string& toml) const {
  write_text_file(path("config.toml"), toml);
}

std::vector<SummaryRow> RunFolder::read_summary_until(int64_t completed) const {
  std::vector<SummaryRow> rows;
  std::ifstream in(path("summary.csv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    SummaryRow r;
    char comma;
    std::istringstream fields(line);
    if (fields >> r.epoch >> comma >> r.train_loss >> comma >> r.eval_loss >> comma >> r.eval_top1 >>
        comma >> r.eval_top5 >> comma >> r.lr) {
      if (r.epoch <= completed) rows.push_back(r);
    }
  }
  return rows;
}

void RunFolder::write_summary(const std::vector<SummaryRow>& rows) const {
  std::string text = "epoch,train_loss,eval_loss,eval_top1,eval_top5,lr\n";
  for (const auto& r : rows) {
    text += fmt::format("{},{:.6f},{:.6f},{:.4f},{:.4f},{:.8g}\n", r.epoch, r.train_loss, r.eval_loss,
                        r.eval_top1, r.eval_top5, r.lr);
  }
  write_text_file(path("summary.csv"), text);
}

}  // namespace ventral::training
