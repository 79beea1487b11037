#include "hmax/real_fft_fftw.h"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <utility>

namespace ventral::hmax::fftw {
namespace {

struct Plans {
  fftw_plan forward;
  fftw_plan inverse;
};

}  // namespace

const void* plans(int64_t rows, int64_t cols) {
  // FFTW's planner is not thread-safe; executing a finished plan on new arrays is.
  static std::mutex mutex;
  static std::map<std::pair<int64_t, int64_t>, Plans> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find({rows, cols});
  if (it == cache.end()) {
    const std::size_t reals = static_cast<std::size_t>(rows * cols);
    const std::size_t bins = static_cast<std::size_t>(rows * (cols / 2 + 1));
    double* real = fftw_alloc_real(reals);
    fftw_complex* spectrum = fftw_alloc_complex(bins);
    // ESTIMATE, not MEASURE: MEASURE picks algorithms by timing, so the round-off (and so
    // the output bits) could change from run to run. ESTIMATE is deterministic and plans
    // in microseconds. Callers pass aligned arrays, like these.
    Plans made;
    made.forward = fftw_plan_dft_r2c_2d(static_cast<int>(rows), static_cast<int>(cols), real, spectrum,
                                        FFTW_ESTIMATE | FFTW_PRESERVE_INPUT);
    made.inverse = fftw_plan_dft_c2r_2d(static_cast<int>(rows), static_cast<int>(cols), spectrum, real,
                                        FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
    fftw_free(spectrum);
    fftw_free(real);
    it = cache.emplace(std::make_pair(rows, cols), made).first;
  }
  return &it->second;
}

void forward(const void* plans, const double* real, std::complex<double>* spectrum) {
  fftw_execute_dft_r2c(static_cast<const Plans*>(plans)->forward, const_cast<double*>(real),
                       reinterpret_cast<fftw_complex*>(spectrum));
}

void inverse(const void* plans, std::complex<double>* spectrum, double* real) {
  fftw_execute_dft_c2r(static_cast<const Plans*>(plans)->inverse,
                       reinterpret_cast<fftw_complex*>(spectrum), real);
}

}  // namespace ventral::hmax::fftw
