#ifndef ZS_PREFETCH_H
#define ZS_PREFETCH_H
// Cache prefetch hints, which Swift has no spelling for. The functions are `static inline`, so
// Swift's optimizer inlines them to single prefetch instructions.

/// Asks for the cache line holding `address` to be loaded, to be read soon. A hint: it never
/// faults, whatever the address.
static inline void zs_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
