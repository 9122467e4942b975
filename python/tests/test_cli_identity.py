"""The same seed and configuration give the same samples and energies through
Python as through `anneal solve` on the same model."""

import json

import dimod
import numpy as np
import pytest

from anneal.dimod import (
    ParallelTemperingSampler,
    PathIntegralAnnealingSampler,
    SimulatedAnnealingSampler,
    SteepestDescentSolver,
    TabuSampler,
)

from conftest import run_cli


def random_bqm(n, density, vartype, seed):
    rng = np.random.default_rng(seed)
    bqm = dimod.BinaryQuadraticModel(vartype)
    bqm.add_linear_from_array(rng.integers(-3, 4, size=n).astype(float))
    rows, cols = np.triu_indices(n, 1)
    keep = rng.random(len(rows)) < density
    bqm.add_quadratic_from(zip(rows[keep].tolist(), cols[keep].tolist(), rng.normal(size=keep.sum()).tolist()))
    bqm.offset = 0.75
    return bqm


CASES = [
    (SimulatedAnnealingSampler, dict(num_reads=6, num_sweeps=10, beta_range=[0.2, 4.0])),
    (SimulatedAnnealingSampler, dict(num_reads=5, num_sweeps=5, beta_schedule_type="linear",
                                     proposal_acceptance_criteria="Gibbs")),
    (PathIntegralAnnealingSampler, dict(num_reads=4, num_sweeps=5, trotter=8)),
    (ParallelTemperingSampler, dict(num_reads=3, num_sweeps=3, num_replicas=6)),
    (TabuSampler, dict(num_reads=3, num_restarts=1, stall_iterations=3)),
    (SteepestDescentSolver, dict(num_reads=7)),
]


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("cls,kwargs", CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_same_as_cli(tmp_path, anneal_cli, cls, kwargs, vartype):
    bqm = random_bqm(40, 0.15, vartype, seed=len(kwargs))
    ours = cls().sample(bqm, seed=20261204, threads=2, **kwargs)
    configuration = dict(ours.info["configuration"])
    sampler = configuration.pop("sampler")
    configuration["threads"] = 1  # results do not depend on it
    path = tmp_path / "model.bqm"
    path.write_bytes(bqm.to_file().read())  # dimod's binary file, read by `anneal solve`
    out = tmp_path / "samples.json"
    done = run_cli(
        anneal_cli, "solve", str(path), "--sampler", sampler, "--seed", "20261204",
        "--parameters", json.dumps(configuration), "--output", str(out), "--json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    cli = dimod.SampleSet.from_serializable(json.loads(out.read_text()))
    assert list(cli.variables) == list(ours.variables)
    assert cli.vartype is ours.vartype
    np.testing.assert_array_equal(cli.record.sample, ours.record.sample)
    np.testing.assert_array_equal(cli.record.energy, ours.record.energy)
    assert report["energies"] == list(ours.record.energy)
    # And the energies are the model's.
    np.testing.assert_allclose(bqm.energies(ours), ours.record.energy, rtol=0, atol=1e-9)
