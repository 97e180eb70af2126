/* First-fit placement of a double array's rows, for tools/double_array.py
 * (compiled and run at build time: Python is too slow for the wide rows).
 *
 *   place_rows IN OUT
 *
 * IN (little-endian u32): n_rows, then per row k and its k child codes,
 * sorted ascending, each >= 1. The first row is the root's: its base is 0.
 * OUT: n_rows u32 bases, in the same order; every other base is the smallest
 * b >= 1 such that every slot b + code is still free, taken in row order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *used;
static size_t cap;

static void grow(size_t n) {
    if (n <= cap) return;
    size_t nc = cap ? cap : 1 << 20;
    while (nc < n) nc *= 2;
    used = realloc(used, nc);
    if (used == NULL) {
        fprintf(stderr, "place_rows: out of memory\n");
        exit(1);
    }
    memset(used + cap, 0, nc - cap);
    cap = nc;
}

static uint32_t *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t len = 0, c = 1 << 20;
    uint32_t *v = malloc(c * 4);
    size_t got;
    while (v && (got = fread(v + len, 4, c - len, f)) > 0) {
        len += got;
        if (len == c) v = realloc(v, (c *= 2) * 4);
    }
    fclose(f);
    if (v == NULL) {
        fprintf(stderr, "place_rows: out of memory\n");
        exit(1);
    }
    *n = len;
    return v;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: place_rows IN OUT\n");
        return 2;
    }
    size_t n_in;
    uint32_t *in = read_all(argv[1], &n_in);
    if (n_in < 1) return 2;
    uint32_t n_rows = in[0];
    uint32_t *bases = malloc((size_t)n_rows * 4 + 4);
    size_t pos = 1, front = 1;
    grow(1);
    used[0] = 1;   /* the root's slot */
    for (uint32_t r = 0; r < n_rows; r++) {
        if (pos >= n_in || in[pos] == 0 || pos + 1 + in[pos] > n_in) {
            fprintf(stderr, "place_rows: malformed input at row %u\n", r);
            return 2;
        }
        uint32_t k = in[pos];
        const uint32_t *codes = in + pos + 1;
        pos += 1 + k;
        size_t b = 0;
        if (r > 0) {
            size_t p = front > codes[0] + 1 ? front : codes[0] + 1;
            for (;; p++) {
                grow(p + codes[k - 1] + 1);
                if (used[p]) continue;
                b = p - codes[0];
                uint32_t i = 1;
                while (i < k && !used[b + codes[i]]) i++;
                if (i == k) break;
            }
        }
        grow(b + codes[k - 1] + 1);
        for (uint32_t i = 0; i < k; i++) used[b + codes[i]] = 1;
        while (front < cap && used[front]) front++;
        bases[r] = (uint32_t)b;
    }
    FILE *out = fopen(argv[2], "wb");
    if (out == NULL || fwrite(bases, 4, n_rows, out) != n_rows || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
