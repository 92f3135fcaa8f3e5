#ifndef NIMBUS_CCURL_SHIM_H
#define NIMBUS_CCURL_SHIM_H
// Headers only: libcurl is opened at run time by CCloudLibraries.
#include <curl/curl.h>
#endif
