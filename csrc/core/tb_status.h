/* Status codes and error reports of the tongbao engine.
 *
 * The engine never includes Python.h and never aborts: every fallible
 * function returns a tb_status and, when given one, fills a tb_error with a
 * message and the offset (code points into the caller's text, or the byte
 * offset / line number for raw buffers) where the problem was found. The
 * Python binding maps these to exceptions in one place. */
#ifndef TB_STATUS_H
#define TB_STATUS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TB_OK = 0,
    TB_ENOMEM,        /* allocation failed */
    TB_EINVAL,        /* bad argument (caller's mistake) */
    TB_EUTF8,         /* malformed UTF-8 in input */
    TB_EDECODE,       /* bytes not decodable in the detected/requested encoding */
    TB_EENCODING,     /* unknown encoding name */
    TB_EIO,           /* file could not be opened, read or mapped */
    TB_EFORMAT,       /* corrupt compiled lexicon */
    TB_EDICT,         /* bad user dictionary line */
    TB_EICU,          /* an ICU call failed */
    TB_ETOOBIG,       /* input beyond what offsets can address (>= 2^32 code points) */
    TB_ERULE          /* a bad line in a metric rule table (offset: its line) */
} tb_status;

/* Where an error happened. `offset` is in the unit named by `unit`. */
typedef enum { TB_AT_NONE = 0, TB_AT_CODEPOINT, TB_AT_BYTE, TB_AT_LINE } tb_error_unit;

typedef struct {
    tb_status status;
    tb_error_unit unit;
    size_t offset;
    int sys_errno;     /* errno for TB_EIO */
    int icu_code;      /* UErrorCode for TB_EICU/TB_EDECODE, 0 otherwise */
    char message[200];
} tb_error;

/* Record an error (printf-style message); returns `status` so callers can
 * write `return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "...")`. `err` may be NULL. */
tb_status tb_fail(tb_error *err, tb_status status, tb_error_unit unit, size_t offset,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* A short constant description of a status code. */
const char *tb_status_name(tb_status status);

#endif
