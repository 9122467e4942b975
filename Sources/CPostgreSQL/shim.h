#ifndef ANNEAL_CPOSTGRESQL_SHIM_H
#define ANNEAL_CPOSTGRESQL_SHIM_H
#include <libpq-fe.h>
#endif
