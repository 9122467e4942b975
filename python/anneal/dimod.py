"""Anneal's samplers as dimod samplers: swap one import, keep every line after it.

    from anneal.dimod import SimulatedAnnealingSampler   # was: from dwave.samplers import ...
    sampleset = SimulatedAnnealingSampler().sample(bqm, num_reads=10, seed=1)

Parameter names follow dwave-samplers (``num_reads``, ``num_sweeps``,
``beta_range``, ``beta_schedule_type``, ``seed``, ``initial_states``,
``initial_states_generator``, ``timeout``...) and OpenJij for simulated
quantum annealing (``trotter``, ``gamma``, ``beta``). Each sampler turns its
keywords into the sampler configuration of ``anneal solve`` and runs the
Swift kernel through libAnnealC; the returned SampleSet's ``info`` carries
the kernel's report (``spin_updates``, ``sample_seconds``, the full
``configuration`` and the ``seed``), so a run can be repeated with
``anneal solve FILE --seed SEED`` and gives the same samples.

Labels stay in Python: the model crosses as dimod's ``to_numpy_vectors``
arrays in ``bqm.variables`` order, and the rows come back as one numpy
array, with no Python loop over variables or interactions.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import dimod
import numpy as np

from ._lib import BINARY, SPIN, AnnealError, AnnealValueError, Model
from ._remote import RemoteSampler, RemoteSamplerError

__all__ = [
    "SimulatedAnnealingSampler",
    "PathIntegralAnnealingSampler",
    "ParallelTemperingSampler",
    "TabuSampler",
    "SteepestDescentSolver",
    "ExactSolver",
    "AnnealError",
    "AnnealValueError",
    "RemoteSampler",
    "RemoteSamplerError",
]


def model_from_bqm(bqm: dimod.BinaryQuadraticModel) -> Tuple[Model, List[Any]]:
    """The Swift model of ``bqm`` on ``0..n-1`` and the labels in that order."""
    # sort_labels=False keeps bqm.variables' order (the default sorts labels).
    linear, (rows, cols, quadratic), offset, labels = bqm.to_numpy_vectors(
        sort_labels=False, return_labels=True
    )
    vartype = SPIN if bqm.vartype is dimod.SPIN else BINARY
    return Model(linear, rows, cols, quadratic, float(offset), vartype), list(labels)


class _AnnealSampler(dimod.Sampler, dimod.Initialized):
    """The shared part: keywords to configuration, call, SampleSet."""

    _kind: str = "sa"
    _parameters: Dict[str, List[str]] = {}
    _properties: Dict[str, Any] = {}
    # Instance attributes (set in __init__) in place of dimod's abstract properties.
    parameters: Dict[str, List[str]] = None  # type: ignore[assignment]
    properties: Dict[str, Any] = None  # type: ignore[assignment]

    def __init__(self) -> None:
        self.parameters = {k: list(v) for k, v in self._parameters.items()}
        self.properties = dict(self._properties)

    def _configuration(self, **kwargs: Any) -> Dict[str, Any]:
        raise NotImplementedError

    def _run(
        self,
        bqm: dimod.BinaryQuadraticModel,
        configuration: Dict[str, Any],
        seed: Optional[int],
        initial_states: Any = None,
        initial_states_generator: str = "random",
        num_reads: Optional[int] = None,
        reads_key: bool = True,
    ) -> dimod.SampleSet:
        if not isinstance(bqm, dimod.BinaryQuadraticModel):
            raise TypeError(f"expected a dimod.BinaryQuadraticModel, got {type(bqm).__name__}")
        if num_reads is not None:
            if isinstance(num_reads, bool) or not isinstance(num_reads, (int, np.integer)):
                raise TypeError(f"num_reads must be a positive integer, got {num_reads!r}")
            if num_reads < 1:
                raise ValueError(f"num_reads must be a positive integer, got {num_reads}")
        states = None
        if initial_states is not None:
            parsed = self.parse_initial_states(
                bqm, initial_states=initial_states,
                initial_states_generator=initial_states_generator,
                num_reads=num_reads, seed=seed,
            )
            ss = parsed.initial_states
            states = ss.record.sample
            if list(ss.variables) != list(bqm.variables):
                order = [ss.variables.index(v) for v in bqm.variables]
                states = states[:, order]
            num_reads = parsed.num_reads
        elif initial_states_generator not in self._generators:
            raise ValueError(f"unknown initial_states_generator {initial_states_generator!r}")
        if reads_key:
            configuration["reads"] = 1 if num_reads is None else int(num_reads)
        configuration = {k: v for k, v in configuration.items() if v is not None}
        configuration["sampler"] = self._kind
        model, _ = model_from_bqm(bqm)
        result = model.sample(configuration, seed=seed, initial_states=states)
        # The record is built from the arrays directly: from_samples would
        # sort the labels in Python (a third of a second at 10^5 variables).
        n = len(bqm.variables)
        record = np.rec.array(np.empty(len(result.energies), dtype=[
            ("sample", np.int8, (n,)), ("energy", np.float64), ("num_occurrences", np.int64),
        ]))
        record["sample"] = result.samples
        record["energy"] = result.energies
        record["num_occurrences"] = result.occurrences
        return dimod.SampleSet(record, bqm.variables, result.info, bqm.vartype)


def _beta_range(value: Any) -> Optional[List[float]]:
    if value is None:
        return None
    pair = [float(b) for b in value]
    if len(pair) != 2:
        raise ValueError(f"beta_range must be two numbers, got {value!r}")
    return pair


def _schedule_type(value: str) -> str:
    if value == "custom":
        raise ValueError(
            "beta_schedule_type='custom' is not supported; give beta_range with "
            "'geometric' or 'linear'"
        )
    if value not in ("geometric", "linear"):
        raise ValueError(f"beta_schedule_type must be 'geometric' or 'linear', got {value!r}")
    return value


def _seconds(timeout_ms: Optional[float]) -> Optional[float]:
    return None if timeout_ms is None else float(timeout_ms) / 1000


class SimulatedAnnealingSampler(_AnnealSampler):
    """Simulated annealing (Metropolis or Gibbs single-spin flips), dwave-samplers' API.

    Defaults: ``num_reads`` 1 (or the number of initial states),
    ``num_sweeps`` 1000, ``beta_range`` from the model (Anneal's rule: the
    costliest flip accepted half the time when hot, about a 1 % chance that
    any flip is accepted at the cold end), geometric schedule.
    """

    _kind = "sa"
    _parameters = {
        "beta_range": [], "num_reads": [], "num_sweeps": [], "num_sweeps_per_beta": [],
        "beta_schedule_type": ["beta_schedule_options"], "seed": [], "initial_states": [],
        "initial_states_generator": [], "randomize_order": [],
        "proposal_acceptance_criteria": [], "threads": [], "time_limit": [],
    }
    _properties = {"beta_schedule_options": ("linear", "geometric")}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        beta_range: Optional[Sequence[float]] = None,
        num_reads: Optional[int] = None,
        num_sweeps: Optional[int] = None,
        num_sweeps_per_beta: int = 1,
        beta_schedule_type: str = "geometric",
        seed: Optional[int] = None,
        initial_states: Any = None,
        initial_states_generator: str = "random",
        randomize_order: bool = False,
        proposal_acceptance_criteria: str = "Metropolis",
        threads: Optional[int] = None,
        time_limit: Optional[float] = None,
    ) -> dimod.SampleSet:
        """Samples ``bqm``; ``threads`` and ``time_limit`` (seconds) are Anneal's own."""
        acceptance = str(proposal_acceptance_criteria).lower()
        if acceptance not in ("metropolis", "gibbs"):
            raise ValueError(
                "proposal_acceptance_criteria must be 'Metropolis' or 'Gibbs', "
                f"got {proposal_acceptance_criteria!r}"
            )
        configuration = {
            "sweeps": num_sweeps, "beta_range": _beta_range(beta_range),
            "schedule": _schedule_type(beta_schedule_type),
            "sweeps_per_beta": num_sweeps_per_beta, "acceptance": acceptance,
            "order": "random" if randomize_order else "sequential",
            "threads": threads, "time_limit": time_limit,
        }
        return self._run(
            bqm, configuration, seed, initial_states, initial_states_generator, num_reads
        )


