/* Reading a corpus file whole, with no Python: tongbao.extract reads a
 * batch's files in one call with the GIL released (one hand-off instead of
 * one per stat, open, read and close).
 *
 * Only regular files are read: a directory, a FIFO or a device (which
 * could block or never end) is refused before it is opened, as
 * _sources.read_file refuses them. */
#ifndef TB_READFILE_H
#define TB_READFILE_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

typedef enum {
    TB_RF_OK = 0,
    TB_RF_ERRNO,        /* a system call failed: see sys_errno */
    TB_RF_DIRECTORY,    /* a directory */
    TB_RF_NOT_REGULAR   /* a FIFO, a socket, a device */
} tb_rf_status;

typedef struct {
    uint8_t *data;      /* malloc'd (free it), NULL unless TB_RF_OK; may be non-NULL with len 0 */
    size_t len;
    int sys_errno;
    tb_rf_status status;
} tb_file_bytes;

/* Reads the file at `path` (NUL-terminated, the file system's encoding)
 * into `out`. Never fails otherwise than through out->status. */
void tb_read_file(const char *path, tb_file_bytes *out);

#endif
