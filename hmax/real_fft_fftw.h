// FFTW's side of RealFft2 (real_fft.h), compiled only with -DVENTRAL_WITH_FFTW=ON. Kept in
// its own file so that nothing else includes fftw3.h and the precompiled LibTorch header
// of the rest of hmax/ does not depend on the option. Internal to real_fft.cpp.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>

namespace ventral::hmax::fftw {

/// The process-wide forward and inverse plans for rows x cols (made on first use).
const void* plans(int64_t rows, int64_t cols);

/// One unnormalised r2c transform with the plans of `plans` on new (aligned) arrays.
void forward(const void* plans, const double* real, std::complex<double>* spectrum);

/// One unnormalised c2r transform; `spectrum` is overwritten.
void inverse(const void* plans, std::complex<double>* spectrum, double* real);

}  // namespace ventral::hmax::fftw
