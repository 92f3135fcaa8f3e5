#ifndef NIMBUS_COPENSSL_SHIM_H
#define NIMBUS_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#endif
