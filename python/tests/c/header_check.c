/* Compiled by test_c_header.py: the header declares what the library exports. */
#include <stdio.h>
#include <math.h>
#include "anneal.h"
int main(void) {
  double h[3] = {0.5, -1, 0}; int64_t r[2] = {0, 1}, c[2] = {1, 2}; double q[2] = {1, -1};
  anneal_model *m = NULL; char *err = NULL;
  if (anneal_model_create(3, h, 2, r, c, q, 0, ANNEAL_SPIN, &m, &err) != ANNEAL_OK) { printf("%s\n", err); return 1; }
  anneal_result *res = NULL;
  if (anneal_sample(m, "{\"sampler\": \"exact\"}", 1, NULL, 0, &res, &err) != ANNEAL_OK) { printf("%s\n", err); return 1; }
  printf("%s rows=%lld best=%g\n", anneal_version(), (long long)anneal_result_num_rows(res), anneal_result_energies(res)[0]);
  anneal_result_free(res);
  double nan_h[3] = {NAN, 0, 0};
  int s = anneal_model_create(3, nan_h, 0, NULL, NULL, NULL, 0, ANNEAL_SPIN, &m, &err);
  printf("status %d: %s\n", s, err); anneal_string_free(err);
  int32_t out[2]; int64_t k = 0;
  s = anneal_propose("{\"parameters\": {\"x\": {\"type\": \"int\", \"low\": 0, \"high\": 5}}}", 0, 1, NULL, NULL, 2, 3, out, &k, &err);
  printf("propose %d: %lld rows, %d %d\n", s, (long long)k, out[0], out[1]);
  anneal_model_free(m);
  return 0;
}
