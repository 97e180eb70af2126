/* The "icu" engine: ICU's word BreakIterator (dictionary-based for Chinese),
 * for users who want ICU-compatible tokens. A template iterator is opened
 * once; each call works on its own clone, so calls may run concurrently. */
#ifndef TB_ICUBREAK_H
#define TB_ICUBREAK_H

#include "tb_fold.h"
#include "tb_segment.h"

typedef struct tb_icubreak tb_icubreak;

tb_status tb_icubreak_new(tb_icubreak **out, tb_error *err);
void tb_icubreak_free(tb_icubreak *b);

/* Segment UTF-8 text (lone surrogates allowed) into tokens with code point offsets. */
tb_status tb_icubreak_segment(tb_icubreak *b, tb_folder *folder, const uint8_t *utf8, size_t len,
                              tb_tokens *out, tb_error *err);

#endif
