#include "alignment/tfrecord.h"

#include <array>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace ventral::alignment {
namespace {

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

std::uint32_t little_u32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

std::uint64_t little_u64(const unsigned char* p) {
  return std::uint64_t{little_u32(p)} | std::uint64_t{little_u32(p + 4)} << 32;
}

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t n) {
  const auto& table = crc_table();
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) c = table[(c ^ bytes[i]) & 0xffu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint32_t masked_crc32c(const void* data, std::size_t n) {
  const std::uint32_t c = crc32c(data, n);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

TfRecordIndex index_tfrecord(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail("{}: cannot open file (missing or unreadable)", path);
  const std::uint64_t file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  TfRecordIndex index{path, {}, {}};
  std::uint64_t at = 0;
  std::vector<unsigned char> payload;
  for (std::size_t k = 0; at < file_size; ++k) {
    unsigned char header[12];
    if (file_size - at < sizeof header || !in.read(reinterpret_cast<char*>(header), sizeof header)) {
      fail("{}: record {} is truncated (a header needs 12 bytes, {} remain)", path, k, file_size - at);
    }
    if (little_u32(header + 8) != masked_crc32c(header, 8)) {
      fail("{}: record {}: the length's CRC-32C does not match (file damaged, or not a TFRecord file)",
           path, k);
    }
    const std::uint64_t length = little_u64(header);
    if (length > file_size - at - 12 || file_size - at - 12 - length < 4) {
      fail("{}: record {} is truncated: {} payload bytes announced, {} remain", path, k, length,
           file_size - at - 12);
    }
    payload.resize(static_cast<std::size_t>(length));
    unsigned char footer[4];
    if (!in.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(length)) ||
        !in.read(reinterpret_cast<char*>(footer), 4)) {
      fail("{}: record {}: read error", path, k);
    }
    if (little_u32(footer) != masked_crc32c(payload.data(), payload.size())) {
      fail("{}: record {}: the payload's CRC-32C does not match (file damaged)", path, k);
    }
    index.offsets.push_back(at + 12);
    index.lengths.push_back(length);
    at += 12 + length + 4;
  }
  return index;
}

std::vector<std::uint8_t> read_tfrecord(const TfRecordIndex& index, std::size_t k) {
  if (k >= index.offsets.size())
    fail("{}: record {} out of range ({} records)", index.path, k, index.offsets.size());
  std::ifstream in(index.path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(index.offsets[k]));
  std::vector<std::uint8_t> payload(static_cast<std::size_t>(index.lengths[k]));
  unsigned char footer[4];
  if (!in ||
      !in.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(payload.size())) ||
      !in.read(reinterpret_cast<char*>(footer), 4)) {
    fail("{}: record {}: read error (file changed since it was indexed?)", index.path, k);
  }
  if (little_u32(footer) != masked_crc32c(payload.data(), payload.size())) {
    fail("{}: record {}: the payload's CRC-32C does not match (file damaged)", index.path, k);
  }
  return payload;
}

}  // namespace ventral::alignment
