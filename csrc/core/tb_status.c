#include "tb_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

tb_status tb_fail(tb_error *err, tb_status status, tb_error_unit unit, size_t offset,
                  const char *fmt, ...) {
    if (err == NULL) return status;
    err->status = status;
    err->unit = unit;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *tb_status_name(tb_status status) {
    switch (status) {
    case TB_OK: return "ok";
    case TB_ENOMEM: return "out of memory";
    case TB_EINVAL: return "invalid argument";
    case TB_EUTF8: return "malformed UTF-8";
    case TB_EDECODE: return "undecodable bytes";
    case TB_EENCODING: return "unknown encoding";
    case TB_EIO: return "I/O error";
    case TB_EFORMAT: return "corrupt lexicon";
    case TB_EDICT: return "bad dictionary entry";
    case TB_EICU: return "ICU error";
    case TB_ETOOBIG: return "input too large";
    case TB_ERULE: return "bad metric rule";
    }
    return "unknown status";
}
