// Inverse real 2-D FFTs of one size, executed many times from any thread: the inner
// loop of hmax-classic's S1. With FFTW (when built with it) this is about 3x faster
// than LibTorch's pocketfft on the 2-core machines ventral targets; without FFTW the
// same interface runs on LibTorch.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>

namespace ventral::hmax {

class InverseRealFft2 {
 public:
  /// Plans (or reuses a plan for) rows x cols real outputs.
  InverseRealFft2(int64_t rows, int64_t cols);
  ~InverseRealFft2();
  InverseRealFft2(const InverseRealFft2&) = delete;
  InverseRealFft2& operator=(const InverseRealFft2&) = delete;

  /// spectrum: rows x (cols/2 + 1) complex values (overwritten); out: rows x cols reals.
  /// Unnormalised: the result is rows * cols times the inverse DFT.
  void run(std::complex<float>* spectrum, float* out) const;

  /// "fftw" or "libtorch".
  static const char* backend();

 private:
  struct Plan;
  int64_t rows_, cols_;
  Plan* plan_;  // owned by a process-wide cache, shared between instances
};

}  // namespace ventral::hmax
