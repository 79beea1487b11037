// TFRecord files, the framing of the released ClickMe shards (docs/reference/data.md sec. 4;
// also TensorBoard's event files), read without TensorFlow. Each record is
//   uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes |
//   payload[length] | uint32 masked CRC-32C of the payload,
// masked(c) = ((c >> 15) | (c << 17)) + 0xa282ead8. CRC-32C is Castagnoli's (reflected
// polynomial 0x82F63B78, init and final xor 0xFFFFFFFF); Debian has no crc32c library, so the
// 256-entry table is here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ventral::alignment {

/// CRC-32C of `n` bytes (RFC 3720 sec. B.4: "123456789" -> 0xE3069283).
std::uint32_t crc32c(const void* data, std::size_t n);
/// TensorFlow's masked CRC-32C.
std::uint32_t masked_crc32c(const void* data, std::size_t n);

/// Where the records of one file lie, found by one pass that verifies both checksums of
/// every record.
struct TfRecordIndex {
  std::string path;
  std::vector<std::uint64_t> offsets;  ///< of each payload
  std::vector<std::uint64_t> lengths;
};

/// Indexes `path`. Error naming the file and the record index for a length or payload
/// checksum mismatch, or a record that runs past the end of the file (checked before any
/// payload is allocated).
TfRecordIndex index_tfrecord(const std::string& path);

/// Payload of record `k` (its checksum verified again).
std::vector<std::uint8_t> read_tfrecord(const TfRecordIndex& index, std::size_t k);

}  // namespace ventral::alignment
