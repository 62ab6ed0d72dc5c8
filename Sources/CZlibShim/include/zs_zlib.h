#ifndef ZS_ZLIB_H
#define ZS_ZLIB_H
// The only code that includes zlib's headers. Like CICUShim, the public header uses <stdint.h>
// types only, so Swift never depends on how the system's zlib.h declares things.
#include <stddef.h>
#include <stdint.h>

/// An upper bound of the compressed size of `length` bytes.
size_t zs_deflate_bound(size_t length);

/// Compresses `length` bytes at `source` into `dest` (capacity `*destLength`) as one zlib stream
/// (RFC 1950: header, deflate data, Adler-32) at `level` (1–9). On success returns 0 and sets
/// `*destLength` to the compressed size; otherwise returns a zlib error code (< 0).
int32_t zs_deflate(const uint8_t *source, size_t length, uint8_t *dest, size_t *destLength, int32_t level);

/// Decompresses the zlib stream at `source` (`*sourceLength` bytes) into `dest` (capacity
/// `*destLength`). Returns 0 when the stream is complete and valid (Adler-32 included), with
/// `*destLength` set to the bytes produced and `*sourceLength` to the bytes consumed; otherwise a
/// zlib error code (< 0). Never reads or writes outside the given buffers.
int32_t zs_inflate(const uint8_t *source, size_t *sourceLength, uint8_t *dest, size_t *destLength);

#endif
