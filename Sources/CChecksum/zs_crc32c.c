// CRC-32C with the SSE 4.2 `crc32` instruction, which computes exactly this polynomial (0x1EDC6F41,
// reflected 0x82F63B78) 8 bytes at a time. The target attribute lets one function use it without
// compiling the whole target for SSE 4.2; `zs_crc32c_available` checks the CPU at run time.
#include "zs_crc32c.h"
#include <string.h>

#if defined(__x86_64__)
int zs_crc32c_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t zs_crc32c_update(uint32_t state, const void *bytes, size_t count) {
  const unsigned char *p = (const unsigned char *)bytes;
  uint64_t crc = state;
  while (count >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);  // an unaligned load
    crc = __builtin_ia32_crc32di(crc, word);
    p += 8;
    count -= 8;
  }
  uint32_t c = (uint32_t)crc;
  while (count > 0) {
    c = __builtin_ia32_crc32qi(c, *p);
    p += 1;
    count -= 1;
  }
  return c;
}
#else
int zs_crc32c_available(void) { return 0; }
uint32_t zs_crc32c_update(uint32_t state, const void *bytes, size_t count) {
  (void)bytes;
  (void)count;
  return state;
}
#endif
