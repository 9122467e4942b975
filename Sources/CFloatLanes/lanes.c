// The Float pack's sweep in C, one source compiled for three instruction
// sets and chosen at run time (issue 22, item 4).
//
// Why C: Swift has no per-function target attribute, so the Annealing
// module is compiled for baseline x86-64 (SSE2) and `SIMD8<Float>` takes two
// SSE registers. Built for AVX2 (or AVX-512) the same Swift code ran the
// degree-8 Gaussian glass about a quarter faster (docs/kernels-issue22.md,
// round eleven), which only a whole-program `-target-cpu` build could give,
// and such a binary no longer runs on older CPUs. Here the body below is
// inlined into three functions, one plain and two with clang's
// `target("…")` attribute, and `cfl_best_level` picks by CPUID and XGETBV
// (the OS must save the wider registers). Swift calls the plain version
// only in tests: at level 0 it keeps its own sweeps, which ran as fast or
// faster (docs/kernels-issue22.md, round eleven).
//
// Implementation goals, in order of priority:
// 1. Bit for bit the Swift kernel it replaces (FloatPackedSystem.sweep with
//    ThinnedLanes.accepts): the same IEEE operations in the same order, no
//    contraction into fused multiply-adds (the pragma below), the same
//    draws from the same xoshiro256++ stream. So every level gives the same
//    samples for a seed, on any machine (tested against each other).
// 2. Nothing allocated, no call per spin.
//
// The arithmetic is described in FloatPackedSystem.swift and
// ThinnedLanes.swift; the constants are the Float bit patterns of the Swift
// literals there.

#include "CFloatLanes.h"
#include <string.h>

#pragma clang fp contract(off)
// The helpers below are always inlined, so how an 8-Float vector would be
// passed without AVX does not matter.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float f8 __attribute__((ext_vector_type(8)));
typedef float f4 __attribute__((ext_vector_type(4)));
typedef int32_t i8 __attribute__((ext_vector_type(8)));
typedef uint32_t u8 __attribute__((ext_vector_type(8)));
typedef uint64_t q4 __attribute__((ext_vector_type(4)));

#define INLINE static inline __attribute__((always_inline))

typedef struct { uint64_t s0, s1, s2, s3; } xoshiro;

INLINE uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

INLINE uint64_t next(xoshiro *g) {
  uint64_t result = rotl(g->s0 + g->s3, 23) + g->s0;
  uint64_t t = g->s1 << 17;
  g->s2 ^= g->s0;
  g->s3 ^= g->s1;
  g->s1 ^= g->s2;
  g->s0 ^= g->s3;
  g->s2 ^= t;
  g->s3 = rotl(g->s3, 45);
  return result;
}

INLINE f8 splat(float v) { return (f8)v; }

INLINE f8 load(const float *p) {
  f8 v;
  memcpy(&v, p, sizeof v);
  return v;
}

INLINE void store(float *p, f8 v) { memcpy(p, &v, sizeof v); }

/// m ? a : b per lane (m all ones or zero), as Swift's replace(with:where:).
INLINE f8 select(i8 m, f8 a, f8 b) { return (f8)(((i8)a & m) | ((i8)b & ~m)); }

static const float log2e = 0x1.715476p+0f;      // 1.442_695_04
static const float maxExponent = 40.0f;

/// FloatPackedSystem.expNegative.
INLINE f8 expNegative(f8 x) {
  f8 t = x * splat(log2e);
  f8 magic = splat(0x1.8p23f);
  f8 shifted = t + magic;
  i8 k = (i8)shifted - (i8)magic;
  f8 r = t - (shifted - magic);
  f8 poly = splat(-0x1.5bc932p-10f);
  poly = poly * r + splat(0x1.3d0bb8p-7f);
  poly = poly * r + splat(-0x1.c6b782p-5f);
  poly = poly * r + splat(0x1.ebf91ap-3f);
  poly = poly * r + splat(-0x1.62e428p-1f);
  poly = poly * r + splat(0x1.000002p+0f);
  f8 scale = (f8)(((u8)((i8)127 - k)) << 23);
  return poly * scale;
}

