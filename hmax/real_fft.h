// Real 2-D FFTs of one size in float64, executed many times from any thread: the inner
// loop of hmax-classic's S1. float64 because S1 divides by the local norm: in a dark
// region of a high-contrast image a float32 FFT's error, which scales with the whole
// image, becomes a 2e-4 relative error of S1 (measured on astronaut_256.png). With FFTW
// (when built with it) these run several times faster than LibTorch's pocketfft on the
// 2-core machines ventral targets; without FFTW the same interface runs on LibTorch.
// Both directions are unnormalised.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>

namespace ventral::hmax {

/// A SIMD-aligned array for RealFft2 (FFTW's allocator when built with FFTW).
template <typename T>
class FftBuffer {
 public:
  FftBuffer() = default;
  explicit FftBuffer(std::size_t size) { resize(size); }
  FftBuffer(const FftBuffer&) = delete;
  FftBuffer& operator=(const FftBuffer&) = delete;
  ~FftBuffer() { release(); }

  /// Grows to at least `size` elements (contents are not kept).
  void resize(std::size_t size);
  T* data() { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  std::size_t size() const { return size_; }

 private:
  void release();
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

class RealFft2 {
 public:
  /// Plans (or reuses the process-wide plans for) rows x cols real arrays.
  RealFft2(int64_t rows, int64_t cols);

  /// Bins of the half spectrum: rows * (cols / 2 + 1).
  int64_t bins() const { return rows_ * (cols_ / 2 + 1); }

  /// real: rows x cols (left intact) -> spectrum: rows x (cols/2 + 1). Both arrays must
  /// come from FftBuffer: FFTW's SIMD code paths need its alignment (2x faster).
  void forward(const double* real, std::complex<double>* spectrum) const;

  /// spectrum (overwritten) -> real: rows * cols times the inverse DFT. Arrays as above.
  void inverse(std::complex<double>* spectrum, double* real) const;

  /// "fftw" or "libtorch".
  static const char* backend();

 private:
  struct Plans;
  int64_t rows_, cols_;
  const Plans* plans_;  // owned by a process-wide cache
};

}  // namespace ventral::hmax
