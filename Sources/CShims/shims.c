#include "CShims.h"
#include <errno.h>
#include <malloc.h>
#include <errno.h>
#include <sys/vfs.h>
#include <string.h>
#include <sys/timex.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdint.h>

struct MHD_Daemon *nimbus_mhd_start(int listen_fd,
                                    int ipv6,
                                    MHD_AccessHandlerCallback handler,
                                    void *handler_cls,
                                    MHD_RequestCompletedCallback completed,
                                    unsigned int connection_timeout_seconds,
                                    unsigned int connection_limit) {
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION
                       | MHD_USE_POLL | MHD_USE_ITC;
    if (ipv6) flags |= MHD_USE_IPv6;
    // Port 0: the daemon uses the socket passed in MHD_OPTION_LISTEN_SOCKET.
    return MHD_start_daemon(flags, 0,
                            NULL, NULL,
                            handler, handler_cls,
                            MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, handler_cls,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_END);
}

int nimbus_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

int nimbus_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

int nimbus_adjtimex_read(struct nimbus_timex *out) {
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.modes = 0;
    int state = adjtimex(&tx);
    if (state < 0) return -errno;
    out->offset = tx.offset;
    out->freq = tx.freq;
    out->maxerror = tx.maxerror;
    out->esterror = tx.esterror;
    out->status = tx.status;
    out->constant = tx.constant;
    out->precision = tx.precision;
    out->tolerance = tx.tolerance;
    out->tick = tx.tick;
    out->ppsfreq = tx.ppsfreq;
    out->jitter = tx.jitter;
    out->shift = tx.shift;
    out->stabil = tx.stabil;
    out->jitcnt = tx.jitcnt;
    out->calcnt = tx.calcnt;
    out->errcnt = tx.errcnt;
    out->stbcnt = tx.stbcnt;
    out->tai = tx.tai;
    return state;
}

int nimbus_statfs(const char *path, struct nimbus_statfs_result *result) {
    struct statfs buffer;
    int code;
    do {
        code = statfs(path, &buffer);
    } while (code != 0 && errno == EINTR);
    if (code != 0) return -1;
    result->block_size = (unsigned long long)buffer.f_bsize;
    result->blocks = (unsigned long long)buffer.f_blocks;
    result->free_blocks = (unsigned long long)buffer.f_bfree;
    result->available_blocks = (unsigned long long)buffer.f_bavail;
    result->files = (unsigned long long)buffer.f_files;
    result->free_files = (unsigned long long)buffer.f_ffree;
    return 0;
}

// Unmaps the resident pages of this executable's code. They stay in the page cache, so the
// code that keeps running (the scrape path) faults back in at the cost of a minor fault, while
// code that only ran at start-up (flag parsing, configuration) stops counting as resident.
long nimbus_release_code_pages(void) {
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) return -1;
    uintptr_t self = (uintptr_t)&nimbus_release_code_pages;
    char line[512];
    long released = -1;
    while (fgets(line, sizeof line, maps)) {
        uintptr_t start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3) continue;
        if (self < start || self >= end || perms[2] != 'x') continue;
        if (madvise((void *)start, end - start, MADV_DONTNEED) == 0) released = (long)(end - start);
        break;
    }
    fclose(maps);
    return released;
}
