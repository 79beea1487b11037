#include "ablation/grid.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
// header-only, as apps/config_file.cpp compiles it (shortest round-trip floats)
#define TOML_HEADER_ONLY 1
#define TOML_FLOAT_CHARCONV 1
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"

namespace ventral::ablation {
namespace {

// Keys a grid may not set: the executor owns them.
const std::map<std::string, std::string> kReserved = {
    {"output", "each run's folder is OUT/<run id>"},
    {"resume", "a rerun resumes interrupted runs from their last.pt by itself"},
    {"config", "put the keys in [train] instead"},
    {"seed", "list the seeds in [grid] seeds = [...]"},
    {"threads", "ablate splits the cores between its --jobs"},
};

std::string text_of(const toml::node& node) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (const auto* array = node.as_array()) {
    std::vector<std::string> items;
    for (const auto& item : *array) items.push_back(text_of(item));
    return fmt::format("{}", fmt::join(items, ","));
  }
  std::ostringstream out;
  node.visit([&](const auto& value) { out << value; });
  return out.str();
}

class GridReader {
 public:
  GridReader(std::string path, const std::vector<std::string>& train_keys)
      : path_(std::move(path)), train_keys_(train_keys.begin(), train_keys.end()) {}

  Grid read() {
    try {
      doc_ = toml::parse_file(path_);
    } catch (const toml::parse_error& e) {
      fail("{}: {} (line {})", path_, e.description(), e.source().begin.line);
    }
    for (const auto& [key, value] : doc_) {
      static const std::set<std::string> sections = {"grid", "train",   "variant",
                                                     "axes", "exclude", "benchmark"};
      if (!sections.count(std::string(key.str())))
        fail(
            "{}: unknown section '{}'; a grid has [grid], [train], [[variant]], [axes], [[exclude]] and "
            "[[benchmark]]",
            path_, key.str());
    }
    Grid grid;
    read_header(grid);
    read_benchmarks(grid);
    expand(grid);
    return grid;
  }

 private:
  const toml::table* table_at(const char* key) {
    const auto* node = doc_.get(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) fail("{}: '{}' must be a table [{}]", path_, key, key);
    return node->as_table();
  }

  std::vector<const toml::table*> tables_at(const char* key) {
    std::vector<const toml::table*> tables;
    const auto* node = doc_.get(key);
    if (node == nullptr) return tables;
    const auto* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables())
      fail("{}: '{}' must be tables [[{}]]", path_, key, key);
    for (const auto& item : *array) tables.push_back(item.as_table());
    return tables;
  }

  void check_key(const std::string& key, const std::string& where) const {
    if (auto it = kReserved.find(key); it != kReserved.end())
      fail("{}: {} sets '{}', which a grid may not set: {}", path_, where, key, it->second);
    if (!train_keys_.count(key)) {
      std::vector<std::string> valid;
      for (const auto& k : train_keys_)
        if (!kReserved.count(k)) valid.push_back(k);
      fail("{}: {}: unknown option '{}'; the options of `ventral train` are: {}", path_, where, key,
           fmt::join(valid, ", "));
    }
  }

  void read_header(Grid& grid) {
    grid.name = std::filesystem::path(path_).stem().string();
    grid.seeds = {1};
    if (const auto* header = table_at("grid")) {
      for (const auto& [key, value] : *header) {
        const std::string k(key.str());
        if (k == "name") {
          auto name = value.value_exact<std::string>();
          if (!name || name->empty()) fail("{}: [grid] name must be a non-empty string", path_);
          grid.name = *name;
        } else if (k == "checkpoint") {
          auto which = value.value_exact<std::string>();
          if (!which || (*which != "last" && *which != "best"))
            fail("{}: [grid] checkpoint must be \"last\" or \"best\"", path_);
          grid.checkpoint = *which;
        } else if (k == "seeds") {
          const auto* array = value.as_array();
          grid.seeds.clear();
          if (array != nullptr) {
            for (const auto& item : *array) {
              auto seed = item.value_exact<int64_t>();
              if (!seed || *seed < 0) fail("{}: [grid] seeds must be non-negative integers", path_);
              grid.seeds.push_back(*seed);
            }
          }
          if (grid.seeds.empty())
            fail("{}: [grid] seeds must list at least one seed, e.g. seeds = [1, 2]", path_);
          std::set<int64_t> unique(grid.seeds.begin(), grid.seeds.end());
          if (unique.size() != grid.seeds.size()) fail("{}: [grid] seeds lists a seed twice", path_);
        } else {
          fail("{}: [grid]: unknown key '{}'; [grid] takes name, seeds and checkpoint", path_, k);
        }
      }
    }
    if (const auto* base = table_at("train")) {
      for (const auto& [key, value] : *base) check_key(std::string(key.str()), "[train]");
      base_ = *base;
    }
  }

