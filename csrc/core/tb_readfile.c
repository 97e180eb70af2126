/* See tb_readfile.h. */
#include "tb_readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(tb_file_bytes *out, int fd, tb_rf_status status, int e) {
    if (fd >= 0) close(fd);
    free(out->data);
    out->data = NULL;
    out->len = 0;
    out->status = status;
    out->sys_errno = e;
}

void tb_read_file(const char *path, tb_file_bytes *out) {
    out->data = NULL;
    out->len = 0;
    out->sys_errno = 0;
    out->status = TB_RF_OK;
    struct stat st;
    if (stat(path, &st) != 0) return fail(out, -1, TB_RF_ERRNO, errno);
    if (S_ISDIR(st.st_mode)) return fail(out, -1, TB_RF_DIRECTORY, EISDIR);
    if (!S_ISREG(st.st_mode)) return fail(out, -1, TB_RF_NOT_REGULAR, 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(out, -1, TB_RF_ERRNO, errno);
    /* the size stat gave, grown if the file grows while it is read */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    out->data = malloc(cap);
    if (out->data == NULL) return fail(out, fd, TB_RF_ERRNO, ENOMEM);
    for (;;) {
        if (out->len == cap) {
            uint8_t *p = realloc(out->data, 2 * cap);
            if (p == NULL) return fail(out, fd, TB_RF_ERRNO, ENOMEM);
            out->data = p;
            cap *= 2;
        }
        ssize_t r = read(fd, out->data + out->len, cap - out->len);
        if (r < 0) {
            if (errno == EINTR) continue;
            return fail(out, fd, TB_RF_ERRNO, errno);
        }
        if (r == 0) break;
        out->len += (size_t)r;
    }
    close(fd);
}
