// Placeholder; replaced by the analysis work.
#include <stdint.h>
int32_t zs_icu_placeholder(void);
