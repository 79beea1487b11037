// `ventral show`: one layer of a model for one image as a PNG montage. Rows are
// channels (orientations for HMAX), columns the members of a layer group (bands, scales).
// With --saliency: a trained model's saliency against ClickMe human maps (cmd_show_saliency).
#include <fmt/core.h>
#include <torch/torch.h>

#include "apps/commands.h"
#include "apps/model_setup.h"
#include "common/colormap.h"
#include "common/error.h"
#include "models/layer_names.h"
#include "training/image_files.h"

namespace ventral::cli {

int run_show_saliency(const Params& params);  // cmd_show_saliency.cpp

int run_show(const Params& params) {
  if (params.saliency) return run_show_saliency(params);
  if (!params.checkpoint.empty() || !params.clickme.empty())
    fail("show: --checkpoint and --clickme go with --saliency (a layer is drawn from --model)");
  if (params.out.empty()) fail("--out: required, expected the output .png path");
  if (params.layer.empty()) fail("--layer: required, e.g. --layer c1");
  if (params.inputs.size() != 1) fail("show: expected exactly one IMAGE, got {}", params.inputs.size());
  auto model = build_model(params);
  auto members = model->resolve_layers({params.layer});
  auto image = training::load_image_tensor(params.inputs[0], model->input_channels(), params.size);
  auto outputs = model->features(image.unsqueeze(0), members);
  constexpr int64_t kMaxRows = 16;  // beyond this a montage is unreadable
  std::vector<std::vector<MapTile>> grid;
  for (std::size_t col = 0; col < outputs.size(); ++col) {
    auto map = outputs[col].second.squeeze(0).to(torch::kFloat32).contiguous();
    if (map.dim() != 3)
      fail("show: layer '{}' is not a spatial map (shape {})", outputs[col].first,
           c10::str(outputs[col].second.sizes()));
    for (int64_t c = 0; c < std::min(map.size(0), kMaxRows); ++c) {
      if (grid.size() <= static_cast<std::size_t>(c))
        grid.resize(c + 1, std::vector<MapTile>(outputs.size()));
      auto channel = map[c].contiguous();
      MapTile tile;
      tile.height = static_cast<int>(channel.size(0));
      tile.width = static_cast<int>(channel.size(1));
      tile.values.assign(channel.data_ptr<float>(), channel.data_ptr<float>() + channel.numel());
      grid[c][col] = std::move(tile);
    }
  }
  write_png(params.out, render_montage(grid));
  fmt::print("wrote {} ({} rows x {} columns: channels x {} members)\n", params.out, grid.size(),
             outputs.size(), params.layer);
  return 0;
}

}  // namespace ventral::cli
