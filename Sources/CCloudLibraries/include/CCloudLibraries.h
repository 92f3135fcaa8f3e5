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

// RS256 (RSASSA-PKCS1-v1_5 with SHA-256), as JWTs for Google's token endpoint need it.
#define NIMBUS_SIGN_OK 1
/// libcrypto failed while signing; the reason is on the thread's error queue.
#define NIMBUS_SIGN_FAILED 0
#define NIMBUS_SIGN_NOT_LOADED (-1)
/// The PEM text held no readable (unencrypted) private key.
#define NIMBUS_SIGN_BAD_KEY (-2)
/// A private key, but not an RSA one.
#define NIMBUS_SIGN_NOT_RSA (-3)
/// `out_capacity` is smaller than the signature.
#define NIMBUS_SIGN_BUFFER_TOO_SMALL (-4)
/// Reads the PEM private key (PKCS#8 or PKCS#1) from memory, signs `length` bytes of `data` and
/// writes the signature to `out`, its length to `out_length`. Keys and contexts are freed before
/// returning; encrypted keys are refused rather than prompting for a passphrase.
int nimbus_rsa_sha256_sign(const char *pem, size_t pem_length, const unsigned char *data, size_t length,
                           unsigned char *out, size_t out_capacity, size_t *out_length);

#endif
