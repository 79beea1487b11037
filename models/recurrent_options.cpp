#include "models/recurrent_options.h"

namespace ventral::models {

recurrent::CrbpOptions read_crbp_options(ModelOptionReader& read) {
  const recurrent::CrbpOptions defaults;
  recurrent::CrbpOptions o;
  o.lipschitz_lambda(read.get_double("lipschitz_lambda", defaults.lipschitz_lambda(), 1e-6, 1.0));
  o.lipschitz_weight(read.get_double("lipschitz_weight", defaults.lipschitz_weight(), 0.0, 1e6));
  return o;
}

}  // namespace ventral::models
