#ifndef NIMBUS_CLOUD_LIBRARIES_H
#define NIMBUS_CLOUD_LIBRARIES_H
// libcurl and libcrypto are needed only by cloud jobs. They are opened with dlopen when the
// first cloud job is set up, so a host-only exporter never maps them (with libcurl's chain of
// Kerberos, LDAP, SSH and TLS libraries, several MiB of resident memory).
#include <stddef.h>
#include <curl/curl.h>
#include <openssl/evp.h>

/// Opens libcurl and libcrypto once. Returns 0, or -1 with a reason in `error`.
int nimbus_cloud_libraries_load(char *error, size_t error_size);

// libcurl. Before a successful load these fail: CURLE_FAILED_INIT, NULL, or nothing done.
CURLcode nimbus_curl_global_init(long flags);
CURL *nimbus_curl_easy_init(void);
void nimbus_curl_easy_cleanup(CURL *handle);
void nimbus_curl_easy_reset(CURL *handle);
CURLcode nimbus_curl_easy_perform(CURL *handle);
const char *nimbus_curl_easy_strerror(CURLcode code);
struct curl_slist *nimbus_curl_slist_append(struct curl_slist *list, const char *text);
void nimbus_curl_slist_free_all(struct curl_slist *list);
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
// wrapper per argument kind.
CURLcode nimbus_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode nimbus_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode nimbus_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode nimbus_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
typedef size_t (*nimbus_curl_write_callback)(char *data, size_t size, size_t count, void *context);
CURLcode nimbus_curl_setopt_write_function(CURL *handle, nimbus_curl_write_callback callback);
CURLcode nimbus_curl_setopt_header_function(CURL *handle, nimbus_curl_write_callback callback);
CURLcode nimbus_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

// libcrypto. Before a successful load these report failure (0 or NULL).
/// SHA-256 of `length` bytes into `out` (32 bytes); 1 on success.
int nimbus_sha256(const void *data, size_t length, unsigned char *out, unsigned int *out_length);
/// HMAC-SHA256; `out` (32 bytes) on success, NULL on failure.
unsigned char *nimbus_hmac_sha256(const void *key, int key_length, const unsigned char *data, size_t length,
                                  unsigned char *out, unsigned int *out_length);
unsigned long nimbus_err_get_error(void);
void nimbus_err_error_string_n(unsigned long code, char *buffer, size_t length);

#endif
