// BrainIO NetCDF-4 assemblies read through HDF5 (docs/reference/scoring.md sec. 5):
// the data variable `data` or `__xarray_dataarray_variable__` (or the only variable with
// a `coordinates` attribute), its axes named through DIMENSION_LIST, coordinates found
// as the 1-D variables whose DIMENSION_LIST points at an axis' dimension scale (former
// MultiIndex levels) or as the scale itself when it carries values. Strings are vlen
// UTF-8; compressed (deflate/shuffle) and contiguous storage read alike.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/neural_assembly.h"

namespace ventral::neural_fit {

/// What to take from an assembly.
struct AssemblySelection {
  std::string region;    ///< neuroid coordinate `region` must equal this (empty: all)
  std::string time_bin;  ///< "70,170": time_bin_start,time_bin_end (empty: the only bin)
};

/// True when the file is HDF5 with a netCDF data variable at the root.
bool is_brainio_netcdf(const std::string& path);

/// Reads a presentation x neuroid [x time_bin] assembly (any axis order).
/// `stimulus_id` falls back to the legacy `image_id`. Throws ventral::Error naming the
/// file and what is missing.
NeuralAssembly read_brainio_netcdf(const std::string& path, const AssemblySelection& selection);

}  // namespace ventral::neural_fit