class PathIntegralAnnealingSampler(_AnnealSampler):
    """Simulated quantum annealing (path-integral Monte Carlo), OpenJij's SQA names.

    ``trotter`` slices (default 16), ``beta`` the inverse temperature of the
    classical action (default: Anneal's P-dependent rule), ``gamma`` the
    initial transverse field (falling to ``gamma_final``, default
    ``gamma / 1000``; without ``gamma``, Anneal's range from the model),
    ``num_sweeps`` (default 1000), ``schedule_type`` geometric or linear.
    The reported sample of a read is its lowest-energy slice.
    """

    _kind = "sqa"
    _parameters = {
        "num_reads": [], "num_sweeps": [], "trotter": [], "beta": [], "gamma": [],
        "gamma_final": [], "schedule_type": [], "seed": [], "initial_states": [],
        "initial_states_generator": [], "worldline_moves": [], "threads": [],
        "time_limit": [],
    }
    _properties = {"schedule_options": ("linear", "geometric")}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        num_reads: Optional[int] = None,
        num_sweeps: Optional[int] = None,
        trotter: Optional[int] = None,
        beta: Optional[float] = None,
        gamma: Optional[float] = None,
        gamma_final: Optional[float] = None,
        schedule_type: str = "geometric",
        seed: Optional[int] = None,
        initial_states: Any = None,
        initial_states_generator: str = "random",
        worldline_moves: bool = True,
        threads: Optional[int] = None,
        time_limit: Optional[float] = None,
    ) -> dimod.SampleSet:
        """Samples ``bqm``; Γ falls from ``gamma`` to ``gamma_final`` (default ``gamma / 1000``)."""
        if gamma is None and gamma_final is not None:
            raise ValueError("gamma_final needs gamma (the field falls from gamma to gamma_final)")
        if gamma is not None and gamma_final is None:
            gamma_final = float(gamma) / 1000
        configuration = {
            "sweeps": num_sweeps, "trotter": trotter,
            "beta": None if beta is None else float(beta),
            "gamma_range": None if gamma is None else [float(gamma), float(gamma_final)],
            "schedule": _schedule_type(schedule_type), "worldline_moves": bool(worldline_moves),
            "threads": threads, "time_limit": time_limit,
        }
        return self._run(
            bqm, configuration, seed, initial_states, initial_states_generator, num_reads
        )


