#ifndef ZS_CRC32C_H
#define ZS_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction that `zs_crc32c_update` uses (SSE 4.2 on x86-64).
/// When it returns 0, the caller computes the checksum itself.
int zs_crc32c_available(void);

/// Continues a CRC-32C over `count` bytes at `bytes`: `state` is the running register (the
/// complement of the checksum so far, 0xFFFFFFFF at the start), and so is the result. Call only
/// when `zs_crc32c_available()` returned 1.
uint32_t zs_crc32c_update(uint32_t state, const void *bytes, size_t count);

#endif
