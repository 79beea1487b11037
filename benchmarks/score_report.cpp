#include "benchmarks/score_report.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "common/json_number.h"
#include "models/flop_count.h"

namespace ventral::benchmarks {

ModelCost model_cost(const training::TrainedModel& trained) {
  ModelCost cost;
  for (const auto& parameter : trained.model->parameters()) cost.parameters += parameter.numel();
  const auto& t = trained.eval_transform;
  cost.input = {t.channels, t.img_size, t.img_size};
  if (t.img_size > 0) {
    torch::NoGradGuard no_grad;
    auto image = torch::zeros({1, t.channels, t.img_size, t.img_size},
                              torch::TensorOptions().device(
                                  trained.model->parameters().empty()
                                      ? torch::kCPU
                                      : trained.model->parameters()[0].device()));
    cost.forward_flops = models::count_flops([&] { trained.model->forward(image); });
  }
  const auto& args = trained.checkpoint.args;
  int64_t batch = 0;
  if (auto it = args.find("batch-size"); it != args.end()) batch = std::atoll(it->second.c_str());
  cost.images_trained = trained.checkpoint.updates * batch;
  cost.training_flops = 3.0 * static_cast<double>(cost.forward_flops) *
                        static_cast<double>(cost.images_trained);
  return cost;
}

std::string score_json(const std::string& checkpoint, const std::string& arch, const ModelCost& cost,
                       const std::vector<BenchmarkResult>& results) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : results) {
    if (!r.error.empty()) {
      list.push_back(
          {{"name", r.name}, {"version", r.version}, {"settings", r.settings}, {"error", r.error}});
      continue;
    }
    nlohmann::json ceiled = nlohmann::json::object(), extra = nlohmann::json::object();
    for (const auto& [k, v] : r.ceiled) ceiled[k] = json_number(v);
    for (const auto& [k, v] : r.extra) extra[k] = json_number(v);
    list.push_back({{"name", r.name},
                    {"version", r.version},
                    {"citation", r.citation},
                    {"settings", r.settings},
                    {"raw", json_number(r.raw)},
                    {"ceiling", json_number(r.ceiling)},
                    {"ceiled", ceiled},
                    {"extra", extra},
                    {"seconds", r.seconds}});
  }
  const nlohmann::json model = {{"parameters", cost.parameters},
                                {"input", cost.input},
                                {"forward_flops", cost.forward_flops},
                                {"images_trained", cost.images_trained},
                                {"training_flops", cost.training_flops}};
  nlohmann::json out = {{"checkpoint", checkpoint},
                        {"arch", arch},
                        {"model", model},
                        {"benchmarks", list}};
  return out.dump(1) + "\n";
}

}  // namespace ventral::benchmarks
