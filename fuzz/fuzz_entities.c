/* Fuzz the entity recogniser (tb_entity_scan) and user entries
 * (tb_gazetteer_add) over a tb_text.
 *
 * Input: one option byte (bits 0-1: how many user entries to add first,
 * each taken as a length byte and that many bytes of UTF-8 with label
 * length % 3), then UTF-8 text. The gazetteer is built once per process,
 * so entries accumulate across inputs, as they do in a long-lived process.
 *
 * Invariants: entities within the text, start < end, sorted by start;
 * labels in range; a place code is a six-digit division code (or 0) and so
 * is its parent; a code implies a canonical name; persons and
 * organisations carry no code. Bad user entries fail with a status, never
 * a crash. */
#include "fuzz_common.h"

#include "core/tb_entity.h"
#include "core/tb_gazetteer.h"
#include "core/tb_text.h"

static tb_gazetteer *fz_gz;

static int division_code(uint32_t c) { return c == 0 || (c >= 100000 && c <= 999999); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    tb_error e = {0};
    if (fz_gz == NULL) FZ_CHECK(tb_gazetteer_new(fz_folder, fz_lex, &fz_gz, &e) == TB_OK);
    uint8_t opt = fz_take(&data, &size);
    for (int k = 0; k < (opt & 3); k++) {
        size_t len = fz_take(&data, &size) % 16;
        if (len > size) len = size;
        tb_status s = tb_gazetteer_add(fz_gz, data, len, (tb_ent_label)(len % 3), 0, 0, NULL, &e);
        FZ_CHECK(s == TB_OK || s == TB_EINVAL || s == TB_EUTF8 || s == TB_ENOMEM);
        data += len;
        size -= len;
    }
    tb_text t = {0};
    if (tb_text_build(fz_folder, data, size, &t, &e) != TB_OK) return 0;
    tb_entities ents = {0};
    FZ_CHECK(tb_entity_scan(fz_gz, &t, &ents, &e) == TB_OK);
    uint32_t prev = 0;
    for (size_t k = 0; k < ents.n; k++) {
        const tb_entity *x = &ents.v[k];
        FZ_CHECK(x->start < x->end && x->end <= t.n);
        FZ_CHECK(x->start >= prev);
        prev = x->start;
        FZ_CHECK(x->label <= TB_ENT_ORG);
        FZ_CHECK(division_code(x->code) && division_code(x->parent));
        if (x->label != TB_ENT_PLACE) FZ_CHECK(x->code == 0);
        if (x->code) FZ_CHECK(x->name != NULL && x->name[0] != '\0');
    }
    tb_entities_free(&ents);
    tb_text_free(&t);
    return 0;
}
