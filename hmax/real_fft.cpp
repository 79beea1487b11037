#include "hmax/real_fft.h"

#include <map>
#include <new>
#include <mutex>
#include <utility>
#include <vector>

#ifdef VENTRAL_HAVE_FFTW
#include <fftw3.h>
#else
#include <torch/torch.h>
#endif

namespace ventral::hmax {

#ifdef VENTRAL_HAVE_FFTW

template <typename T>
void FftBuffer<T>::resize(std::size_t size) {
  if (size <= size_) return;
  release();
  data_ = static_cast<T*>(fftw_malloc(size * sizeof(T)));
  if (!data_) throw std::bad_alloc();
  size_ = size;
}

template <typename T>
void FftBuffer<T>::release() {
  if (data_) fftw_free(data_);
  data_ = nullptr;
  size_ = 0;
}

struct RealFft2::Plans {
  fftw_plan forward;
  fftw_plan inverse;
};

RealFft2::RealFft2(int64_t rows, int64_t cols) : rows_(rows), cols_(cols) {
  // FFTW's planner is not thread-safe; executing a finished plan on new arrays is.
  static std::mutex mutex;
  static std::map<std::pair<int64_t, int64_t>, Plans> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find({rows, cols});
  if (it == cache.end()) {
    FftBuffer<std::complex<double>> spectrum(static_cast<std::size_t>(bins()));
    FftBuffer<double> real(static_cast<std::size_t>(rows * cols));
    auto* bins_ptr = reinterpret_cast<fftw_complex*>(spectrum.data());
    // ESTIMATE, not MEASURE: MEASURE picks algorithms by timing, so the round-off (and so
    // the output bits) could change from run to run. ESTIMATE is deterministic and plans
    // in microseconds. Callers pass FftBuffer arrays, aligned like these.
    const unsigned flags = FFTW_ESTIMATE;
    Plans plans;
    plans.forward = fftw_plan_dft_r2c_2d(static_cast<int>(rows), static_cast<int>(cols), real.data(),
                                          bins_ptr, flags | FFTW_PRESERVE_INPUT);
    plans.inverse = fftw_plan_dft_c2r_2d(static_cast<int>(rows), static_cast<int>(cols), bins_ptr,
                                          real.data(), flags | FFTW_DESTROY_INPUT);
    it = cache.emplace(std::make_pair(rows, cols), plans).first;
  }
  plans_ = &it->second;
}

void RealFft2::forward(const double* real, std::complex<double>* spectrum) const {
  fftw_execute_dft_r2c(plans_->forward, const_cast<double*>(real),
                        reinterpret_cast<fftw_complex*>(spectrum));
}

void RealFft2::inverse(std::complex<double>* spectrum, double* real) const {
  fftw_execute_dft_c2r(plans_->inverse, reinterpret_cast<fftw_complex*>(spectrum), real);
}

const char* RealFft2::backend() { return "fftw"; }

#else

template <typename T>
void FftBuffer<T>::resize(std::size_t size) {
  if (size <= size_) return;
  release();
  data_ = new T[size];
  size_ = size;
}

template <typename T>
void FftBuffer<T>::release() {
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
}

struct RealFft2::Plans {};

RealFft2::RealFft2(int64_t rows, int64_t cols) : rows_(rows), cols_(cols), plans_(nullptr) {}

void RealFft2::forward(const double* real, std::complex<double>* spectrum) const {
  auto in = torch::from_blob(const_cast<double*>(real), {rows_, cols_}, torch::kFloat64);
  auto out = torch::fft::rfft2(in, c10::nullopt, c10::IntArrayRef({0, 1}), "backward");
  torch::from_blob(spectrum, {rows_, cols_ / 2 + 1}, torch::kComplexDouble).copy_(out);
}

void RealFft2::inverse(std::complex<double>* spectrum, double* real) const {
  auto in = torch::from_blob(spectrum, {rows_, cols_ / 2 + 1}, torch::kComplexDouble);
  auto out = torch::fft::irfft2(in, c10::IntArrayRef({rows_, cols_}), c10::IntArrayRef({0, 1}), "forward");
  torch::from_blob(real, {rows_, cols_}, torch::kFloat64).copy_(out);
}

const char* RealFft2::backend() { return "libtorch"; }

#endif

template class FftBuffer<double>;
template class FftBuffer<std::complex<double>>;

}  // namespace ventral::hmax