/// ThinnedLanes.expBound.
INLINE f8 expBound(f8 x) {
  f8 t = x * splat(log2e);
  f8 magic = splat(0x1.8p19f);
  u8 sixteenths = (u8)(t + magic) - (u8)magic;
  const uint32_t boundBits = (127u << 23) + (1u << 18) + 16u;
  return (f8)((u8)boundBits - (sixteenths << 19));
}

// The rules (MetropolisLanes, GibbsLanes): rule 0 Metropolis, 1 heat bath.

INLINE i8 certain(int rule, f8 x) {
  return rule == 0 ? (x <= splat(0)) : (x <= splat(-maxExponent));
}

INLINE f8 probability(int rule, f8 x) {
  if (rule == 0) {
    return select(x < splat(maxExponent), expNegative(x), splat(0));
  }
  f8 magnitude = (f8)((u8)x & (u8)0x7FFFFFFFu);
  f8 y = expNegative(magnitude);
  f8 p = splat(1) / (splat(1) + y);
  p = select(x > splat(0), y * p, p);
  return select(magnitude < splat(maxExponent), p, splat(0));
}

INLINE f8 bound(int rule, f8 x) {
  if (rule == 0) {
    f8 y = select(x > splat(-1), x, splat(-1));
    y = select(y < splat(maxExponent), y, splat(maxExponent));
    f8 p = expBound(y);
    return select(p < splat(1), p, splat(1));
  }
  f8 p = expBound(x);
  p = select((p > splat(1)) | (x <= splat(0)), splat(1), p);
  return select(x < splat(maxExponent), p, splat(0));
}

/// ThinnedLanes.quiet: u ≥ Σ p̄_k, summed as the Swift halves are.
INLINE int quiet(f8 b, double u) {
  f4 four = __builtin_shufflevector(b, b, 0, 1, 2, 3) + __builtin_shufflevector(b, b, 4, 5, 6, 7);
  float two0 = four[0] + four[2];
  float two1 = four[1] + four[3];
  return u >= (double)(two0 + two1);
}

/// ThinnedLanes.threshold, the same products in the same order.
INLINE f8 threshold(f8 p, f8 b, double u) {
  f8 q = splat(1) - b;
  f4 one = (f4)1.0f;
  f4 ql = __builtin_shufflevector(q, q, 0, 1, 2, 3);
  f4 lo = __builtin_shufflevector(one, ql, 0, 4, 5, 6);
  f4 hi = __builtin_shufflevector(q, q, 3, 4, 5, 6);
  f4 lo1 = lo * __builtin_shufflevector(one, lo, 0, 4, 5, 6);
  f4 hi1 = hi * __builtin_shufflevector(one, hi, 0, 4, 5, 6);
  f4 lo2 = lo1 * __builtin_shufflevector(one, lo1, 0, 1, 4, 5);
  f4 hi2 = hi1 * __builtin_shufflevector(one, hi1, 0, 1, 4, 5) * (f4)lo2[3];
  f8 exclusive = __builtin_shufflevector(lo2, hi2, 0, 1, 2, 3, 4, 5, 6, 7);
  f8 inclusive = exclusive * q;
  f8 v = splat((float)(1.0 - u));
  i8 after = v > exclusive;
  i8 first = (v > inclusive) & ~after;
  f8 t = select(after, p, splat(0));
  return select(first, p / b, t);
}

/// FloatPackedSystem.uniforms: four draws, eight 24-bit uniforms.
INLINE f8 uniforms(xoshiro *g) {
  uint64_t a = next(g), b = next(g), c = next(g), d = next(g);
  q4 bits = {a, b, c, d};
  u8 words = (u8)bits >> 8;
  return __builtin_convertvector((i8)words, f8) * splat(0x1p-24f);
}

INLINE int anyLane(i8 m) {
  return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5] | m[6] | m[7]) != 0;
}

enum { flushSpins = 256 };

