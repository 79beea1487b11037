// Process-wide malloc tuning for programs that allocate many large, short-lived tensors.
#pragma once

namespace ventral {

/// Keeps freed blocks up to 32 MiB in the heap instead of returning them to the kernel:
/// glibc's defaults give every large tensor fresh pages, and the page faults cost more
/// than the arithmetic on the small VMs ventral runs on (measured: ~2x on HMAX S1).
void tune_allocator();

}  // namespace ventral
