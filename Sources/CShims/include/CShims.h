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

/// Caps glibc's malloc arenas (mallopt(M_ARENA_MAX)); malloc.h is not part of Swift's Glibc module.
int nimbus_limit_malloc_arenas(int count);

/// Prepares a zlib stream that writes the gzip container (window bits 15 + 16).
int nimbus_deflate_init_gzip(z_stream *stream, int level);

#endif
