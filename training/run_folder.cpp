#include "training/run_folder.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/text_list.h"

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

namespace {

// timm's columns; the loss-part columns follow them.
constexpr const char* kSummaryColumns = "epoch,train_loss,eval_loss,eval_top1,eval_top5,lr";
constexpr int kSummaryFixed = 6;

}  // namespace

std::vector<SummaryRow> RunFolder::read_summary_until(int64_t completed) const {
  std::vector<SummaryRow> rows;
  std::ifstream in(path("summary.csv"));
  std::string line;
  std::getline(in, line);
  const auto header = split_list(line);
  while (std::getline(in, line)) {
    const auto fields = split_list(line);
    if (fields.size() != header.size() || fields.size() < kSummaryFixed) continue;
    try {
      SummaryRow r;
      r.epoch = std::stoll(fields[0]);
      r.train_loss = std::stod(fields[1]);
      r.eval_loss = std::stod(fields[2]);
      r.eval_top1 = std::stod(fields[3]);
      r.eval_top5 = std::stod(fields[4]);
      r.lr = std::stod(fields[5]);
      for (std::size_t k = kSummaryFixed; k < fields.size(); ++k) {
        const std::string name = header[k].rfind("train_", 0) == 0 ? header[k].substr(6) : header[k];
        r.train_terms.emplace_back(name, std::stod(fields[k]));
      }
      if (r.epoch <= completed) rows.push_back(r);
    } catch (const std::logic_error&) {
      // a malformed row: its epoch does not count as done
    }
  }
  return rows;
}

void RunFolder::write_summary(const std::vector<SummaryRow>& rows) const {
  std::string text = kSummaryColumns;
  if (!rows.empty()) {
    for (const auto& term : rows.front().train_terms) text += ",train_" + term.first;
  }
  text += "\n";
  for (const auto& r : rows) {
    text += fmt::format("{},{:.6f},{:.6f},{:.4f},{:.4f},{:.8g}", r.epoch, r.train_loss, r.eval_loss,
                        r.eval_top1, r.eval_top5, r.lr);
    for (const auto& term : r.train_terms) text += fmt::format(",{:.6f}", term.second);
    text += "\n";
  }
  write_text_file(path("summary.csv"), text);
}

}  // namespace ventral::training
