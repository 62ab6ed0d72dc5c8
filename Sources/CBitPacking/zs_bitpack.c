// Decoding of 128 bit-packed values eight at a time with AVX2. Eight values of w bits are exactly
// w bytes, so every group of eight starts on a byte boundary, and the lanes of a group need the same
// byte shuffle and shifts: one table entry per width. A group's first four values lie within 16
// bytes at its start, its last four within 16 bytes from byte (4 * w) / 8, for w <= 25; the two
// halves are loaded into one 256-bit register, each lane gathers the 4 bytes holding its value
// (`vpshufb`, which works within 128-bit halves), shifts it down by its bit offset (`vpsrlvd`)
// and masks it. The target attribute lets the function use AVX2 without compiling the target for
// it; the CPU is checked once, when the library loads.
#include "zs_bitpack.h"

/// The first index in `from` ..< `n` whose value is >= `target`, one value at a time: the whole
/// scan without AVX2, and the tail of the AVX2 one.
static int32_t first_at_least_scalar(const uint32_t *values, int32_t from, int32_t n, uint32_t target) {
  int32_t i = from;
  while (i < n && values[i] < target) i++;
  return i;
}

#if defined(__x86_64__)
#include <immintrin.h>

/// The smallest of the eight unsigned lanes of `v`.
__attribute__((target("avx2")))
static inline uint32_t smallest_lane(__m256i v) {
  __m128i m = _mm_min_epu32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  m = _mm_min_epu32(m, _mm_shuffle_epi32(m, 0x4E));
  m = _mm_min_epu32(m, _mm_shuffle_epi32(m, 0xB1));
  return (uint32_t)_mm_cvtsi128_si32(m);
}

static uint8_t shuffles[ZS_UNPACK128_MAX_WIDTH + 1][32];
static uint32_t shifts[ZS_UNPACK128_MAX_WIDTH + 1][8];
static int has_avx2;

__attribute__((constructor)) static void zs_bitpack_init(void) {
  for (uint32_t w = 1; w <= ZS_UNPACK128_MAX_WIDTH; w++) {
    uint32_t high = (4 * w) / 8;  // where the second half's 16 bytes start
    for (uint32_t lane = 0; lane < 8; lane++) {
      uint32_t bit = lane * w - (lane < 4 ? 0 : 8 * high);
      for (uint32_t k = 0; k < 4; k++) shuffles[w][4 * lane + k] = (uint8_t)(bit / 8 + k);
      shifts[w][lane] = bit % 8;
    }
  }
  __builtin_cpu_init();
  has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
}

/// Group `g` (values 8g ..< 8g + 8) of a block of `w`-bit values, unpacked into the lanes.
__attribute__((target("avx2")))
static inline __m256i unpack_group(const uint8_t *src, uint32_t g, uint32_t w, uint32_t high, __m256i shuffle, __m256i shift, __m256i mask) {
  const uint8_t *p = src + g * w;
  __m256i v = _mm256_loadu2_m128i((const __m128i *)(p + high), (const __m128i *)p);
  v = _mm256_shuffle_epi8(v, shuffle);
  v = _mm256_srlv_epi32(v, shift);
  return _mm256_and_si256(v, mask);
}

/// Eight deltas turned into ids: `carry` (every lane the id before them) plus their running sums.
__attribute__((target("avx2")))
static inline __m256i prefix_group(__m256i x, __m256i carry) {
  x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));  // prefix sums within each 128-bit half
  x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
  __m256i low_total = _mm256_shuffle_epi32(x, 0xFF);  // each half's last sum in all its lanes
  x = _mm256_add_epi32(x, _mm256_permute2x128_si256(low_total, low_total, 0x08));  // low's into high
  return _mm256_add_epi32(x, carry);
}

__attribute__((target("avx2")))
static void unpack128_avx2(const uint8_t *src, uint32_t w, uint32_t *dst) {
  const __m256i shuffle = _mm256_loadu_si256((const __m256i *)shuffles[w]);
  const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[w]);
  const __m256i mask = _mm256_set1_epi32((int)((1u << w) - 1));
  const uint32_t high = (4 * w) / 8;
  for (uint32_t g = 0; g < 16; g++) _mm256_storeu_si256((__m256i *)(dst + 8 * g), unpack_group(src, g, w, high, shuffle, shift, mask));
}

int zs_bitpack_simd_available(void) { return has_avx2; }

/// `unpack128_avx2` and `prefix_sum128_avx2` in one pass: each group of eight deltas is turned into
/// ids while it is still in a register, and the smallest delta (from `first` on) is taken on the
/// way. A probe that lands in a new block decodes only its ids, and this is most of that cost.
__attribute__((target("avx2")))
static void unpack_prefix_sum128_avx2(const uint8_t *src, uint32_t w, uint32_t base, uint32_t first, uint32_t *dst, uint32_t *total,
                                      uint32_t *min_delta) {
  const __m256i shuffle = _mm256_loadu_si256((const __m256i *)shuffles[w]);
  const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[w]);
  const __m256i mask = _mm256_set1_epi32((int)((1u << w) - 1));
  const __m256i last = _mm256_set1_epi32(7);
  const uint32_t high = (4 * w) / 8;
  __m256i smallest = _mm256_set1_epi32(-1);
  __m256i carry = _mm256_set1_epi32((int)base);
  for (uint32_t g = 0; g < 16; g++) {
    __m256i x = unpack_group(src, g, w, high, shuffle, shift, mask);
    // The list's first delta is a document ordinal (it may be 0): out of the minimum.
    smallest = _mm256_min_epu32(smallest, g == 0 && first ? _mm256_or_si256(x, _mm256_setr_epi32(-1, 0, 0, 0, 0, 0, 0, 0)) : x);
    x = prefix_group(x, carry);
    _mm256_storeu_si256((__m256i *)(dst + 8 * g), x);
    carry = _mm256_permutevar8x32_epi32(x, last);
  }
  *min_delta = smallest_lane(smallest);
  *total = dst[127] - base;
}

