#include "zs_zlib.h"
#include <zlib.h>

size_t zs_deflate_bound(size_t length) { return (size_t)compressBound((uLong)length); }

int32_t zs_deflate(const uint8_t *source, size_t length, uint8_t *dest, size_t *destLength, int32_t level) {
  uLongf out = (uLongf)*destLength;
  int rc = compress2(dest, &out, source, (uLong)length, level);
  if (rc != Z_OK) return rc < 0 ? rc : -100;
  *destLength = (size_t)out;
  return 0;
}

int32_t zs_inflate(const uint8_t *source, size_t *sourceLength, uint8_t *dest, size_t *destLength) {
  uLongf out = (uLongf)*destLength;
  uLong in = (uLong)*sourceLength;
  int rc = uncompress2(dest, &out, source, &in);
  if (rc != Z_OK) return rc < 0 ? rc : -100;
  *destLength = (size_t)out;
  *sourceLength = (size_t)in;
  return 0;
}