class ParallelTemperingSampler(_AnnealSampler):
    """Parallel tempering (replica exchange) over a geometric β ladder."""

    _kind = "pt"
    _parameters = {
        "num_reads": [], "num_sweeps": [], "num_replicas": [], "beta_range": [],
        "swap_interval": [], "seed": [], "initial_states": [],
        "initial_states_generator": [], "threads": [], "time_limit": [],
    }
    _properties: Dict[str, Any] = {}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        num_reads: Optional[int] = None,
        num_sweeps: Optional[int] = None,
        num_replicas: Optional[int] = None,
        beta_range: Optional[Sequence[float]] = None,
        swap_interval: Optional[int] = None,
        seed: Optional[int] = None,
        initial_states: Any = None,
        initial_states_generator: str = "random",
        threads: Optional[int] = None,
        time_limit: Optional[float] = None,
    ) -> dimod.SampleSet:
        """Samples ``bqm`` (defaults: 1000 sweeps, 16 replicas)."""
        configuration = {
            "sweeps": num_sweeps, "replicas": num_replicas,
            "beta_range": _beta_range(beta_range), "swap_interval": swap_interval,
            "threads": threads, "time_limit": time_limit,
        }
        return self._run(
            bqm, configuration, seed, initial_states, initial_states_generator, num_reads
        )


class TabuSampler(_AnnealSampler):
    """Multistart tabu search, dwave-samplers' TabuSampler names.

    ``timeout`` is in milliseconds as in dwave-samplers (default: no time
    limit, 10 restarts per read); ``num_restarts``, ``tenure`` (default
    Anneal's size rule) and ``energy_threshold`` (stop a read at or below).
    """

    _kind = "tabu"
    _parameters = {
        "num_reads": [], "tenure": [], "timeout": [], "num_restarts": [],
        "energy_threshold": [], "seed": [], "initial_states": [],
        "initial_states_generator": [], "stall_iterations": [], "threads": [],
    }
    _properties: Dict[str, Any] = {}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        initial_states: Any = None,
        initial_states_generator: str = "random",
        num_reads: Optional[int] = None,
        seed: Optional[int] = None,
        tenure: Optional[int] = None,
        timeout: Optional[float] = None,
        num_restarts: Optional[int] = None,
        energy_threshold: Optional[float] = None,
        stall_iterations: Optional[int] = None,
        threads: Optional[int] = None,
    ) -> dimod.SampleSet:
        """Samples ``bqm``."""
        configuration = {
            "tenure": tenure, "time_limit": _seconds(timeout), "restarts": num_restarts,
            "target_energy": None if energy_threshold is None else float(energy_threshold),
            "stall_iterations": stall_iterations, "threads": threads,
        }
        return self._run(
            bqm, configuration, seed, initial_states, initial_states_generator, num_reads
        )


class SteepestDescentSolver(_AnnealSampler):
    """Steepest descent to a local minimum from each initial state (dwave-samplers' names)."""

    _kind = "descent"
    _parameters = {
        "num_reads": [], "initial_states": [], "initial_states_generator": [], "seed": [],
        "large_sparse_opt": [], "threads": [],
    }
    _properties = {"large_sparse_opt_values": [True, False]}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        num_reads: Optional[int] = None,
        initial_states: Any = None,
        initial_states_generator: str = "random",
        seed: Optional[int] = None,
        large_sparse_opt: bool = False,
        threads: Optional[int] = None,
    ) -> dimod.SampleSet:
        """Samples ``bqm``; ``large_sparse_opt`` is accepted for compatibility (Anneal picks its data layout itself)."""
        configuration = {"threads": threads}
        return self._run(
            bqm, configuration, seed, initial_states, initial_states_generator, num_reads
        )


class ExactSolver(_AnnealSampler):
    """Every state of a small model (up to 30 variables; all states up to 20), by Gray code."""

    _kind = "exact"
    _parameters = {"keep_lowest": []}
    _properties = {"max_num_variables": 30}

    def sample(
        self, bqm: dimod.BinaryQuadraticModel, keep_lowest: Optional[int] = None
    ) -> dimod.SampleSet:
        """All ``2^n`` states (n ≤ 20), or the ``keep_lowest`` lowest ones (n ≤ 30)."""
        configuration = {"keep_lowest": keep_lowest}
        return self._run(bqm, configuration, 0, reads_key=False)