int zs_unpack_prefix_sum128(const uint8_t *src, uint32_t bit_width, uint32_t base, uint32_t first, uint32_t *dst, uint32_t *total,
                            uint32_t *min_delta) {
  if (!has_avx2 || bit_width == 0 || bit_width > ZS_UNPACK128_MAX_WIDTH) return 0;
  unpack_prefix_sum128_avx2(src, bit_width, base, first, dst, total, min_delta);
  return 1;
}

__attribute__((target("avx2")))
static int32_t first_at_least_avx2(const uint32_t *values, int32_t from, int32_t n, uint32_t target) {
  const __m256i t = _mm256_set1_epi32((int)target);
  int32_t i = from;
  for (; i + 8 <= n; i += 8) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(values + i));
    __m256i at_least = _mm256_cmpeq_epi32(_mm256_max_epu32(v, t), v);  // unsigned v >= t
    int bits = _mm256_movemask_ps(_mm256_castsi256_ps(at_least));
    if (bits) return i + __builtin_ctz((unsigned)bits);
  }
  return first_at_least_scalar(values, i, n, target);
}

int32_t zs_first_at_least(const uint32_t *values, int32_t from, int32_t n, uint32_t target) {
  if (has_avx2) return first_at_least_avx2(values, from, n, target);
  return first_at_least_scalar(values, from, n, target);
}

__attribute__((target("avx2")))
static uint32_t add_one_min128_avx2(uint32_t *values) {
  const __m256i one = _mm256_set1_epi32(1);
  __m256i smallest = _mm256_set1_epi32(-1);
  for (int g = 0; g < 16; g++) {
    __m256i v = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(values + 8 * g)), one);
    _mm256_storeu_si256((__m256i *)(values + 8 * g), v);
    smallest = _mm256_min_epu32(smallest, v);
  }
  return smallest_lane(smallest);
}

uint32_t zs_add_one_min128(uint32_t *values, int32_t *done) {
  if (!has_avx2) {
    *done = 0;
    return 0;
  }
  *done = 1;
  return add_one_min128_avx2(values);
}

int zs_unpack128(const uint8_t *src, uint32_t bit_width, uint32_t *dst) {
  if (!has_avx2 || bit_width == 0 || bit_width > ZS_UNPACK128_MAX_WIDTH) return 0;
  unpack128_avx2(src, bit_width, dst);
  return 1;
}

__attribute__((target("avx2")))
static void prefix_sum128_avx2(uint32_t *values, uint32_t base, uint32_t first, uint32_t *total, uint32_t *min_delta) {
  uint32_t first_value = values[0];
  if (first) values[0] = UINT32_MAX;  // out of the minimum
  __m256i smallest = _mm256_set1_epi32(-1);
  for (int g = 0; g < 16; g++) {
    smallest = _mm256_min_epu32(smallest, _mm256_loadu_si256((const __m256i *)(values + 8 * g)));
  }
  values[0] = first_value;
  *min_delta = smallest_lane(smallest);

  __m256i carry = _mm256_set1_epi32((int)base);
  const __m256i last = _mm256_set1_epi32(7);
  for (int g = 0; g < 16; g++) {
    __m256i x = prefix_group(_mm256_loadu_si256((const __m256i *)(values + 8 * g)), carry);
    _mm256_storeu_si256((__m256i *)(values + 8 * g), x);
    carry = _mm256_permutevar8x32_epi32(x, last);
  }
  *total = values[127] - base;
}

int zs_prefix_sum128(uint32_t *values, uint32_t base, uint32_t first, uint32_t *total, uint32_t *min_delta) {
  if (!has_avx2) return 0;
  prefix_sum128_avx2(values, base, first, total, min_delta);
  return 1;
}
#else
int zs_bitpack_simd_available(void) { return 0; }

int32_t zs_first_at_least(const uint32_t *values, int32_t from, int32_t n, uint32_t target) {
  return first_at_least_scalar(values, from, n, target);
}

uint32_t zs_add_one_min128(uint32_t *values, int32_t *done) {
  (void)values;
  *done = 0;
  return 0;
}

int zs_prefix_sum128(uint32_t *values, uint32_t base, uint32_t first, uint32_t *total, uint32_t *min_delta) {
  (void)values;
  (void)base;
  (void)first;
  (void)total;
  (void)min_delta;
  return 0;
}

int zs_unpack_prefix_sum128(const uint8_t *src, uint32_t bit_width, uint32_t base, uint32_t first, uint32_t *dst, uint32_t *total,
                            uint32_t *min_delta) {
  (void)src;
  (void)bit_width;
  (void)base;
  (void)first;
  (void)dst;
  (void)total;
  (void)min_delta;
  return 0;
}

int zs_unpack128(const uint8_t *src, uint32_t bit_width, uint32_t *dst) {
  (void)src;
  (void)bit_width;
  (void)dst;
  return 0;
}
#endif
