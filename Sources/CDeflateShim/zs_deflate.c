#include "zs_deflate.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>

// A libdeflate compressor holds about a megabyte of match-finder tables, too much to allocate
// per block of documents: each thread keeps one per level it used, freed when the thread exits.
enum { levels = 13 };
static pthread_key_t compressorsKey;
static pthread_once_t compressorsOnce = PTHREAD_ONCE_INIT;

static void freeCompressors(void *value) {
  struct libdeflate_compressor **compressors = value;
  for (int i = 0; i < levels; i++) libdeflate_free_compressor(compressors[i]);
  free(compressors);
}

static void makeCompressorsKey(void) { pthread_key_create(&compressorsKey, freeCompressors); }

static struct libdeflate_compressor *compressor(int32_t level) {
  if (level < 0 || level >= levels) return NULL;
  pthread_once(&compressorsOnce, makeCompressorsKey);
  struct libdeflate_compressor **compressors = pthread_getspecific(compressorsKey);
  if (compressors == NULL) {
    compressors = calloc(levels, sizeof *compressors);
    if (compressors == NULL || pthread_setspecific(compressorsKey, compressors) != 0) {
      free(compressors);
      return NULL;
    }
  }
  if (compressors[level] == NULL) compressors[level] = libdeflate_alloc_compressor(level);
  return compressors[level];
}

size_t zs_deflate_bound(size_t length) { return libdeflate_zlib_compress_bound(NULL, length); }

int32_t zs_deflate(const uint8_t *source, size_t length, uint8_t *dest, size_t *destLength, int32_t level) {
  struct libdeflate_compressor *c = compressor(level);
  if (c == NULL) return -1;
  size_t out = libdeflate_zlib_compress(c, source, length, dest, *destLength);
  if (out == 0) return -1;
  *destLength = out;
  return 0;
}

int32_t zs_inflate(const uint8_t *source, size_t *sourceLength, uint8_t *dest, size_t *destLength) {
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  if (d == NULL) return -1;
  size_t in = 0, out = 0;
  enum libdeflate_result rc = libdeflate_zlib_decompress_ex(d, source, *sourceLength, dest, *destLength, &in, &out);
  libdeflate_free_decompressor(d);
  if (rc != LIBDEFLATE_SUCCESS) return (int32_t)rc;
  *sourceLength = in;
  *destLength = out;
  return 0;
}
