#ifndef ZS_BITPACK_H
#define ZS_BITPACK_H
#include <stdint.h>

/// The widest values `zs_unpack128` decodes: a value and its bit offset in its first byte must fit
/// one 32-bit lane (25 + 7 bits).
#define ZS_UNPACK128_MAX_WIDTH 25

/// Whether this CPU has AVX2, which `zs_unpack128` and `zs_prefix_sum128` use (1) or not (0).
int zs_bitpack_simd_available(void);

/// Decodes a full postings block with AVX2: 128 values of `bit_width` bits (1 ... 25), packed least
/// significant bit first, value after value (`BitPacker`'s layout), from `src` into `dst`. It reads
/// up to 16 bytes past the 16 * `bit_width` packed ones, so the caller guarantees 16 * `bit_width` +
/// 16 readable bytes. Returns 0, writing nothing, when the CPU lacks AVX2 or the width is out of
/// range: the caller then decodes the block itself.
int zs_unpack128(const uint8_t *src, uint32_t bit_width, uint32_t *dst);

/// Turns a full block's 128 doc-id deltas at `values` into doc ids in place with AVX2: each becomes
/// `base` plus the deltas up to and including it (32-bit arithmetic). The caller guarantees that
/// the deltas sum to less than 2^32 (they are at most 25 bits wide) and checks `base` + `*total`
/// against the document count, which bounds every id. `*min_delta` receives the smallest delta from
/// index `first` on (0 or 1). Returns 0, writing nothing, without AVX2.
int zs_prefix_sum128(uint32_t *values, uint32_t base, uint32_t first, uint32_t *total, uint32_t *min_delta);

/// Unpacks a full block of 128 doc-id deltas of `bit_width` bits (1...ZS_UNPACK128_MAX_WIDTH; the
/// same bytes `zs_unpack128` reads) straight into ids, as `zs_unpack128` then `zs_prefix_sum128`
/// would, with the same guarantees from the caller (16 * `bit_width` + 16 readable bytes, deltas that
/// sum to less than 2^32). Returns 0, writing nothing, without AVX2 or for other widths.
int zs_unpack_prefix_sum128(const uint8_t *src, uint32_t bit_width, uint32_t base, uint32_t first, uint32_t *dst, uint32_t *total,
                            uint32_t *min_delta);

/// The first index in `from` ..< `n` (`n` <= 128) whose value is >= `target`, or `n`: a scan of a
/// decoded block's ascending doc ids, eight at a time with AVX2 (a scalar loop without it).
int32_t zs_first_at_least(const uint32_t *values, int32_t from, int32_t n, uint32_t target);

/// Adds 1 to each of the 128 values (a block's packed tf − 1) with AVX2 and returns the smallest
/// result (0 only if a value wrapped); returns 0 and writes nothing without AVX2 (then `*done` is 0).
uint32_t zs_add_one_min128(uint32_t *values, int32_t *done);

#endif
