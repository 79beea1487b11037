// The alignment score of a trained model on a ClickMe file (docs/reference/scoring.md
// sec. 1.1-1.3): each photograph -> bilinear (half-pixel, no antialias) to the model's input
// size (224 for the reference models), PIL luma first for a gray model -> the checkpoint's
// normalisation (x / 255 - mean) / std -> saliency (saliency.h) -> bilinear to 224 when the
// model's size differs -> rho, Dice and IoU against the human map.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "alignment/alignment_score.h"
#include "training/trained_model.h"

namespace ventral::alignment {

struct ModelAlignmentOptions {
  int batch_size = 16;    ///< images per forward + backward pass
  int threads = 1;        ///< for the per-image scoring after the gradients
  std::string save_maps;  ///< also write the saliency maps here (HDF5 maps + stimulus_id)
  Protocol protocol = Protocol::release;
};

/// The saliency maps of records `indices` (each 224 x 224, as ranked: made at the model's
/// input size, resized bilinearly), float32 on the CPU, N x 224 x 224.
torch::Tensor model_saliency(const training::TrainedModel& trained, const ClickMeSource& clickme,
                             const std::vector<std::size_t>& indices,
                             Protocol protocol = Protocol::release);

/// Scores `trained` on every record of `clickme` (which must hold `images`), with
/// progress lines. Error naming the file for labels outside the model's classes.
AlignmentSummary score_model(const training::TrainedModel& trained, const ClickMeSource& clickme,
                             const ModelAlignmentOptions& options);

}  // namespace ventral::alignment
