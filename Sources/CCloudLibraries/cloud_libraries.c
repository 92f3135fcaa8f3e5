#include "CCloudLibraries.h"
#include <dlfcn.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// Resolved entry points; all set, or none.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    int (*evp_digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
    const EVP_MD *(*evp_sha256)(void);
    unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *, unsigned int *);
    unsigned long (*err_get_error)(void);
    void (*err_error_string_n)(unsigned long, char *, size_t);
    BIO *(*bio_new_mem_buf)(const void *, int);
    int (*bio_free)(BIO *);
    EVP_PKEY *(*pem_read_bio_private_key)(BIO *, EVP_PKEY **, pem_password_cb *, void *);
    void (*pkey_free)(EVP_PKEY *);
    int (*pkey_base_id)(const EVP_PKEY *);
    EVP_MD_CTX *(*md_ctx_new)(void);
    void (*md_ctx_free)(EVP_MD_CTX *);
    int (*digest_sign_init)(EVP_MD_CTX *, EVP_PKEY_CTX **, const EVP_MD *, ENGINE *, EVP_PKEY *);
    int (*digest_sign)(EVP_MD_CTX *, unsigned char *, size_t *, const unsigned char *, size_t);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[512];

static void *open_first(const char *const *names) {
    for (; *names; names++) {
        void *handle = dlopen(*names, RTLD_NOW | RTLD_LOCAL);
        if (handle) return handle;
    }
    return NULL;
}

// OpenSSL 3 renamed some functions and kept the old names as macros only: try the new name,
// then the old one.
#define RESOLVE_EITHER(library, field, symbol, older)                                    \
    do {                                                                                 \
        *(void **)(&api.field) = dlsym(library, symbol);                                 \
        if (!api.field) *(void **)(&api.field) = dlsym(library, older);                  \
        if (!api.field) {                                                                \
            snprintf(load_error, sizeof load_error, "symbol %s missing", symbol);        \
            memset(&api, 0, sizeof api);                                                 \
            return;                                                                      \
        }                                                                                \
    } while (0)

#define RESOLVE(library, field, symbol)                                                  \
    do {                                                                                 \
        *(void **)(&api.field) = dlsym(library, symbol);                                 \
        if (!api.field) {                                                                \
            snprintf(load_error, sizeof load_error, "symbol %s missing", symbol);        \
            memset(&api, 0, sizeof api);                                                 \
            return;                                                                      \
        }                                                                                \
    } while (0)

static void load_once(void) {
    static const char *const curl_names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};
    static const char *const crypto_names[] = {"libcrypto.so.3", "libcrypto.so", NULL};
    void *curl = open_first(curl_names);
    if (!curl) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl (Debian: libcurl4): %s", dlerror());
        return;
    }
    void *crypto = open_first(crypto_names);
    if (!crypto) {
        snprintf(load_error, sizeof load_error, "cannot load libcrypto (Debian: libssl3): %s", dlerror());
        return;
    }
    RESOLVE(curl, global_init, "curl_global_init");
    RESOLVE(curl, easy_init, "curl_easy_init");
    RESOLVE(curl, easy_cleanup, "curl_easy_cleanup");
    RESOLVE(curl, easy_reset, "curl_easy_reset");
    RESOLVE(curl, easy_perform, "curl_easy_perform");
    RESOLVE(curl, easy_strerror, "curl_easy_strerror");
    RESOLVE(curl, slist_append, "curl_slist_append");
    RESOLVE(curl, slist_free_all, "curl_slist_free_all");
    RESOLVE(curl, easy_setopt, "curl_easy_setopt");
    RESOLVE(curl, easy_getinfo, "curl_easy_getinfo");
    RESOLVE(crypto, evp_digest, "EVP_Digest");
    RESOLVE(crypto, evp_sha256, "EVP_sha256");
    RESOLVE(crypto, hmac, "HMAC");
    RESOLVE(crypto, err_get_error, "ERR_get_error");
    RESOLVE(crypto, err_error_string_n, "ERR_error_string_n");
    RESOLVE(crypto, bio_new_mem_buf, "BIO_new_mem_buf");
    RESOLVE(crypto, bio_free, "BIO_free");
    RESOLVE(crypto, pem_read_bio_private_key, "PEM_read_bio_PrivateKey");
    RESOLVE(crypto, pkey_free, "EVP_PKEY_free");
    RESOLVE_EITHER(crypto, pkey_base_id, "EVP_PKEY_get_base_id", "EVP_PKEY_base_id");
    RESOLVE(crypto, md_ctx_new, "EVP_MD_CTX_new");
    RESOLVE(crypto, md_ctx_free, "EVP_MD_CTX_free");
    RESOLVE(crypto, digest_sign_init, "EVP_DigestSignInit");
    RESOLVE(crypto, digest_sign, "EVP_DigestSign");
    load_status = 0;
}

