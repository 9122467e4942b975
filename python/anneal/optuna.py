"""Anneal's tuning sampler inside Optuna, and Optuna's view of ``anneal tune`` studies.

    import optuna
    from anneal.optuna import QUBOSurrogateSampler

    study = optuna.create_study(sampler=QUBOSurrogateSampler(seed=0))
    study.optimize(objective, n_trials=50)

:class:`QUBOSurrogateSampler` infers the relative search space (the
intersection of the distributions of finished trials), spells each
parameter as a finite grid, and asks a Swift sampler of ``anneal tune``
for the next configuration through ``anneal_propose``: ``"trust-region"``
(the default here, of ``anneal tune`` and of the Swift ``Study``: a Bayesian
quadratic regression written as a QUBO and annealed inside a Hamming trust
region around the incumbent; docs/tuning.md), or the older whole-space
surrogates ``"fm"`` (factorization machine, FMQA) and ``"bocs"``. A float
without a step is continuous, as in ``anneal tune`` (pass ``float_steps`` to
put floats on a grid instead, as before). It keeps no state of
its own besides a seeded random generator, so it works with any Optuna
storage and with several workers.

:func:`export_study` copies a study that ``anneal tune`` ran (its SQLite
storage) into any Optuna storage through Optuna's public API, so
optuna-dashboard and Optuna's plots open it.
"""

from __future__ import annotations

import datetime
import json
import math
import sqlite3
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import optuna
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.search_space import IntersectionSearchSpace
from optuna.study import Study, StudyDirection
from optuna.trial import FrozenTrial, TrialState

from ._lib import AnnealError, AnnealValueError, propose

__all__ = ["QUBOSurrogateSampler", "export_study", "AnnealError", "AnnealValueError"]


# The grid of a float without ``steps`` in Anneal (``Distribution.continuousSteps``).
_CONTINUOUS_STEPS = (1 << 20) + 1


class _Grid:
    """One Optuna distribution as a finite list of values (Anneal's ``Distribution``).

    With ``float_steps=None`` a float without a step (and a long integer
    range) goes to Anneal as it is: a float as a continuous one (2²⁰ + 1
    points, refined around the incumbent by the trust region), an integer as
    its whole range; their values are computed, not listed.
    """

    def __init__(self, distribution: BaseDistribution, float_steps: Optional[int]) -> None:
        self.distribution = distribution
        self.continuous = False
        self.int_range: Optional[Tuple[int, int]] = None  # (low, step): values computed
        self.values: List[Any] = []
        steps_cap = 4 * (float_steps or 16)
        if isinstance(distribution, CategoricalDistribution):
            self.values = list(distribution.choices)
            self.spec: Dict[str, Any] = {
                "type": "categorical", "values": [str(k) for k in range(len(self.values))],
            }
        elif isinstance(distribution, IntDistribution):
            low, high, step = distribution.low, distribution.high, distribution.step
            count = (high - low) // step + 1
            if (count <= steps_cap or float_steps is None) and not distribution.log:
                self.int_range = (low, step)
                self.spec = {"type": "int", "low": low, "high": high, "step": step}
            else:
                grid = _float_grid(low, high, float_steps if float_steps is not None else 64, distribution.log)
                snapped = np.unique(low + np.round((grid - low) / step).astype(np.int64) * step)
                self.values = [int(v) for v in snapped]
                self.spec = {
                    "type": "categorical", "values": [str(v) for v in self.values],
                }
        elif isinstance(distribution, FloatDistribution):
            low, high = distribution.low, distribution.high
            if distribution.step is not None:
                count = int(round((high - low) / distribution.step)) + 1
                if count <= steps_cap or (float_steps is None and count <= 1 << 16):
                    self.values = [low + k * distribution.step for k in range(count)]
                    self.values[-1] = min(self.values[-1], high)
                    self.spec = {"type": "float", "low": low, "high": high, "steps": count}
                    return
            if float_steps is None and low != high:
                self.continuous = True
                self.spec = {"type": "float", "low": low, "high": high, "log": bool(distribution.log)}
                return
            steps = 1 if low == high else (float_steps or 16)
            self.values = list(_float_grid(low, high, steps, distribution.log))
            self.spec = {
                "type": "float", "low": low, "high": high, "steps": max(steps, 2),
                "log": bool(distribution.log),
            }
        else:
            raise TypeError(f"unsupported distribution {distribution!r}")

    def _t(self, value: float) -> float:
        d = self.distribution
        if d.log:
            return (math.log(value) - math.log(d.low)) / (math.log(d.high) - math.log(d.low))
        return (value - d.low) / (d.high - d.low)

    def index(self, value: Any) -> int:
        """The grid point nearest to ``value`` (exact for categorical and int)."""
        if isinstance(self.distribution, CategoricalDistribution):
            return self.distribution.to_internal_repr(value)
        if self.int_range is not None:
            low, step = self.int_range
            return (int(value) - low) // step
        if self.continuous:
            k = round(self._t(float(value)) * (_CONTINUOUS_STEPS - 1))
            return int(min(max(k, 0), _CONTINUOUS_STEPS - 1))
        points = np.asarray(self.values, dtype=np.float64)
        return int(np.argmin(np.abs(points - float(value))))

    def value(self, index: int) -> Any:
        """The value at grid point ``index`` (Anneal's ``Distribution.value(at:)``)."""
        if self.int_range is not None:
            low, step = self.int_range
            return low + index * step
        if not self.continuous:
            return self.values[index]
        d = self.distribution
        if index <= 0:
            return d.low
        if index >= _CONTINUOUS_STEPS - 1:
            return d.high
        t = index / (_CONTINUOUS_STEPS - 1)
        if d.log:
            v = math.exp(math.log(d.low) * (1 - t) + math.log(d.high) * t)
        else:
            v = d.low + (d.high - d.low) * t
        if d.step is not None:  # a stepped float too fine for a grid of its own
            v = d.low + round((v - d.low) / d.step) * d.step
        return min(max(v, d.low), d.high)


