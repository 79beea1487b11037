// Training checkpoints in the format of Python's torch.save (a zip archive holding a
// pickled dict), so `torch.load("last.pt")` opens them without ventral:
//   state_dict     {name: tensor}        model parameters and buffers
//   arch           str                   registry name ("hmax-wide")
//   model_options  {key: str}            every model option in effect
//   epoch          int                   epochs completed
//   args           {flag: str}           the run's resolved command-line options
//   data_config    {key: str}            eval preprocessing (timm's data_config): img_size,
//                                        crop_pct, mean, std, channels
//   classes        [str]                 class names in label order
//   optimizer      PyTorch Optimizer.state_dict() layout
//   rng_state      uint8 tensor          LibTorch's default CPU generator (dropout, init)
//   best_top1, best_epoch, updates
// Files are written to a temporary name and renamed, so a failed write (a full disk)
// leaves the previous checkpoint intact.
#pragma once

#include <torch/nn/module.h>

#include <map>
#include <string>
#include <vector>

namespace ventral::training {

struct Checkpoint {
  std::string arch;
  std::map<std::string, std::string> model_options;
  std::map<std::string, std::string> args;
  std::map<std::string, std::string> data_config;
  std::vector<std::string> classes;
  std::map<std::string, torch::Tensor> state_dict;
  c10::IValue optimizer;  ///< None when absent
  torch::Tensor rng_state;
  int64_t epoch = 0;
  int64_t updates = 0;
  double best_top1 = -1.0;
  int64_t best_epoch = -1;
};

/// The module's parameters and buffers by dotted name, detached, on the CPU.
std::map<std::string, torch::Tensor> module_state_dict(const torch::nn::Module& model);

/// Copies `state` into the module. Throws Error naming the first missing, unexpected or
/// mis-shaped entry (and `source`, the checkpoint path).
void load_module_state_dict(torch::nn::Module& model, const std::map<std::string, torch::Tensor>& state,
                            const std::string& source);

/// Writes atomically (temporary file + rename). Throws Error naming the path on failure.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);

/// Reads a checkpoint written by save_checkpoint (or torch.save of the same dict).
/// Throws Error naming the path when it is missing, not a checkpoint, or lacks a key.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace ventral::training
