// The only translation unit that includes ICU headers; see include/zs_icu.h for why.
#include "zs_icu.h"

#include <stdio.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>
#include <unicode/uchar.h>

void zs_icu_versions(char *out, int32_t capacity) {
  UVersionInfo icu, uni;
  char a[U_MAX_VERSION_STRING_LENGTH], b[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(icu);
  u_getUnicodeVersion(uni);
  u_versionToString(icu, a);
  u_versionToString(uni, b);
  snprintf(out, (size_t)capacity, "%s %s", a, b);
}

const char *zs_icu_error_name(int32_t error) { return u_errorName((UErrorCode)error); }

int32_t zs_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                         int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&status);
  if (U_FAILURE(status)) { *error = status; return 0; }
  int32_t out = unorm2_normalize(n, (const UChar *)src, length, (UChar *)dst, capacity, &status);
  *error = status;
  return out;
}

void *zs_word_breaker_open(const char *locale, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
  *error = status;
  if (U_FAILURE(status)) { if (bi) ubrk_close(bi); return NULL; }
  return bi;
}

void zs_word_breaker_close(void *breaker) { if (breaker) ubrk_close((UBreakIterator *)breaker); }

int32_t zs_word_breaker_segment(void *breaker, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *statuses, int32_t *error) {
  UBreakIterator *bi = (UBreakIterator *)breaker;
  UErrorCode status = U_ZERO_ERROR;
  static const UChar empty[1] = {0};
  ubrk_setText(bi, length > 0 ? (const UChar *)text : empty, length, &status);
  if (U_FAILURE(status)) { *error = status; return -1; }
  int32_t n = 0;
  ubrk_first(bi);
  for (int32_t b = ubrk_next(bi); b != UBRK_DONE && n < length; b = ubrk_next(bi)) {
    boundaries[n] = b;
    statuses[n] = ubrk_getRuleStatus(bi);
    n++;
  }
  // Detach from the caller's buffer, which may move or be freed after this call.
  ubrk_setText(bi, empty, 0, &status);
  *error = U_ZERO_ERROR;
  return n;
}

int64_t zs_word_breaker_count_utf8(void *breaker, const char *text, int64_t length, int32_t *error) {
  UBreakIterator *bi = (UBreakIterator *)breaker;
  UErrorCode status = U_ZERO_ERROR;
  UText *ut = utext_openUTF8(NULL, length > 0 ? text : "", length, &status);
  if (U_FAILURE(status)) { *error = status; return -1; }
  ubrk_setUText(bi, ut, &status);
  if (U_FAILURE(status)) { utext_close(ut); *error = status; return -1; }
  int64_t n = 0;
  for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi)) n++;
  static const UChar empty[1] = {0};
  ubrk_setText(bi, empty, 0, &status);
  utext_close(ut);
  *error = U_ZERO_ERROR;
  return n;
}

void *zs_transliterator_open(const char *id, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UChar uid[128];
  int32_t i = 0;
  for (; id[i] && i < 127; i++) uid[i] = (UChar)(unsigned char)id[i];
  uid[i] = 0;
  UTransliterator *t = utrans_openU(uid, i, UTRANS_FORWARD, NULL, 0, NULL, &status);
  *error = status;
  if (U_FAILURE(status)) { if (t) utrans_close(t); return NULL; }
  return t;
}

void zs_transliterator_close(void *transliterator) {
  if (transliterator) utrans_close((UTransliterator *)transliterator);
}

int32_t zs_transliterate(void *transliterator, uint16_t *text, int32_t *length, int32_t capacity,
                         int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t limit = *length;
  utrans_transUChars((const UTransliterator *)transliterator, (UChar *)text, length, capacity, 0,
                     &limit, &status);
  *error = status;
  if (U_FAILURE(status)) return -1;
  *length = limit;
  return 0;
}