def _float_grid(low: float, high: float, steps: int, log: bool) -> np.ndarray:
    if steps <= 1 or low == high:
        return np.array([low], dtype=np.float64)
    t = np.linspace(0.0, 1.0, steps)
    if log:
        grid = np.exp(math.log(low) * (1 - t) + math.log(high) * t)
    else:
        grid = low + (high - low) * t
    grid[0], grid[-1] = low, high
    return grid


class QUBOSurrogateSampler(optuna.samplers.BaseSampler):
    """An Optuna sampler whose proposals come from Anneal's QUBO-surrogate tuner.

    Args:
        sampler: ``"trust-region"`` (the default, as in ``anneal tune``:
            in spaces of booleans and categoricals, a Hamming-kernel GP's
            expected improvement over the neighbours of every evaluated
            configuration and the annealed reads of its mean; where a
            parameter is ordered, a Matérn GP's expected improvement over
            moves from every evaluated configuration; measured against
            Optuna's GP in docs/tuning.md), ``"fm"``
            (factorization machine over the whole space, FMQA),
            ``"bocs"`` (Bayesian quadratic model), or ``"random"``; the names
            of ``anneal tune``.
        surrogate: the spec's ``surrogate`` options: for ``"trust-region"``
            ``model`` (``hamming-ard``, the default since issue 17's
            seventeenth round: in spaces of booleans and categoricals the
            Hamming kernel gets a fitted weight per parameter when its
            evidence beats the fixed kernel's, and elsewhere it is
            ``gp-ei``; ``gp-ei``, the default of rounds 15–16: the fixed
            Hamming kernel, and a Matérn Gaussian process over ordered
            distances where a parameter is ordered, with ``deterministic:
            true`` its noise pinned as Optuna's ``deterministic_objective``
            does — pass it for a deterministic objective only (both models
            read it); ``hamming-ei``, the default
            of rounds 12–14, the regression where a parameter is ordered;
            ``bqr``, the regression everywhere, the default until the
            twelfth round;
            ``bqr-thompson``;
            ``bqr-switch``, a draw only when the held-out fit is poor;
            ``bqr-hamming``, ``bqr-cubic``, ``bqr-spin3``, ``bqr-spin34``,
            ``hamming-gp`` and ``hamming-gp-ei``, higher-order or kernel
            models expanded to second order around the incumbent, options
            that did not beat the default (docs/tuning.md); ``fm``),
            ``startup_trials``, ``levels``, ``members``, ``local_noise``,
            ``polish_starts``, ``nearest_first_below``, ``regrow_at_best``
            (true by default since issue 17's sixth round: a collapsed
            region regrows around the incumbent where every parameter is
            shown whole; false restarts it at random), ``hamming_noise``
            (``off``, the default; ``quadratic``; ``exponential``;
            docs/tuning.md), ``initial_radius`` (the region's starting
            radius as a share of the parameters, 0.25 by default),
            ``jump_after`` (off by default: after that many collapses at
            one incumbent the region moves to the best evaluated
            configuration of another basin; docs/tuning.md), ``caution``
            (off by default: candidates ranked by the posterior mean plus
            that many posterior standard deviations), ``start_radius``
            (off by default: the first region starts at that many changed
            parameters and grows, regrowing at the initial radius after a
            collapse; docs/tuning.md); for
            ``"fm"``/``"bocs"`` ``startup_trials``,
            ``rank``, ``epochs``, ``gibbs_steps``, ``encoding``, ``penalty``.
            A float without a step is continuous (2²⁰ + 1 points, as
            ``anneal tune`` gives a float without ``steps``) unless
            ``float_steps`` is given.
        annealer: the sampler configuration that minimises the surrogate QUBO
            (default: 32 reads of 300 sweeps of SA).
        float_steps: None (the default): floats without a step are continuous
            and integer ranges whole; a number: such a float becomes a grid
            of that many points, and an integer range longer than four
            times it a grid of that many values (as this class did before its default became continuous).
        seed: seeds the proposals and the independent sampler.
        deterministic_objective: as Optuna's ``GPSampler``: True when the
            objective gives the same value for the same parameters, so the
            Gaussian process of ordered spaces pins its noise (the
            surrogate's ``deterministic: true``); leave it False for a
            noisy objective, where pinned noise measured worse
            (docs/tuning.md).
        independent_sampler: for parameters outside the relative space
            (default: Optuna's RandomSampler with the same seed).
    """

    def __init__(
        self,
        sampler: str = "trust-region",
        surrogate: Optional[Mapping[str, Any]] = None,
        annealer: Optional[Mapping[str, Any]] = None,
        float_steps: Optional[int] = None,
        seed: Optional[int] = None,
        independent_sampler: Optional[optuna.samplers.BaseSampler] = None,
        deterministic_objective: bool = False,
    ) -> None:
        if float_steps is not None and float_steps < 2:
            raise ValueError(f"float_steps must be at least 2, got {float_steps}")
        self._sampler = sampler
        self._surrogate = dict(surrogate or {})
        if deterministic_objective:
            if self._surrogate.get("deterministic", True) is not True:
                raise ValueError("deterministic_objective=True contradicts "
                                 "surrogate={'deterministic': False}")
            self._surrogate["deterministic"] = True
        self._annealer = dict(annealer) if annealer is not None else None
        self._float_steps = float_steps
        self._rng = np.random.default_rng(seed)
        self._independent = independent_sampler or optuna.samplers.RandomSampler(seed=seed)
        self._space = IntersectionSearchSpace()

    def reseed_rng(self) -> None:
        """Reseeds the generator (Optuna calls this in each worker process)."""
        self._rng = np.random.default_rng()
        self._independent.reseed_rng()

    def infer_relative_search_space(
        self, study: Study, trial: FrozenTrial
    ) -> Dict[str, BaseDistribution]:
        """The intersection of the finished trials' distributions, without fixed ones."""
        return {
            name: d for name, d in self._space.calculate(study).items() if not d.single()
        }

    def request(self, study: Study, names: Sequence[str], grids: Sequence[_Grid]) -> Dict[str, Any]:
        """The ``anneal_propose`` request for a search space."""
        if study._is_multi_objective():
            raise ValueError("QUBOSurrogateSampler supports single-objective studies only")
        out: Dict[str, Any] = {
            "sampler": self._sampler,
            "parameters": {n: g.spec for n, g in zip(names, grids)},
            "parameter_order": list(names),
            "direction": "maximize" if study.direction == StudyDirection.MAXIMIZE else "minimize",
        }
        if self._surrogate:
            out["surrogate"] = self._surrogate
        if self._annealer is not None:
            out["annealer"] = self._annealer
        return out

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: Dict[str, BaseDistribution]
    ) -> Dict[str, Any]:
        """The next configuration of the relative space, from the Swift surrogate."""
        if not search_space:
            return {}
        names = sorted(search_space)
        grids = [_Grid(search_space[n], self._float_steps) for n in names]
        rows: List[List[int]] = []
        values: List[float] = []
        states = (TrialState.COMPLETE, TrialState.RUNNING)
        for t in study.get_trials(deepcopy=False, states=states):
            if t.number == trial.number or any(n not in t.params for n in names):
                continue
            if t.state == TrialState.COMPLETE and (t.value is None or not math.isfinite(t.value)):
                continue
            rows.append([g.index(t.params[n]) for n, g in zip(names, grids)])
            values.append(t.value if t.state == TrialState.COMPLETE else math.nan)
        configurations = np.asarray(rows, dtype=np.int32).reshape(len(rows), len(names))
        seed = int(self._rng.integers(0, 2**63))
        proposed = propose(
            self.request(study, names, grids), configurations,
            np.asarray(values, dtype=np.float64), 1, seed,
        )
        if len(proposed) == 0:
            return {}
        return {n: g.value(int(k)) for n, g, k in zip(names, grids, proposed[0])}

    def sample_independent(
        self,
        study: Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        """A parameter outside the relative space: the independent sampler's choice."""
        return self._independent.sample_independent(study, trial, param_name, param_distribution)


def _distribution(spec: Mapping[str, Any]) -> BaseDistribution:
    kind = spec.get("type")
    if kind == "float":
        return FloatDistribution(float(spec["low"]), float(spec["high"]), log=bool(spec.get("log", False)))
    if kind == "int":
        return IntDistribution(int(spec["low"]), int(spec["high"]), step=int(spec.get("step", 1)))
    if kind == "categorical":
        return CategoricalDistribution(list(spec["values"]))
    if kind == "bool":
        return CategoricalDistribution([False, True])
    raise ValueError(f"unknown distribution type {kind!r} in the Anneal study")


def _sqlite_path(url: str) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ValueError(
            f"{url!r} is not an Anneal SQLite storage URL (sqlite:///relative.db or sqlite:////absolute.db)"
        )
    return url[len(prefix):]


_STATES = {
    "complete": TrialState.COMPLETE,
    "pruned": TrialState.PRUNED,
    "failed": TrialState.FAIL,
}


def export_study(
    anneal_storage_url: str, study_name: str, optuna_storage_url: str
) -> Study:
    """Copies a study that ``anneal tune`` ran into an Optuna storage.

    Reads Anneal's SQLite schema (``studies``, ``trials`` with a JSON
    ``payload``: parameters, distributions, intermediate values, user
    attributes) and writes each finished trial with ``optuna.create_study``
    and ``Study.add_trial``, so optuna-dashboard and ``optuna.visualization``
    open it. Running and waiting trials are left out (Optuna only adds
    finished ones); their count is in the study's user attribute
    ``anneal_unfinished_trials``. Raises ``ValueError`` for a missing study
    and ``optuna.exceptions.DuplicatedStudyError`` when the Optuna storage
    already holds one of that name.
    """
    path = _sqlite_path(anneal_storage_url)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise ValueError(f"cannot open {path}: {e}") from e
    try:
        row = db.execute("SELECT direction FROM studies WHERE name = ?", (study_name,)).fetchone()
        if row is None:
            names = [r[0] for r in db.execute("SELECT name FROM studies ORDER BY name")]
            raise ValueError(f"no study {study_name!r} in {path} (studies: {', '.join(names) or 'none'})")
        direction = row[0]
        trials = db.execute(
            "SELECT number, state, value, payload, started, finished FROM trials "
            "WHERE study = ? ORDER BY number",
            (study_name,),
        ).fetchall()
    except sqlite3.Error as e:
        raise ValueError(f"{path} is not an Anneal tuning storage: {e}") from e
    finally:
        db.close()
    study = optuna.create_study(
        storage=optuna_storage_url, study_name=study_name, direction=direction
    )
    unfinished = 0
    for number, state, value, payload_text, started, finished in trials:
        if state not in _STATES:
            unfinished += 1
            continue
        payload = json.loads(payload_text)
        distributions = {
            name: _distribution(spec) for name, spec in payload.get("distributions", {}).items()
        }
        params = {
            name: v for name, v in payload.get("params", {}).items() if name in distributions
        }
        intermediate = {
            int(step): float(v) for step, v in payload.get("intermediate", {}).items()
        }
        user_attrs = dict(payload.get("user_attrs", {}))
        user_attrs["anneal_trial_number"] = number
        trial = optuna.trial.create_trial(
            state=_STATES[state],
            value=value if state == "complete" else None,
            params=params,
            distributions=distributions,
            user_attrs=user_attrs,
            intermediate_values=intermediate,
        )
        if started is not None:
            trial.datetime_start = datetime.datetime.fromtimestamp(started)
        if finished is not None:
            trial.datetime_complete = datetime.datetime.fromtimestamp(finished)
        study.add_trial(trial)
    study.set_user_attr("anneal_unfinished_trials", unfinished)
    study.set_user_attr("anneal_storage", anneal_storage_url)
    return study
