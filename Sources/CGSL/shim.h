#ifndef ANNEAL_CGSL_SHIM_H
#define ANNEAL_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sf_log.h>
#include <gsl/gsl_sf_exp.h>

/* The BFGS2 minimizer type, read through a function: Swift 6 refuses direct
   references to C globals that are mutable. */
static inline const gsl_multimin_fdfminimizer_type *anneal_multimin_bfgs2(void) {
  return gsl_multimin_fdfminimizer_vector_bfgs2;
}
#endif
