// Batches of real 2-D FFTs of one size in float64, executed many times from any thread:
// the inner loop of hmax-classic's S1. float64 because S1 divides by the local norm: in a
// dark region of a high-contrast image a float32 FFT's error, which scales with the whole
// image, becomes a 2e-4 relative error of S1 (measured on astronaut_256.png).
//
// Two backends with one interface. pocketfft (LibTorch's FFT, BSD) is always built and is
// the default: ventral is Apache-2.0 and its default build links no GPL code. FFTW
// (GPL-2+) exists only with -DVENTRAL_WITH_FFTW=ON, where it is the default and pocketfft
// stays selectable, so that one benchmark process can time both. Both give the same
// transforms up to float64 round-off. Both directions are unnormalised.
#pragma once

#include <torch/types.h>

#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ventral::hmax {

enum class RealFftBackend { pocketfft, fftw };

/// The backends in this build: pocketfft always, fftw with -DVENTRAL_WITH_FFTW=ON.
std::vector<RealFftBackend> real_fft_backends();

/// The backend that RealFft2 objects made from now on use: fftw where built, else pocketfft.
RealFftBackend real_fft_backend();

/// Selects the backend process-wide (the benchmark times both in one process); throws
/// std::invalid_argument for a backend this build lacks.
void set_real_fft_backend(RealFftBackend backend);

/// "pocketfft" or "fftw".
const char* real_fft_backend_name(RealFftBackend backend);

/// A 64-byte aligned array for RealFft2's inputs and outputs (FFTW's SIMD code paths need
/// the alignment: 2x faster); contents are not kept when it grows.
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

/// Rows [first_row, end_row) of a batch of inverse transforms: row r of transform i
/// starts at data + i * item_stride + (r - first_row) * cols.
struct RealRows {
  const double* data;
  int64_t first_row;
  int64_t item_stride;
  torch::Tensor owner;  ///< keeps pocketfft's output alive; undefined for FFTW
};

class RealFft2 {
 public:
  using Complex = std::complex<double>;

  /// rows x cols real arrays on `backend` (FFTW plans are made once per size and process).
  RealFft2(int64_t rows, int64_t cols, RealFftBackend backend = real_fft_backend());

  /// Smallest length >= n that `backend` transforms fast: 2^a 3^b 5^c for pocketfft (its
  /// real transforms have radix 2, 3, 4 and 5 passes; any other factor takes the generic
  /// O(p^2) pass), 2^a 3^b 5^c 7^d for FFTW (codelets for all four).
  static int64_t fast_size(int64_t n, RealFftBackend backend = real_fft_backend());

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  RealFftBackend backend() const { return backend_; }
  /// Bins of one half spectrum: rows * (cols / 2 + 1).
  int64_t bins() const { return rows_ * (cols_ / 2 + 1); }

  /// `count` real arrays (rows x cols each, consecutive, left intact) -> `count` half
  /// spectra (rows x (cols/2 + 1) each, consecutive). Arrays from FftBuffer.
  void forward(const double* real, Complex* spectrum, int64_t count = 1) const;

  /// `count` half spectra (consecutive, overwritten) -> rows [first_row, end_row) of each
  /// inverse DFT times rows * cols. `scratch` (from FftBuffer, count * rows * cols
  /// doubles) receives them for FFTW; pocketfft computes only those rows in its last pass
  /// (the rows that S1 zeroes as border are never transformed) into a tensor of its own.
  RealRows inverse(Complex* spectrum, int64_t count, int64_t first_row, int64_t end_row,
                   double* scratch) const;

 private:
  int64_t rows_, cols_;
  RealFftBackend backend_;
  const void* fftw_plans_ = nullptr;  // owned by a process-wide cache (FFTW only)
};

}  // namespace ventral::hmax
