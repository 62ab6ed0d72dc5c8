#include "zs_icu.h"
int32_t zs_icu_placeholder(void) { return 0; }
