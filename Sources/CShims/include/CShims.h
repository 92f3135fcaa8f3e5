#ifndef NIMBUS_CSHIMS_H
#define NIMBUS_CSHIMS_H
// Small typed wrappers for C APIs that Swift cannot call directly:
// variadic functions (MHD_start_daemon) and function-like macros (deflateInit2).
// (curl_easy_setopt's typed wrappers live in CCurl's shim.h, so only code that uses curl links it.)
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <microhttpd.h>
#include <zlib.h>

/// Starts a libmicrohttpd daemon on an already listening socket: an internal polling thread,
/// one thread per connection (a slow client never blocks another), quiesce support, and a
/// connection timeout (seconds) and connection limit always set. Returns NULL on failure.
struct MHD_Daemon *nimbus_mhd_start(int listen_fd,
                                    int ipv6,
                                    MHD_AccessHandlerCallback handler,
                                    void *handler_cls,
                                    MHD_RequestCompletedCallback completed,
                                    unsigned int connection_timeout_seconds,
                                    unsigned int connection_limit);

/// statfs(2) results, widened. glibc's statvfs(3) would also parse /proc/mounts on every call
/// to fill f_flag, which costs about a millisecond per mount; plain statfs does not.
struct nimbus_statfs_result {
    unsigned long long block_size;
    unsigned long long blocks;
    unsigned long long free_blocks;
    unsigned long long available_blocks;
    unsigned long long files;
    unsigned long long free_files;
};

/// statfs(2) on `path`; 0 on success, else -1 with errno set (EINTR is retried).
int nimbus_statfs(const char *path, struct nimbus_statfs_result *result);

/// Caps glibc's malloc arenas (mallopt(M_ARENA_MAX)); malloc.h is not part of Swift's Glibc module.
int nimbus_limit_malloc_arenas(int count);

/// Prepares a zlib stream that writes the gzip container (window bits 15 + 16).
int nimbus_deflate_init_gzip(z_stream *stream, int level);

/// The kernel clock's state as adjtimex(2) reports it (struct timex from <sys/timex.h>, which
/// Swift's Glibc module does not import), every field widened to 64 bits.
struct nimbus_timex {
    int64_t offset;     // microseconds, or nanoseconds when status has STA_NANO
    int64_t freq;       // ppm with a 16-bit fraction
    int64_t maxerror;   // microseconds
    int64_t esterror;   // microseconds
    int64_t status;     // STA_* bits
    int64_t constant;   // PLL time constant
    int64_t precision;  // microseconds
    int64_t tolerance;  // ppm with a 16-bit fraction
    int64_t tick;       // microseconds between clock ticks
    int64_t ppsfreq;    // ppm with a 16-bit fraction
    int64_t jitter;     // microseconds, or nanoseconds with STA_NANO
    int64_t shift;      // PPS interval, log2 seconds
    int64_t stabil;     // ppm with a 16-bit fraction
    int64_t jitcnt;
    int64_t calcnt;
    int64_t errcnt;
    int64_t stbcnt;
    int64_t tai;        // seconds
};

/// Reads the clock state without changing it (modes 0). Returns the clock state
/// (TIME_OK 0 ... TIME_ERROR 5), or -errno on failure.
int nimbus_adjtimex_read(struct nimbus_timex *out);

/// Drops this executable's code pages from the resident set (they stay in the page cache);
/// returns the bytes of the mapping released, or -1.
long nimbus_release_code_pages(void);

#endif
