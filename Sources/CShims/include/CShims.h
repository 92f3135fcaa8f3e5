#ifndef NIMBUS_CSHIMS_H
#define NIMBUS_CSHIMS_H
// Small typed wrappers for C APIs that Swift cannot call directly:
// variadic functions (MHD_start_daemon, curl_easy_setopt) and function-like macros (deflateInit2).
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <microhttpd.h>
#include <curl/curl.h>
#include <zlib.h>

/// Starts a libmicrohttpd daemon on an already listening socket, with a connection timeout
/// (seconds) and a connection limit always set. Returns NULL on failure.
struct MHD_Daemon *nimbus_mhd_start(unsigned int flags,
                                    int listen_fd,
                                    MHD_AccessHandlerCallback handler,
                                    void *handler_cls,
                                    unsigned int connection_timeout_seconds,
                                    unsigned int connection_limit);

/// Prepares a zlib stream that writes the gzip container (window bits 15 + 16).
int nimbus_deflate_init_gzip(z_stream *stream, int level);

/// Typed curl_easy_setopt wrappers.
static inline CURLcode nimbus_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode nimbus_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode nimbus_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*nimbus_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode nimbus_curl_setopt_write_function(CURL *handle, nimbus_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode nimbus_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