INLINE void body(
  int rule, int64_t n, const int32_t *start, const uint64_t *edge, float *s, float *f,
  float beta, uint64_t *rng, double *total
) {
  xoshiro g = {rng[0], rng[1], rng[2], rng[3]};
  f8 b = splat(beta);
  int64_t i = 0;
  while (i < n) {
    int64_t end = n < i + flushSpins ? n : i + flushSpins;
    f8 sum = splat(0);
    for (; i < end; i++) {
      f8 si = load(s + 8 * i);
      f8 dE = splat(-2) * si * load(f + 8 * i);
      f8 x = dE * b;
      f8 pb = bound(rule, x);
      double u = (double)(next(&g) >> 11) * 0x1p-53;
      if (quiet(pb, u)) continue;
      f8 t = threshold(probability(rule, x), pb, u);
      i8 accept = (uniforms(&g) < t) | certain(rule, x);
      f8 d = select(accept, splat(-2) * si, splat(0));
      sum = select(accept, sum + dE, sum);
      if (!anyLane(accept)) continue;
      store(s + 8 * i, si + d);
      for (int64_t e = start[i], stop = start[i + 1]; e < stop; e++) {
        uint64_t word = edge[e];
        uint32_t j = (uint32_t)word;
        uint32_t jb = (uint32_t)(word >> 32);
        float J;
        memcpy(&J, &jb, sizeof J);
        float *fj = f + 8 * (int64_t)j;
        store(fj, load(fj) + d * splat(J));
      }
    }
    for (int l = 0; l < 8; l++) total[l] += (double)sum[l];
  }
  rng[0] = g.s0;
  rng[1] = g.s1;
  rng[2] = g.s2;
  rng[3] = g.s3;
}


/// f_b += d·J_ab for the edge word (b, J_ab).
INLINE void update(float *f, uint64_t word, float d) {
  uint32_t jb = (uint32_t)(word >> 32);
  float J;
  memcpy(&J, &jb, sizeof J);
  f[(uint32_t)word] += d * J;
}

/// ColourSystem.sweep: per class, decide its groups of eight slots and list
/// the accepted slots (the mask's bits index `laneTable`), then flip them.
INLINE void colourBody(
  int rule, int64_t colours, const int64_t *classStart, const int32_t *start,
  const uint64_t *edge, float *s, float *f, int32_t *flips, const int32_t *laneTable,
  const uint8_t *laneCounts, float beta, uint64_t *rng, double *energy
) {
  xoshiro g = {rng[0], rng[1], rng[2], rng[3]};
  f8 b = splat(beta);
  const i8 bit = {1, 2, 4, 8, 16, 32, 64, 128};
  double total = 0;
  for (int64_t c = 0; c < colours; c++) {
    int64_t end = classStart[c + 1];
    int64_t count = 0;
    for (int64_t a = classStart[c]; a < end; a += 8) {
      f8 x = splat(-2) * load(s + a) * load(f + a) * b;
      f8 u = uniforms(&g);
      i8 m = ((u < probability(rule, x)) | certain(rule, x)) & bit;
      int32_t bits = m[0] + m[1] + m[2] + m[3] + m[4] + m[5] + m[6] + m[7];
      i8 lanes;
      memcpy(&lanes, laneTable + 8 * bits, sizeof lanes);
      lanes += (int32_t)a;
      memcpy(flips + count, &lanes, sizeof lanes);
      count += laneCounts[bits];
    }
    for (int64_t t = 0; t < count; t++) {
      int64_t i = flips[t];
      float si = s[i];
      total += (double)(-2.0f * si * f[i]);
      s[i] = -si;
      float d = -2.0f * si;
      for (int64_t k = start[i], stop = start[i + 1]; k < stop; k += 2) {
        update(f, edge[k], d);
        update(f, edge[k + 1], d);
      }
    }
  }
  *energy += total;
  rng[0] = g.s0;
  rng[1] = g.s1;
  rng[2] = g.s2;
  rng[3] = g.s3;
}

/// The rule's p_k and p̄_k for eight x, for the tests.
INLINE void valuesBody(int rule, const float *x, float *p, float *pb) {
  f8 v = load(x);
  store(p, probability(rule, v));
  store(pb, bound(rule, v));
}

