// Raw ICU word segmentation for Tools/build_lexicon.py: reads UTF-8 lines on stdin and writes, per
// line, ICU's "zh" UBRK_WORD segments separated by single spaces (whitespace segments dropped).
// This is the segmentation the shipped lexicon's counts are derived from; it does not use the
// lexicon itself, so rebuilding the lexicon never depends on a previous lexicon.
// Build: cc -O2 -o icu_words icu_words.c -licuuc -licui18n
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

int main(void) {
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
  if (U_FAILURE(status)) { fprintf(stderr, "ubrk_open: %s\n", u_errorName(status)); return 1; }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    status = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, line, len, &status);
    ubrk_setUText(bi, ut, &status);
    if (U_FAILURE(status)) { fprintf(stderr, "setUText: %s\n", u_errorName(status)); return 1; }
    int first = 1;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
      int blank = 1;
      for (int32_t k = start; k < end; k++) {
        unsigned char c = (unsigned char)line[k];
        if (!(c == ' ' || c == '\t' || c == '\f' || c == '\v')) { blank = 0; break; }
      }
      // U+3000 IDEOGRAPHIC SPACE
      if (!blank && end - start == 3 && memcmp(line + start, "\xe3\x80\x80", 3) == 0) blank = 1;
      if (blank) continue;
      if (!first) fputc(' ', stdout);
      fwrite(line + start, 1, (size_t)(end - start), stdout);
      first = 0;
    }
    fputc('\n', stdout);
    utext_close(ut);
  }
  ubrk_close(bi);
  free(line);
  return 0;
}
