/*
 * anneal.h — the C interface to Anneal (libAnnealC), plain C types only.
 *
 * Every function returns ANNEAL_OK (0) or an error code; on an error, when
 * `error` is not NULL, *error receives a message allocated with malloc that
 * the caller frees with anneal_string_free. Nothing traps on bad input.
 *
 * Thread safety: a model is immutable once made and may be sampled from any
 * number of threads at once; a result belongs to its caller. There is no
 * global state.
 *
 * Determinism: the same model, configuration and seed give the same samples
 * and energies as `anneal solve FILE --seed SEED` with the same parameters,
 * at any thread count.
 */
#ifndef ANNEAL_H
#define ANNEAL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  ANNEAL_OK = 0,
  /* A bad argument: an index out of range, a NaN bias, malformed JSON, an
     unknown sampler parameter. */
  ANNEAL_INVALID_ARGUMENT = 1,
  /* The sampler or proposer refused or failed at run time. */
  ANNEAL_RUNTIME_ERROR = 2,
};

enum { ANNEAL_SPIN = 0, ANNEAL_BINARY = 1 };

typedef struct anneal_model anneal_model;
typedef struct anneal_result anneal_result;

/* The library's version, a static string. */
const char *anneal_version(void);

/* Frees a message or string returned by this library (NULL is fine). */
void anneal_string_free(char *string);

/*
 * A model on the variables 0..num_variables-1:
 *   E(x) = offset + sum_i linear[i] x_i + sum_k quadratic[k] x_rows[k] x_cols[k]
 * with x in {-1, +1} (ANNEAL_SPIN) or {0, 1} (ANNEAL_BINARY). Repeated pairs
 * are summed; rows[k] == cols[k] folds into the linear bias (binary) or the
 * offset (spin). The arrays are read once and may be freed on return.
 */
int32_t anneal_model_create(
    int64_t num_variables, const double *linear, int64_t num_interactions,
    const int64_t *rows, const int64_t *cols, const double *quadratic,
    double offset, int32_t vartype, anneal_model **model, char **error);

void anneal_model_free(anneal_model *model);

int64_t anneal_model_num_variables(const anneal_model *model);
int64_t anneal_model_num_interactions(const anneal_model *model);

/*
 * Samples a model. `configuration` is a sampler as data, the JSON object
 * `anneal solve` and the spec files take, e.g.
 *   {"sampler": "sa", "reads": 10, "sweeps": 1000, "beta_range": [0.1, 5]}
 * (NULL or "" means {"sampler": "sa"}). `initial_states`, when not NULL, is
 * num_initial_states rows of num_variables values in the model's vartype
 * (-1/+1 or 0/1), row-major; read r starts from row r % num_initial_states.
 */
int32_t anneal_sample(
    const anneal_model *model, const char *configuration, uint64_t seed,
    const int8_t *initial_states, int64_t num_initial_states,
    anneal_result **result, char **error);

void anneal_result_free(anneal_result *result);

int64_t anneal_result_num_rows(const anneal_result *result);
int64_t anneal_result_num_variables(const anneal_result *result);
/* num_rows x num_variables values in the model's vartype, row-major. */
const int8_t *anneal_result_samples(const anneal_result *result);
const double *anneal_result_energies(const anneal_result *result);
const int64_t *anneal_result_occurrences(const anneal_result *result);
/* The SampleSet's info plus "configuration" and "seed", as a JSON object;
   owned by the result. */
const char *anneal_result_info(const anneal_result *result);

/*
 * Proposes up to `count` configurations to evaluate next with a tuning
 * sampler of `anneal tune` (the QUBO surrogate by default).
 *
 * `request` is a JSON object with the keys of a tuning spec that concern the
 * proposer: "parameters" (name -> {"type": "float"|"int"|"categorical"|
 * "bool", ...}, as in a spec), "parameter_order" (the names in order),
 * "direction", "sampler" ("qubo-surrogate", "fm", "bocs", "random", "grid"),
 * "surrogate", "annealer".
 *
 * The history is num_trials rows of num_parameters value indices
 * (`configurations`, row-major, in parameter_order) with `values` (the
 * objective; NaN for a running trial, whose configuration is not proposed
 * again). `proposals` receives count x num_parameters indices and
 * *num_proposed how many rows were written.
 */
int32_t anneal_propose(
    const char *request, int64_t num_trials, int64_t num_parameters,
    const int32_t *configurations, const double *values, int64_t count,
    uint64_t seed, int32_t *proposals, int64_t *num_proposed, char **error);

#ifdef __cplusplus
}
#endif

#endif /* ANNEAL_H */
