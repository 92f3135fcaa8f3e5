#ifndef NIMBUS_CZLIB_SHIM_H
#define NIMBUS_CZLIB_SHIM_H
#include <zlib.h>
#endif
