// TFRecord framing: CRC-32C against RFC 3720's check values, and files written by an
// independent Python writer (tfrecord_writer.py, bitwise CRC) read back, with damaged and
// truncated files refused naming the record.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "alignment/tfrecord.h"
#include "common/error.h"
#include "tests/test_paths.h"

using namespace ventral::alignment;

namespace {

void write_with_python(const std::string& path, const std::vector<std::string>& payloads_hex) {
  std::string command = std::string(VENTRAL_PYTHON) + " " + VENTRAL_SOURCE_DIR +
                        "/tests/alignment/tfrecord_writer.py " + path;
  for (const auto& hex : payloads_hex) command += " " + (hex.empty() ? std::string("''") : hex);
  REQUIRE(std::system(command.c_str()) == 0);
}

std::vector<char> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_all(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("CRC-32C equals RFC 3720's check values", "[alignment]") {
  const std::string digits = "123456789";
  CHECK(crc32c(digits.data(), digits.size()) == 0xE3069283u);
  std::vector<unsigned char> zeros(32, 0), ones(32, 0xFF), ramp(32);
  std::iota(ramp.begin(), ramp.end(), 0);
  CHECK(crc32c(zeros.data(), 32) == 0x8A9136AAu);
  CHECK(crc32c(ones.data(), 32) == 0x62A8AB43u);
  CHECK(crc32c(ramp.data(), 32) == 0x46DD794Eu);
  const std::uint32_t c = 0xE3069283u;
  CHECK(masked_crc32c(digits.data(), digits.size()) == ((c >> 15) | (c << 17)) + 0xa282ead8u);
}

TEST_CASE("TFRecord files from an independent writer read back; damage names the record",
          "[alignment]") {
  const std::string path = ventral::testing::temp_path("records.tfrecords");
  write_with_python(path, {"0a0b0c", "", "ff00ff00ff"});
  const auto index = index_tfrecord(path);
  REQUIRE(index.offsets.size() == 3);
  CHECK(read_tfrecord(index, 0) == std::vector<std::uint8_t>{0x0a, 0x0b, 0x0c});
  CHECK(read_tfrecord(index, 1).empty());
  CHECK(read_tfrecord(index, 2) == std::vector<std::uint8_t>{0xff, 0x00, 0xff, 0x00, 0xff});
  CHECK_THROWS_WITH(read_tfrecord(index, 3), Catch::Contains("record 3 out of range"));

  const auto good = read_all(path);
  auto damaged = good;
  damaged[12 + 3 + 4 + 12 + 4 + 12 + 1] ^= 0x40;  // a payload byte of record 2
  write_all(path, damaged);
  CHECK_THROWS_WITH(index_tfrecord(path),
                    Catch::Contains("record 2: the payload's CRC-32C does not match"));
  damaged = good;
  damaged[12 + 3 + 4] ^= 0x01;  // the length of record 1
  write_all(path, damaged);
  CHECK_THROWS_WITH(index_tfrecord(path),
                    Catch::Contains("record 1: the length's CRC-32C does not match"));
  write_all(path, std::vector<char>(good.begin(), good.end() - 3));  // record 2 cut short
  CHECK_THROWS_WITH(index_tfrecord(path), Catch::Contains("record 2 is truncated"));
  CHECK_THROWS_WITH(index_tfrecord(path + ".missing"), Catch::Contains("cannot open"));
  std::remove(path.c_str());
}
