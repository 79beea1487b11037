#include "hmax/real_fft.h"

#include <torch/fft.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

#ifdef VENTRAL_HAVE_FFTW
#include "hmax/real_fft_fftw.h"
#endif

namespace ventral::hmax {
namespace {

#ifdef VENTRAL_HAVE_FFTW
std::atomic<RealFftBackend> selected{RealFftBackend::fftw};
#else
std::atomic<RealFftBackend> selected{RealFftBackend::pocketfft};
#endif

bool has_only_factors(int64_t n, std::initializer_list<int64_t> factors) {
  for (int64_t f : factors) {
    while (n % f == 0) n /= f;
  }
  return n == 1;
}

}  // namespace

std::vector<RealFftBackend> real_fft_backends() {
#ifdef VENTRAL_HAVE_FFTW
  return {RealFftBackend::pocketfft, RealFftBackend::fftw};
#else
  return {RealFftBackend::pocketfft};
#endif
}

RealFftBackend real_fft_backend() { return selected.load(); }

void set_real_fft_backend(RealFftBackend backend) {
#ifndef VENTRAL_HAVE_FFTW
  if (backend == RealFftBackend::fftw) {
    throw std::invalid_argument(
        "FFT backend 'fftw' is not built; configure with -DVENTRAL_WITH_FFTW=ON");
  }
#endif
  selected.store(backend);
}

const char* real_fft_backend_name(RealFftBackend backend) {
  return backend == RealFftBackend::fftw ? "fftw" : "pocketfft";
}

template <typename T>
void FftBuffer<T>::resize(std::size_t size) {
  if (size <= size_) return;
  release();
  // 64 bytes: a cache line, and more than any SIMD load FFTW or pocketfft issues needs.
  data_ = static_cast<T*>(std::aligned_alloc(64, (size * sizeof(T) + 63) / 64 * 64));
  if (!data_) throw std::bad_alloc();
  size_ = size;
}

template <typename T>
void FftBuffer<T>::release() {
  std::free(data_);
  data_ = nullptr;
  size_ = 0;
}

template class FftBuffer<double>;
template class FftBuffer<std::complex<double>>;

RealFft2::RealFft2(int64_t rows, int64_t cols, RealFftBackend backend)
    : rows_(rows), cols_(cols), backend_(backend) {
#ifdef VENTRAL_HAVE_FFTW
  if (backend == RealFftBackend::fftw) fftw_plans_ = fftw::plans(rows, cols);
#else
  if (backend == RealFftBackend::fftw) set_real_fft_backend(backend);  // throws
#endif
}

int64_t RealFft2::fast_size(int64_t n, RealFftBackend backend) {
  for (int64_t candidate = std::max<int64_t>(n, 1);; ++candidate) {
    if (backend == RealFftBackend::fftw ? has_only_factors(candidate, {2, 3, 5, 7})
                                        : has_only_factors(candidate, {2, 3, 5})) {
      return candidate;
    }
  }
}

void RealFft2::forward(const double* real, Complex* spectrum, int64_t count) const {
#ifdef VENTRAL_HAVE_FFTW
  if (backend_ == RealFftBackend::fftw) {
    for (int64_t i = 0; i < count; ++i)
      fftw::forward(fftw_plans_, real + i * rows_ * cols_, spectrum + i * bins());
    return;
  }
#endif
  auto in = torch::from_blob(const_cast<double*>(real), {count, rows_, cols_}, torch::kFloat64);
  auto out = torch::fft::rfft2(in, c10::nullopt, c10::IntArrayRef({1, 2}), "backward");
  torch::from_blob(spectrum, {count, rows_, cols_ / 2 + 1}, torch::kComplexDouble).copy_(out);
}

RealRows RealFft2::inverse(Complex* spectrum, int64_t count, int64_t first_row, int64_t end_row,
                           double* scratch) const {
#ifdef VENTRAL_HAVE_FFTW
  if (backend_ == RealFftBackend::fftw) {
    for (int64_t i = 0; i < count; ++i)
      fftw::inverse(fftw_plans_, spectrum + i * bins(), scratch + i * rows_ * cols_);
    return {scratch + first_row * cols_, first_row, rows_ * cols_, torch::Tensor()};
  }
#endif
  // The 2-D inverse is a complex pass down the columns, which needs every row, then a
  // real pass along the rows, which runs only on the rows the caller reads.
  auto in = torch::from_blob(spectrum, {count, rows_, cols_ / 2 + 1}, torch::kComplexDouble);
  auto columns = torch::fft::ifft(in, c10::nullopt, 1, "forward");
  auto out = torch::fft::irfft(columns.narrow(1, first_row, end_row - first_row), cols_, 2, "forward");
  return {out.data_ptr<double>(), first_row, (end_row - first_row) * cols_, out};
}

}  // namespace ventral::hmax