  void read_benchmarks(Grid& grid) {
    toml::array list;
    std::set<std::string> labels;
    const auto tables = tables_at("benchmark");
    if (tables.empty())
      fail("{}: no [[benchmark]] tables; each run is scored on them (e.g. name = \"imagenet-top1\")",
           path_);
    for (std::size_t k = 0; k < tables.size(); ++k) {
      const std::string where = fmt::format("{}: benchmark {}", path_, k + 1);
      const auto& table = *tables[k];
      auto name = table["name"].value_exact<std::string>();
      if (!name) fail("{}: no name = \"...\"", where);
      GridBenchmark b;
      b.label = table["label"].value_exact<std::string>().value_or(*name);
      if (b.label.empty() || b.label.find_first_of(" ,\"") != std::string::npos)
        fail("{}: label '{}' must be non-empty without spaces, commas or quotes", where, b.label);
      if (!labels.insert(b.label).second)
        fail("{}: two benchmarks are labelled '{}'; give each its own label = \"...\"", where, b.label);
      toml::table for_score;
      std::string args;
      for (const auto& [key, value] : table) {
        if (key.str() == "label") continue;
        for_score.insert(key, value);
        if (key.str() == "name") continue;
        const auto text = text_of(value);
        if (text.find(',') != std::string::npos)
          fail("{} {}: a value may not hold ','", where, key.str());
        args += fmt::format("{}{}={}", args.empty() ? "" : ",", key.str(), text);
      }
      b.spec = args.empty() ? *name : *name + ":" + args;
      grid.benchmarks.push_back(b);
      list.push_back(std::move(for_score));
    }
    std::ostringstream out;
    out << toml::table{{"benchmark", std::move(list)}};
    grid.benchmarks_toml = out.str() + "\n";
  }

  // A variant before seeds: its name, label and merged configuration.
  struct Combination {
    std::string variant, label;
    toml::table config;
    std::map<std::string, std::string> values;  ///< every key set by the variant or an axis
  };

