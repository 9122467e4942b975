// The Float pack's sweep (Sources/Annealing/SimulatedAnnealing/
// FloatPackedSystem.swift) in C, compiled once per instruction set and
// chosen at run time (issue 22, item 4; lanes.c says why).
#ifndef CFLOATLANES_H
#define CFLOATLANES_H

#include <stdint.h>

/// One sweep of a pack of eight Float lanes in index order: rule 0 is
/// Metropolis, 1 heat bath. `s`, `f`: n groups of eight Floats; `edge`:
/// (j, J_ij as Float bits) words; `rng`: the xoshiro256++ state, read and
/// written back; `total`: eight Doubles, the lanes' accepted ΔE, added to.
/// `level`: 0 baseline, 1 AVX2, 2 AVX-512 (at most `cfl_best_level()`).
void cfl_pack_sweep(
  int32_t level, int32_t rule, int64_t n, const int32_t *start, const uint64_t *edge,
  float *s, float *f, float beta, uint64_t *rng, double *total);

/// One sweep of one read laid out in colour classes (ColourSystem.swift):
/// `colours` classes, slots `classStart[c] ..< classStart[c + 1]` (multiples
/// of 8); rows of even length; `flips`: room for the largest class + 8;
/// `laneTable`, `laneCounts`: ColourLayout's; `energy` added to.
void cfl_colour_sweep(
  int32_t level, int32_t rule, int64_t colours, const int64_t *classStart,
  const int32_t *start, const uint64_t *edge, float *s, float *f, int32_t *flips,
  const int32_t *laneTable, const uint8_t *laneCounts, float beta, uint64_t *rng,
  double *energy);

/// The rule's acceptance probabilities p_k and bounds p̄_k for eight x = βΔE
/// (`p`, `pb`: eight Floats each), as the sweeps compute them; for tests.
void cfl_lane_values(int32_t level, int32_t rule, const float *x, float *p, float *pb);

/// The widest level this CPU and OS run: 2 with AVX-512 F/VL, 1 with AVX2,
/// else 0 (always 0 off x86-64).
int32_t cfl_best_level(void);

#endif
