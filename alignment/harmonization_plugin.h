// The neural harmonizer as a training plug-in (`ventral train --harmonize clickme:PATH`):
// marks each batch's images as requiring grad and adds lambda_h * L_harm
// (harmonization_loss.h) for the rows that carry a ClickMe map (Batch::tokens, from
// data::MixedLoader). The term is named "harm" (summary.csv column train_harm). With a weight
// of 0 it adds nothing: the control run on the same mixed batches.
#pragma once

#include <string>

#include "training/trainer_plugin.h"

namespace ventral::alignment {

struct HarmonizationPluginOptions {
  double weight = 1.0;  ///< lambda_h
  int levels = 5;       ///< pyramid levels averaged
};

class HarmonizationPlugin : public training::TrainerPlugin {
 public:
  explicit HarmonizationPlugin(HarmonizationPluginOptions options = {}) : options_(options) {}

  std::string name() const override { return "harmonization"; }
  /// Error for a model trained with C-RBP: its gradient is implicit (a Neumann series at
  /// the fixed point) and has no double backward.
  void check_model(const models::VisionModelImpl& model) override;
  void prepare(data::Batch& batch) override;
  void add_loss_terms(const data::Batch& batch, const models::TrainOutput& output,
                      models::NamedTensors& terms) override;

 private:
  HarmonizationPluginOptions options_;
};

}  // namespace ventral::alignment
