#ifndef ZS_DEFLATE_H
#define ZS_DEFLATE_H
// The only code that includes libdeflate's header. Like CICUShim, the public header uses
// <stdint.h> types only, so Swift never depends on how the system's libdeflate.h declares things.
#include <stddef.h>
#include <stdint.h>

/// An upper bound of the compressed size of `length` bytes, as a zlib stream.
size_t zs_deflate_bound(size_t length);

/// Compresses `length` bytes at `source` into `dest` (capacity `*destLength`) as one zlib stream
/// (RFC 1950: header, deflate data, Adler-32) at `level` (1–12). On success returns 0 and sets
/// `*destLength` to the compressed size; returns -1 when out of memory or when `dest` is too
/// small (never with `zs_deflate_bound(length)` bytes). Safe to call from several threads at once.
int32_t zs_deflate(const uint8_t *source, size_t length, uint8_t *dest, size_t *destLength, int32_t level);

/// Decompresses the zlib stream at `source` (`*sourceLength` bytes) into `dest` (capacity
/// `*destLength`). Returns 0 when the stream is complete and valid (Adler-32 included), with
/// `*destLength` set to the bytes produced and `*sourceLength` to the bytes consumed; otherwise
/// a libdeflate result code (1: bad data, 3: more than `*destLength` bytes; -1: out of memory).
/// Never reads or writes outside the given buffers.
int32_t zs_inflate(const uint8_t *source, size_t *sourceLength, uint8_t *dest, size_t *destLength);

#endif