#define LEVEL(name, attributes)                                                        \
  attributes static void name(                                                         \
    int32_t rule, int64_t n, const int32_t *start, const uint64_t *edge, float *s,     \
    float *f, float beta, uint64_t *rng, double *total) {                              \
    if (rule == 0) {                                                                   \
      body(0, n, start, edge, s, f, beta, rng, total);                                 \
    } else {                                                                           \
      body(1, n, start, edge, s, f, beta, rng, total);                                 \
    }                                                                                  \
  }                                                                                    \
  attributes static void name##Values(int32_t rule, const float *x, float *p, float *pb) { \
    if (rule == 0) {                                                                   \
      valuesBody(0, x, p, pb);                                                         \
    } else {                                                                           \
      valuesBody(1, x, p, pb);                                                         \
    }                                                                                  \
  }                                                                                    \
  attributes static void name##Colour(                                                 \
    int32_t rule, int64_t colours, const int64_t *classStart, const int32_t *start,    \
    const uint64_t *edge, float *s, float *f, int32_t *flips, const int32_t *laneTable, \
    const uint8_t *laneCounts, float beta, uint64_t *rng, double *energy) {            \
    if (rule == 0) {                                                                   \
      colourBody(0, colours, classStart, start, edge, s, f, flips, laneTable,          \
                 laneCounts, beta, rng, energy);                                       \
    } else {                                                                           \
      colourBody(1, colours, classStart, start, edge, s, f, flips, laneTable,          \
                 laneCounts, beta, rng, energy);                                       \
    }                                                                                  \
  }

LEVEL(sweepBaseline, )

#if defined(__x86_64__)
#include <cpuid.h>

LEVEL(sweepAVX2, __attribute__((target("avx2"))))
LEVEL(sweepAVX512, __attribute__((target("avx2,avx512f,avx512vl,avx512bw,avx512dq"))))

int32_t cfl_best_level(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  if (!(c & (1u << 27)) || !(c & (1u << 28))) return 0;  // OSXSAVE, AVX
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0x6) != 0x6) return 0;  // the OS saves XMM and YMM
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  int avx2 = (b >> 5) & 1;
  int avx512 = ((b >> 16) & 1) && ((b >> 31) & 1);  // F and VL
  if (avx512 && avx2 && (lo & 0xE6) == 0xE6) return 2;  // and opmask, ZMM state
  return avx2 ? 1 : 0;
}
#else
int32_t cfl_best_level(void) { return 0; }
#endif

void cfl_pack_sweep(
  int32_t level, int32_t rule, int64_t n, const int32_t *start, const uint64_t *edge,
  float *s, float *f, float beta, uint64_t *rng, double *total
) {
#if defined(__x86_64__)
  if (level >= 2) {
    sweepAVX512(rule, n, start, edge, s, f, beta, rng, total);
    return;
  }
  if (level == 1) {
    sweepAVX2(rule, n, start, edge, s, f, beta, rng, total);
    return;
  }
#endif
  (void)level;
  sweepBaseline(rule, n, start, edge, s, f, beta, rng, total);
}

void cfl_colour_sweep(
  int32_t level, int32_t rule, int64_t colours, const int64_t *classStart,
  const int32_t *start, const uint64_t *edge, float *s, float *f, int32_t *flips,
  const int32_t *laneTable, const uint8_t *laneCounts, float beta, uint64_t *rng,
  double *energy
) {
#if defined(__x86_64__)
  if (level >= 2) {
    sweepAVX512Colour(rule, colours, classStart, start, edge, s, f, flips, laneTable,
                      laneCounts, beta, rng, energy);
    return;
  }
  if (level == 1) {
    sweepAVX2Colour(rule, colours, classStart, start, edge, s, f, flips, laneTable,
                    laneCounts, beta, rng, energy);
    return;
  }
#endif
  (void)level;
  sweepBaselineColour(rule, colours, classStart, start, edge, s, f, flips, laneTable,
                      laneCounts, beta, rng, energy);
}

void cfl_lane_values(int32_t level, int32_t rule, const float *x, float *p, float *pb) {
#if defined(__x86_64__)
  if (level >= 2) {
    sweepAVX512Values(rule, x, p, pb);
    return;
  }
  if (level == 1) {
    sweepAVX2Values(rule, x, p, pb);
    return;
  }
#endif
  (void)level;
  sweepBaselineValues(rule, x, p, pb);
}
