"""dimod's composites wrap Anneal's samplers."""

import dimod
import numpy as np
import pytest
from dwave.preprocessing import SpinReversalTransformComposite

from anneal.dimod import SimulatedAnnealingSampler, TabuSampler


def frustrated_ring(n=12):
    bqm = dimod.BinaryQuadraticModel("SPIN")
    for i in range(n):
        bqm.add_quadratic(f"s{i}", f"s{(i + 1) % n}", 1.0)
    bqm.add_linear("s0", 0.5)
    return bqm


@pytest.mark.parametrize("child", [SimulatedAnnealingSampler, TabuSampler])
def test_spin_reversal(child):
    bqm = frustrated_ring()
    sampler = SpinReversalTransformComposite(child())
    sampleset = sampler.sample(bqm, num_spin_reversal_transforms=3, num_reads=4, seed=3)
    assert len(sampleset) == 12
    np.testing.assert_allclose(bqm.energies(sampleset), sampleset.record.energy)
    assert sampleset.first.energy == dimod.ExactSolver().sample(bqm).first.energy


def test_truncate():
    bqm = frustrated_ring()
    sampler = dimod.TruncateComposite(SimulatedAnnealingSampler(), 3)
    sampleset = sampler.sample(bqm, num_reads=10, num_sweeps=200, seed=5)
    assert len(sampleset) == 3
    assert list(sampleset.record.energy) == sorted(sampleset.record.energy)
    np.testing.assert_allclose(bqm.energies(sampleset), sampleset.record.energy)


def test_initial_states_and_tile():
    bqm = frustrated_ring(6)
    start = {v: 1 for v in bqm.variables}
    ss = SimulatedAnnealingSampler().sample(
        bqm, initial_states=start, initial_states_generator="tile", num_reads=3,
        num_sweeps=1, beta_range=[100, 100], seed=1,
    )
    assert len(ss) == 3
    with pytest.raises(ValueError):
        SimulatedAnnealingSampler().sample(
            bqm, initial_states=start, initial_states_generator="none", num_reads=3
        )
