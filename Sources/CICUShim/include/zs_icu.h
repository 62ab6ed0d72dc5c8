/// CICUShim: the only code that includes ICU headers.
///
/// This header deliberately uses <stdint.h> types only. Foundation on Linux bundles a private ICU
/// with renamed symbols; a Swift module that saw both sets of ICU headers would fail to build, so
/// ICU types stay inside zs_icu.c and Swift sees opaque pointers and plain integers.
/// Error codes are ICU UErrorCode values (0 = success, > 0 = failure, < 0 = warning).
#ifndef ZS_ICU_H
#define ZS_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes "<icu version> <unicode version>", e.g. "72.1 15.0", NUL-terminated, into `out`.
void zs_icu_versions(char *out, int32_t capacity);

/// Human-readable name of an ICU error code (static storage).
const char *zs_icu_error_name(int32_t error);

/// NFKC_Casefold of `src` into `dst`. Returns the needed length (may exceed `capacity`;
/// then nothing useful is written) and sets *error.
int32_t zs_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                         int32_t *error);

/// Opens a UBRK_WORD break iterator for `locale` (e.g. "zh"). NULL on failure.
void *zs_word_breaker_open(const char *locale, int32_t *error);
void zs_word_breaker_close(void *breaker);

/// Sets `text` (UTF-16) on the iterator and walks it in one call. Fills `boundaries` with every
/// boundary after 0 (ascending, the last one is `length`) and `statuses[i]` with the rule status
/// of the segment that ends at `boundaries[i]`. Both arrays need room for `length` entries.
/// Returns the number of boundaries written, or -1 on error.
int32_t zs_word_breaker_segment(void *breaker, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *statuses, int32_t *error);

/// Baseline: sets UTF-8 `text` through utext_openUTF8 and counts boundaries (including 0).
int64_t zs_word_breaker_count_utf8(void *breaker, const char *text, int64_t length, int32_t *error);

/// Opens ICU's "Traditional-Simplified" transliterator. NULL on failure.
void *zs_transliterator_open(const char *id, int32_t *error);
void zs_transliterator_close(void *transliterator);

/// Transliterates `text` (UTF-16, `*length` units, `capacity` room) in place.
/// Returns 0 on success, sets *length to the new length.
int32_t zs_transliterate(void *transliterator, uint16_t *text, int32_t *length, int32_t capacity,
                         int32_t *error);

#ifdef __cplusplus
}
#endif

#endif
