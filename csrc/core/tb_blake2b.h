/* BLAKE2b (RFC 7693), unkeyed, digest of 1 to 64 bytes: the fingerprint's
 * hash, computed in the core with the GIL released. Equal to Python's
 * hashlib.blake2b(data, digest_size=n) (tests/test_fingerprint.py checks). */
#ifndef TB_BLAKE2B_H
#define TB_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t h[8];
    uint64_t t[2];        /* bytes compressed so far */
    uint8_t buf[128];     /* the block being filled */
    size_t fill;
    size_t outlen;
} tb_blake2b;

/* outlen: 1..64 */
void tb_blake2b_init(tb_blake2b *s, size_t outlen);
void tb_blake2b_update(tb_blake2b *s, const void *data, size_t len);
/* Writes s->outlen bytes to out. */
void tb_blake2b_final(tb_blake2b *s, uint8_t *out);

#endif
