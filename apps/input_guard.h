// Outputs never replace inputs, for every command at once: the files a command's options
// name (a checkpoint, features, a dataset spec's file or folder, image files, ...) are
// compared by identity (same inode, links resolved) with --out before the command runs.
#pragma once

#include <string>
#include <vector>

#include "apps/options.h"

namespace ventral::cli {

/// Every existing file named by an input option of `params`: plain paths, the path of a
/// `KIND:PATH` dataset spec, and the files directly inside a folder so named.
std::vector<std::string> input_files(const Params& params);

/// Error when --out is a device/FIFO/socket or one of input_files(params).
void refuse_output_over_inputs(const Params& params);

}  // namespace ventral::cli
