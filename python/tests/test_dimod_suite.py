"""dimod's own sampler test suite and API check on every Anneal sampler."""

import unittest

import dimod
import dimod.testing
import pytest

from anneal.dimod import (
    ExactSolver,
    ParallelTemperingSampler,
    PathIntegralAnnealingSampler,
    SimulatedAnnealingSampler,
    SteepestDescentSolver,
    TabuSampler,
)

SAMPLERS = [
    SimulatedAnnealingSampler,
    PathIntegralAnnealingSampler,
    ParallelTemperingSampler,
    TabuSampler,
    SteepestDescentSolver,
    ExactSolver,
]


@pytest.mark.parametrize("cls", SAMPLERS, ids=lambda c: c.__name__)
def test_sampler_api(cls):
    dimod.testing.assert_sampler_api(cls())


@pytest.mark.parametrize("cls", SAMPLERS, ids=lambda c: c.__name__)
def test_parameters_and_properties_filled(cls):
    sampler = cls()
    assert sampler.parameters, cls.__name__
    assert isinstance(sampler.properties, dict)
    # Every listed parameter is a keyword of sample().
    import inspect

    keywords = set(inspect.signature(sampler.sample).parameters)
    assert set(sampler.parameters) <= keywords


@dimod.testing.load_sampler_bqm_tests(SimulatedAnnealingSampler)
class TestSimulatedAnnealing(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(PathIntegralAnnealingSampler)
class TestPathIntegralAnnealing(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ParallelTemperingSampler)
class TestParallelTempering(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(TabuSampler)
class TestTabu(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(SteepestDescentSolver)
class TestSteepestDescent(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ExactSolver)
class TestExact(unittest.TestCase):
    pass


def test_suite_is_loaded():
    """The decorator added dimod's generated tests (not an empty class)."""
    for cls in (TestSimulatedAnnealing, TestExact):
        generated = [name for name in dir(cls) if name.startswith("test_")]
        assert len(generated) >= 30, (cls.__name__, len(generated))
