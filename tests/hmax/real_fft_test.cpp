// RealFft2 on every backend in the build (pocketfft always, FFTW with
// -DVENTRAL_WITH_FFTW=ON) against a direct DFT, and hmax-classic's S1 equal on all.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <cmath>
#include <complex>

#include "hmax/classic_s1.h"
#include "hmax/hmax_classic.h"
#include "hmax/real_fft.h"

using namespace ventral::hmax;

namespace {

// Restores the process-wide backend when a test ends.
struct BackendGuard {
  RealFftBackend saved = real_fft_backend();
  ~BackendGuard() { set_real_fft_backend(saved); }
};

}  // namespace

TEST_CASE("fast FFT sizes per backend", "[hmax]") {
  CHECK(RealFft2::fast_size(224, RealFftBackend::pocketfft) == 225);
  CHECK(RealFft2::fast_size(224, RealFftBackend::fftw) == 224);
  CHECK(RealFft2::fast_size(512, RealFftBackend::pocketfft) == 512);
  CHECK(RealFft2::fast_size(227, RealFftBackend::pocketfft) == 240);
  CHECK(RealFft2::fast_size(37, RealFftBackend::fftw) == 40);
  CHECK(classic_s1_grid(300, 451, RealFftBackend::pocketfft) == S1Grid{300, 480});
}

TEST_CASE("RealFft2 matches a direct DFT on every backend, rows chosen", "[hmax]") {
  const int64_t rows = 6, cols = 10, count = 3;
  torch::manual_seed(3);
  auto x = torch::randn({count, rows, cols}, torch::kFloat64);
  auto expected = torch::fft::rfft2(x);  // checked by hand below for one bin
  {
    // Bin (1, 2) of array 0 by the definition.
    std::complex<double> sum = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        sum += x[0][r][c].item<double>() *
               std::polar(1.0, -2 * M_PI * (1.0 * r / rows + 2.0 * c / cols));
      }
    }
    auto got = expected[0][1][2];
    CHECK(std::abs(sum - std::complex<double>(torch::real(got).item<double>(),
                                              torch::imag(got).item<double>())) < 1e-12);
  }
  for (RealFftBackend backend : real_fft_backends()) {
    INFO(real_fft_backend_name(backend));
    RealFft2 fft(rows, cols, backend);
    FftBuffer<double> real(count * rows * cols), scratch(count * rows * cols);
    FftBuffer<std::complex<double>> spectrum(count * fft.bins());
    std::copy_n(x.data_ptr<double>(), count * rows * cols, real.data());
    fft.forward(real.data(), spectrum.data(), count);
    auto got = torch::from_blob(spectrum.data(), {count, rows, cols / 2 + 1}, torch::kComplexDouble);
    CHECK((got - expected).abs().max().item<double>() < 1e-12);
    // Unnormalised inverse, rows 2..4 only.
    RealRows back = fft.inverse(spectrum.data(), count, 2, 5, scratch.data());
    for (int64_t i = 0; i < count; ++i) {
      for (int64_t r = 2; r < 5; ++r) {
        for (int64_t c = 0; c < cols; ++c) {
          const double v = back.data[i * back.item_stride + (r - back.first_row) * cols + c];
          CHECK(std::abs(v / (rows * cols) - x[i][r][c].item<double>()) < 1e-12);
        }
      }
    }
  }
}

TEST_CASE("hmax-classic S1 and C1 agree across FFT backends", "[hmax]") {
  if (real_fft_backends().size() < 2) return;  // one backend: nothing to compare
  BackendGuard guard;
  torch::manual_seed(5);
  // Odd, non-square, and a fast size on one backend but not the other (224 = 2^5 7).
  auto images = (torch::rand({2, 1, 224, 97}) * 255).round();
  HmaxClassic model;
  std::vector<ventral::models::NamedTensors> out;
  for (RealFftBackend backend : real_fft_backends()) {
    set_real_fft_backend(backend);
    out.push_back(model->features(images, {"s1", "c1"}));
  }
  for (std::size_t k = 0; k < out[0].size(); ++k) {
    INFO(out[0][k].first);
    CHECK((out[0][k].second - out[1][k].second).abs().max().item<double>() < 1e-6);
  }
}

TEST_CASE("a backend this build lacks is refused", "[hmax]") {
  if (real_fft_backends().size() == 2) return;
  CHECK_THROWS_WITH(set_real_fft_backend(RealFftBackend::fftw), Catch::Contains("VENTRAL_WITH_FFTW"));
  CHECK(real_fft_backend() == RealFftBackend::pocketfft);
}
