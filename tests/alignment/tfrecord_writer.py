"""Writes a TFRecord file the way TensorFlow's RecordWriter frames it, with a bitwise CRC-32C
written independently of ventral's table-driven one (standard library only).

Usage: tfrecord_writer.py OUT.tfrecords PAYLOAD_HEX...
"""
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def main():
    with open(sys.argv[1], "wb") as f:
        for text in sys.argv[2:]:
            payload = bytes.fromhex(text)
            length = struct.pack("<Q", len(payload))
            f.write(length + struct.pack("<I", masked(length)) + payload + struct.pack("<I", masked(payload)))


if __name__ == "__main__":
    main()
