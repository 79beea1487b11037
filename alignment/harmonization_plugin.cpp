#include "alignment/harmonization_plugin.h"

#include "alignment/harmonization_loss.h"
#include "common/error.h"

namespace ventral::alignment {

void HarmonizationPlugin::check_model(const models::VisionModelImpl& model) {
  const auto resolved = model.resolved_options();
  const auto grad = resolved.find("recurrent_grad");
  if (grad != resolved.end() && grad->second == "crbp") {
    fail(
        "--harmonize: recurrent_grad=crbp cannot be harmonized: C-RBP's implicit gradient has no "
        "double backward; train with recurrent_grad=bptt");
  }
}

// lambda_h = 0 is the control run: the same mixed batches, no alignment term and none of
// its cost (no double backward).
void HarmonizationPlugin::prepare(data::Batch& batch) {
  if (batch.tokens.defined() && options_.weight > 0) batch.images.requires_grad_(true);
}

void HarmonizationPlugin::add_loss_terms(const data::Batch& batch, const models::TrainOutput& output,
                                         models::NamedTensors& terms) {
  if (!batch.tokens.defined() || options_.weight <= 0) return;
  HarmonizationLossOptions loss_options;
  loss_options.levels = options_.levels;
  const auto loss = harmonization_loss(output.logits, batch.images, batch.labels, batch.human_maps,
                                       batch.tokens, loss_options);
  terms.emplace_back("harm", loss * options_.weight);
}

}  // namespace ventral::alignment
