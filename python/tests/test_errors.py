"""Bad input raises a Python exception carrying the Swift message; nothing crashes."""

import dimod
import numpy as np
import pytest

import anneal
from anneal.dimod import ExactSolver, SimulatedAnnealingSampler


def test_nan_bias():
    bqm = dimod.BinaryQuadraticModel({"a": float("nan"), "b": 1.0}, {("a", "b"): 1}, 0, "SPIN")
    with pytest.raises(anneal.AnnealValueError, match="linear bias of variable 0 is nan"):
        SimulatedAnnealingSampler().sample(bqm)
    bqm = dimod.BinaryQuadraticModel({"a": 0.0}, {("a", "b"): float("inf")}, 0, "SPIN")
    with pytest.raises(ValueError, match="not finite"):
        SimulatedAnnealingSampler().sample(bqm)


def test_unknown_parameter():
    bqm = dimod.BinaryQuadraticModel({"a": 1.0}, {}, 0, "SPIN")
    with pytest.raises(TypeError, match="num_sweepz"):
        SimulatedAnnealingSampler().sample(bqm, num_sweepz=10)
    model = anneal.Model([1.0], [], [], [], 0.0, 0)
    with pytest.raises(anneal.AnnealValueError, match="sweepz"):
        model.sample({"sampler": "sa", "sweepz": 3}, seed=1)
    with pytest.raises(anneal.AnnealValueError, match="sampler"):
        model.sample({"sampler": "annealing"}, seed=1)


def test_bad_values():
    bqm = dimod.BinaryQuadraticModel({"a": 1.0, "b": 0.0}, {("a", "b"): 1}, 0, "SPIN")
    with pytest.raises(ValueError, match="num_reads"):
        SimulatedAnnealingSampler().sample(bqm, num_reads=0)
    with pytest.raises(anneal.AnnealValueError, match="sweeps"):
        SimulatedAnnealingSampler().sample(bqm, num_sweeps=-5)
    with pytest.raises(ValueError, match="beta_schedule_type"):
        SimulatedAnnealingSampler().sample(bqm, beta_schedule_type="cubic")
    with pytest.raises(anneal.AnnealValueError, match="30"):
        ExactSolver().sample(dimod.generators.random.ran_r(1, 31, seed=1))


def test_wrong_dtype():
    with pytest.raises(TypeError, match="dtype"):
        anneal.Model(np.array(["x", "y"]), [], [], [], 0.0, 0)
    with pytest.raises(TypeError, match="dtype"):
        anneal.Model([1.0, 2.0], np.array([0.0 + 1j]), [1], [1.0], 0.0, 0)
    model = anneal.Model([1.0, 2.0], [0], [1], [1.0], 0.0, 0)
    with pytest.raises(TypeError, match="dtype"):
        model.sample({}, seed=1, initial_states=np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="-1/\\+1 or 0/1"):
        model.sample({}, seed=1, initial_states=np.array([[0.5, 1.0]]))
    with pytest.raises(anneal.AnnealValueError, match="initial state 0 has 0"):
        model.sample({}, seed=1, initial_states=np.array([[0, 1]]))
    with pytest.raises(TypeError, match="seed"):
        model.sample({}, seed=1.5)


def test_indices_and_vartype():
    with pytest.raises(anneal.AnnealValueError, match="outside the variables"):
        anneal.Model([1.0, 2.0], [0], [7], [1.0], 0.0, 0)
    with pytest.raises(anneal.AnnealValueError, match="outside the variables"):
        anneal.Model([1.0, 2.0], [-1], [1], [1.0], 0.0, 0)
    with pytest.raises(anneal.AnnealValueError, match="vartype"):
        anneal.Model([1.0], [], [], [], 0.0, 5)
    with pytest.raises(ValueError, match="differ in length"):
        anneal.Model([1.0, 2.0], [0, 1], [1], [1.0], 0.0, 0)


def test_zero_variables():
    """A 0-variable model follows dimod's contract (the dimod suite samples
    empty BQMs): rows with no variables and the offset as energy; bad
    parameters still raise."""
    bqm = dimod.BinaryQuadraticModel("BINARY")
    bqm.offset = 2.5
    ss = SimulatedAnnealingSampler().sample(bqm, num_reads=3)
    assert len(ss.variables) == 0 and list(ss.record.energy) == [2.5, 2.5, 2.5]
    with pytest.raises(ValueError):
        SimulatedAnnealingSampler().sample(bqm, num_reads=-1)
    with pytest.raises(ValueError, match="at least one row"):
        anneal.Model([], [], [], [], 0.0, 0).sample({}, seed=1, initial_states=np.zeros((0, 0)))


def test_threads_do_not_change_results():
    bqm = dimod.generators.random.ran_r(1, 30, seed=2)
    a = SimulatedAnnealingSampler().sample(bqm, num_reads=8, num_sweeps=100, seed=9, threads=1)
    b = SimulatedAnnealingSampler().sample(bqm, num_reads=8, num_sweeps=100, seed=9, threads=2)
    np.testing.assert_array_equal(a.record.sample, b.record.sample)


def test_one_model_many_threads():
    """A model is immutable: concurrent samples equal serial ones (ctypes drops the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    linear = np.linspace(-1, 1, 50)
    rows, cols = np.triu_indices(50, 1)
    model = anneal.Model(linear, rows, cols, np.cos(rows * 1.0 + cols), 0.0, 0)
    config = {"sampler": "sa", "reads": 4, "sweeps": 50, "threads": 1}
    serial = [model.sample(config, seed=s).samples for s in range(8)]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda s: model.sample(config, seed=s).samples, range(8)))
    for a, b in zip(serial, parallel):
        np.testing.assert_array_equal(a, b)