int nimbus_cloud_libraries_load(char *error, size_t error_size) {
    pthread_once(&once, load_once);
    if (load_status != 0 && error && error_size > 0) snprintf(error, error_size, "%s", load_error);
    return load_status;
}

static int loaded(void) { return nimbus_cloud_libraries_load(NULL, 0) == 0; }

CURLcode nimbus_curl_global_init(long flags) { return loaded() ? api.global_init(flags) : CURLE_FAILED_INIT; }
CURL *nimbus_curl_easy_init(void) { return loaded() ? api.easy_init() : NULL; }
void nimbus_curl_easy_cleanup(CURL *handle) { if (loaded()) api.easy_cleanup(handle); }
void nimbus_curl_easy_reset(CURL *handle) { if (loaded()) api.easy_reset(handle); }
CURLcode nimbus_curl_easy_perform(CURL *handle) { return loaded() ? api.easy_perform(handle) : CURLE_FAILED_INIT; }
const char *nimbus_curl_easy_strerror(CURLcode code) {
    return loaded() ? api.easy_strerror(code) : "libcurl is not loaded";
}
struct curl_slist *nimbus_curl_slist_append(struct curl_slist *list, const char *text) {
    return loaded() ? api.slist_append(list, text) : NULL;
}
void nimbus_curl_slist_free_all(struct curl_slist *list) { if (loaded()) api.slist_free_all(list); }

CURLcode nimbus_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return loaded() ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return loaded() ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return loaded() ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return loaded() ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_setopt_write_function(CURL *handle, nimbus_curl_write_callback callback) {
    return loaded() ? api.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_setopt_header_function(CURL *handle, nimbus_curl_write_callback callback) {
    return loaded() ? api.easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback) : CURLE_FAILED_INIT;
}
CURLcode nimbus_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return loaded() ? api.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}

int nimbus_sha256(const void *data, size_t length, unsigned char *out, unsigned int *out_length) {
    return loaded() ? api.evp_digest(data, length, out, out_length, api.evp_sha256(), NULL) : 0;
}
unsigned char *nimbus_hmac_sha256(const void *key, int key_length, const unsigned char *data, size_t length,
                                  unsigned char *out, unsigned int *out_length) {
    return loaded() ? api.hmac(api.evp_sha256(), key, key_length, data, length, out, out_length) : NULL;
}
unsigned long nimbus_err_get_error(void) { return loaded() ? api.err_get_error() : 0; }
void nimbus_err_error_string_n(unsigned long code, char *buffer, size_t length) {
    if (loaded()) {
        api.err_error_string_n(code, buffer, length);
    } else if (length > 0) {
        snprintf(buffer, length, "%s", load_error);
    }
}

// Without a callback OpenSSL would prompt on the terminal for an encrypted key's passphrase.
static int refuse_passphrase(char *buffer, int size, int rwflag, void *context) {
    (void)buffer; (void)size; (void)rwflag; (void)context;
    return -1;
}

int nimbus_rsa_sha256_sign(const char *pem, size_t pem_length, const unsigned char *data, size_t length,
                           unsigned char *out, size_t out_capacity, size_t *out_length) {
    if (!loaded()) return NIMBUS_SIGN_NOT_LOADED;
    if (pem_length > 1024 * 1024) return NIMBUS_SIGN_BAD_KEY;
    BIO *bio = api.bio_new_mem_buf(pem, (int)pem_length);
    if (!bio) return NIMBUS_SIGN_FAILED;
    EVP_PKEY *key = api.pem_read_bio_private_key(bio, NULL, refuse_passphrase, NULL);
    api.bio_free(bio);
    if (!key) return NIMBUS_SIGN_BAD_KEY;
    int status = NIMBUS_SIGN_FAILED;
    EVP_MD_CTX *context = NULL;
    size_t needed = 0;
    if (api.pkey_base_id(key) != EVP_PKEY_RSA) {
        status = NIMBUS_SIGN_NOT_RSA;
        goto done;
    }
    context = api.md_ctx_new();
    // RSA keys sign with PKCS#1 v1.5 padding unless told otherwise: what RS256 wants.
    if (!context || api.digest_sign_init(context, NULL, api.evp_sha256(), NULL, key) != 1) goto done;
    if (api.digest_sign(context, NULL, &needed, data, length) != 1) goto done;
    if (needed > out_capacity) {
        status = NIMBUS_SIGN_BUFFER_TOO_SMALL;
        goto done;
    }
    *out_length = out_capacity;
    if (api.digest_sign(context, out, out_length, data, length) != 1) goto done;
    status = NIMBUS_SIGN_OK;
done:
    if (context) api.md_ctx_free(context);
    api.pkey_free(key);
    return status;
}
