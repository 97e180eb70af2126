/* Growable arrays for the engine's scratch buffers (per call, never shared).
 * TB_VEC_RESERVE grows geometrically and reports TB_ENOMEM instead of dying. */
#ifndef TB_VEC_H
#define TB_VEC_H

#include <stdint.h>
#include <stdlib.h>

#include "tb_status.h"

/* Ensure capacity for `need` elements of size `elem` in *data (capacity *cap). */
static inline tb_status tb_reserve(void **data, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return TB_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem) return TB_ENOMEM;
        ncap *= 2;
    }
    void *p = realloc(*data, ncap * elem);
    if (p == NULL) return TB_ENOMEM;
    *data = p;
    *cap = ncap;
    return TB_OK;
}

#define TB_VEC_RESERVE(ptr, cap, need) tb_reserve((void **)&(ptr), &(cap), (need), sizeof *(ptr))

#endif
