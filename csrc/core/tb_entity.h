/* Persons, places and organisations in a document (tb_text), by rules over
 * the gazetteer (tb_gazetteer.h).
 *
 * - Places: gazetteer surfaces; a surface naming several divisions (朝阳区)
 *   takes the one under the nearest place mentioned before it, else the
 *   highest-level one when exactly one is highest (安阳: the city), else no
 *   code. Provincial abbreviations count only after 来/返/入/赴/援…
 *   (来豫, 返豫). Towns, streets and communities (寄料镇, 钟楼街道,
 *   红溪谷社区) are places without code.
 * - Persons: a family name plus one or two characters after a title
 *   (省长王凯), in a byline (记者李铮 冯芸, 冯金灿 蔡雨/摄), before a title
 *   (习近平总书记), in a list of names (孙守刚、陈舜、…在); then every
 *   other mention of a name found once (楼阳生指出).
 * - Organisations: a known one (省委), or a name ending with an organisation
 *   word (医院, 卫生健康委), running left to a boundary or a place
 *   (许昌市中心医院).
 * Every mention is one entity; offsets are code points of the text. */
#ifndef TB_ENTITY_H
#define TB_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "tb_gazetteer.h"
#include "tb_text.h"

typedef struct {
    uint32_t start, end;
    uint8_t label;          /* tb_ent_label */
    uint32_t code, parent;  /* places: 0 when none */
    const char *level;      /* places: may be NULL */
    const char *name;       /* places with a division: its canonical name */
} tb_entity;

typedef struct {
    tb_entity *v;
    size_t n, cap;
} tb_entities;

/* Scan `t`; results sorted by start (then longer first). Takes the
 * gazetteer's read lock for the whole scan. */
tb_status tb_entity_scan(tb_gazetteer *g, const tb_text *t, tb_entities *out, tb_error *err);
void tb_entities_free(tb_entities *e);

#endif
