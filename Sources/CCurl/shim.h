#ifndef NIMBUS_CCURL_SHIM_H
#define NIMBUS_CCURL_SHIM_H
#include <curl/curl.h>
#endif