  void expand(Grid& grid) {
    std::vector<std::pair<std::string, toml::table>> variants;
    std::set<std::string> names;
    std::vector<std::string> columns;
    auto add_column = [&](const std::string& key) {
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
    };
    const auto variant_tables = tables_at("variant");
    for (std::size_t k = 0; k < variant_tables.size(); ++k) {
      const auto& table = *variant_tables[k];
      const std::string where = fmt::format("variant {}", k + 1);
      auto name = table["name"].value_exact<std::string>();
      if (!name || name->empty() || name->find_first_of(" /\\\"'") != std::string::npos)
        fail("{}: {}: name = \"...\" required, without spaces, slashes or quotes", path_, where);
      if (!names.insert(*name).second) fail("{}: two variants are named '{}'", path_, *name);
      toml::table options;
      for (const auto& [key, value] : table) {
        if (key.str() == "name") continue;
        check_key(std::string(key.str()), fmt::format("variant '{}'", *name));
        options.insert(key, value);
        add_column(std::string(key.str()));
      }
      variants.emplace_back(*name, std::move(options));
    }
    std::vector<std::pair<std::string, std::vector<const toml::node*>>> axes;
    if (const auto* table = table_at("axes")) {
      for (const auto& [key, value] : *table) {
        const std::string k(key.str());
        check_key(k, "[axes]");
        const auto* array = value.as_array();
        if (array == nullptr || array->empty())
          fail("{}: [axes] {} must be a non-empty list of values, e.g. {} = [0, 1]", path_, k, k);
        std::vector<const toml::node*> values;
        for (const auto& item : *array) values.push_back(&item);
        axes.emplace_back(k, std::move(values));
        add_column(k);
        grid.axis_keys.push_back(k);
      }
    }
    if (variants.empty() && axes.empty())
      fail("{}: no [[variant]] tables and no [axes]: nothing to compare", path_);
    if (variants.empty()) variants.emplace_back("base", toml::table{});

    const auto excludes = tables_at("exclude");
    std::vector<bool> exclude_used(excludes.size(), false);
    for (std::size_t e = 0; e < excludes.size(); ++e) {
      for (const auto& [key, value] : *excludes[e]) {
        const std::string k(key.str());
        if (k != "variant" && std::find(columns.begin(), columns.end(), k) == columns.end())
          fail("{}: exclude {}: '{}' is neither 'variant' nor a key that a variant or axis sets ({})",
               path_, e + 1, k, fmt::join(columns, ", "));
      }
    }

    std::vector<Combination> combinations;
    for (const auto& [name, options] : variants) {
      std::size_t total = 1;
      for (const auto& axis : axes) total *= axis.second.size();
      for (std::size_t flat = 0; flat < total; ++flat) {
        Combination c;
        c.variant = name;
        c.label = name;
        c.config = base_;
        for (const auto& [key, value] : options) {
          c.config.insert_or_assign(key, value);
          c.values[std::string(key.str())] = text_of(value);
        }
        std::size_t rest = flat;
        std::vector<std::size_t> picks(axes.size());
        for (std::size_t a = axes.size(); a-- > 0;) {
          picks[a] = rest % axes[a].second.size();
          rest /= axes[a].second.size();
        }
        for (std::size_t a = 0; a < axes.size(); ++a) {
          const auto& node = *axes[a].second[picks[a]];
          c.config.insert_or_assign(axes[a].first, node);
          c.values[axes[a].first] = text_of(node);
          c.label += fmt::format(" {}={}", axes[a].first, text_of(node));
        }
        bool excluded = false;
        for (std::size_t e = 0; e < excludes.size() && !excluded; ++e) {
          bool all = true;
          for (const auto& [key, value] : *excludes[e]) {
            const std::string k(key.str());
            const std::string have = k == "variant" ? c.variant
                                                    : (c.values.count(k) ? c.values.at(k) : "");
            all = all && have == text_of(value);
          }
          if (all) excluded = exclude_used[e] = true;
        }
        if (!excluded) combinations.push_back(std::move(c));
      }
    }
    for (std::size_t e = 0; e < excludes.size(); ++e) {
      if (!exclude_used[e])
        fail("{}: exclude {} matches no combination; check its values", path_, e + 1);
    }
    if (combinations.empty()) fail("{}: every combination is excluded", path_);

    std::map<std::string, std::string> seen;  // rendered configuration -> label
    for (const auto& c : combinations) {
      std::ostringstream out;
      out << c.config;
      auto [it, fresh] = seen.emplace(out.str(), c.label);
      if (!fresh)
        fail("{}: variants '{}' and '{}' would train identically; make them differ or drop one", path_,
             it->second, c.label);
    }

    grid.option_columns = columns;
    std::set<std::string> ids;
    for (const auto& c : combinations) {
      for (const auto seed : grid.seeds) {
        GridRun run;
        run.index = static_cast<int>(grid.runs.size());
        run.variant = c.variant;
        run.label = c.label;
        run.seed = seed;
        std::string id = c.label;
        for (auto& ch : id) {
          if (ch == ' ') ch = '_';
          if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.' ||
                ch == '=' || ch == '+'))
            ch = '-';
        }
        run.id = fmt::format("{}_s{}", id, seed);
        if (!ids.insert(run.id).second)
          fail("{}: two runs would share the folder '{}'; give the axis values distinct names", path_,
               run.id);
        for (const auto& key : columns) {
          auto it = c.values.find(key);
          std::string value = it != c.values.end()  ? it->second
                              : base_.contains(key) ? text_of(*base_.get(key))
                                                    : std::string();
          run.options.emplace_back(key, value);
        }
        if (const auto* device = c.config.get("device")) run.device = text_of(*device);
        toml::table config = c.config;
        config.insert_or_assign("seed", seed);
        std::ostringstream out;
        out << "# " << run.label << ", seed " << seed << ": written by `ventral ablate`\n"
            << config << "\n";
        run.train_toml = out.str();
        grid.runs.push_back(std::move(run));
      }
    }
  }

  std::string path_;
  std::set<std::string> train_keys_;
  toml::table doc_;
  toml::table base_;
};

}  // namespace

Grid read_grid(const std::string& path, const std::vector<std::string>& train_keys) {
  return GridReader(path, train_keys).read();
}

const GridRun& find_run(const Grid& grid, const std::string& selector) {
  for (const auto& run : grid.runs) {
    if (run.id == selector) return run;
  }
  char* end = nullptr;
  const long index = std::strtol(selector.c_str(), &end, 10);
  if (!selector.empty() && *end == '\0' && index >= 0 && index < static_cast<long>(grid.runs.size()))
    return grid.runs[static_cast<std::size_t>(index)];
  fail("--only {}: expected a run index 0..{} or a run id ({}, ...)", selector, grid.runs.size() - 1,
       grid.runs.front().id);
}

}  // namespace ventral::ablation
