"""anneal.optuna: a 50-trial study on a known function, and export_study."""

import json
import math
import sqlite3

import numpy as np
import optuna
import pytest

from anneal.optuna import QUBOSurrogateSampler, export_study

from conftest import ROOT, run_cli

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    """Minimum 0 at x = 0.2 (a grid point of 12 steps on [-0.9, 1.3]), y = 4, c = 'b'."""
    x = trial.suggest_float("x", -0.9, 1.3)
    y = trial.suggest_int("y", 0, 9)
    c = trial.suggest_categorical("c", ["a", "b", "c"])
    return (x - 0.2) ** 2 + 0.1 * (y - 4) ** 2 + (0.0 if c == "b" else 0.5)


def test_study_of_50_trials(tmp_path):
    storage = f"sqlite:///{tmp_path / 'optuna.db'}"
    sampler = QUBOSurrogateSampler(seed=0, float_steps=12, surrogate={"startup_trials": 10})
    study = optuna.create_study(sampler=sampler, storage=storage)
    study.optimize(objective, n_trials=50)
    trials = study.get_trials(states=[optuna.trial.TrialState.COMPLETE])
    assert len(trials) == 50
    assert study.best_value < 0.05, study.best_params
    # After the first trial the space is known, so every later configuration is distinct.
    configs = [(round(t.params["x"], 9), t.params["y"], t.params["c"]) for t in trials[1:]]
    assert len(set(configs)) == len(configs)
    # It beats random search with the same budget on this function and seed.
    random = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    random.optimize(objective, n_trials=50)
    assert study.best_value <= random.best_value


def test_maximize_and_unknown_option():
    study = optuna.create_study(direction="maximize", sampler=QUBOSurrogateSampler(seed=1))
    study.optimize(lambda t: -objective(t), n_trials=15)
    assert study.best_value > -1
    bad = optuna.create_study(sampler=QUBOSurrogateSampler(seed=1, surrogate={"rnak": 3}))
    bad.optimize(objective, n_trials=1)
    with pytest.raises(ValueError, match="surrogate.rnak"):
        bad.optimize(objective, n_trials=1)


def test_export_study(tmp_path, anneal_cli):
    db = tmp_path / "anneal.db"
    spec = (ROOT / "problems" / "tune-quadratic.yaml").read_text()
    spec = spec.replace("sh problems/tune-objective.sh", f"sh {ROOT / 'problems' / 'tune-objective.sh'}")
    (tmp_path / "spec.yaml").write_text(spec)
    done = run_cli(anneal_cli, "tune", str(tmp_path / "spec.yaml"), "--trials", "12",
                   "--storage", f"sqlite:///{db}", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    target = f"sqlite:///{tmp_path / 'optuna.db'}"
    study = export_study(f"sqlite:///{db}", "quadratic", target)
    loaded = optuna.load_study(study_name="quadratic", storage=target)
    trials = loaded.get_trials()
    assert len(trials) == len(report["trials"]) == 12
    assert math.isclose(loaded.best_value, report["best_value"])
    assert loaded.best_params == report["best_params"]
    for ours, theirs in zip(report["trials"], trials):
        assert theirs.user_attrs["anneal_trial_number"] == ours["number"]
        assert theirs.params == ours["params"]
    with pytest.raises(ValueError, match="no study 'nope'"):
        export_study(f"sqlite:///{db}", "nope", f"sqlite:///{tmp_path / 'other.db'}")


def test_same_seed_same_study():
    def run(seed):
        study = optuna.create_study(sampler=QUBOSurrogateSampler(seed=seed, surrogate={"startup_trials": 4}))
        study.optimize(objective, n_trials=12)
        return [t.params for t in study.trials]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_continuous_floats_by_default():
    """A float without a step is continuous: proposals leave any grid and home in."""
    target = 0.1234567

    def smooth(trial):
        x = trial.suggest_float("x", -1.0, 1.0)
        lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
        n = trial.suggest_int("n", 0, 100_000)
        return (x - target) ** 2 + (math.log10(lr) + 2.5) ** 2 / 10 + ((n - 31_416) / 100_000) ** 2

    study = optuna.create_study(sampler=QUBOSurrogateSampler(seed=0))
    study.optimize(smooth, n_trials=40)
    xs = {round(t.params["x"], 12) for t in study.trials}
    assert len(xs) > 16  # not the 16-point grid floats used to get
    assert all(isinstance(t.params["n"], int) for t in study.trials)
    # Closer than floats on 16-point grids get with the same seed (0.017).
    assert study.best_value < 1e-3, study.best_params
    gridded = optuna.create_study(sampler=QUBOSurrogateSampler(seed=0, float_steps=16))
    gridded.optimize(smooth, n_trials=40)
    assert len({round(t.params["x"], 12) for t in gridded.trials}) <= 16
    assert study.best_value < gridded.best_value


def test_deterministic_objective_reaches_the_gaussian_process():
    """As Optuna's GPSampler: the flag pins the ordered GP's noise, so the
    proposals after the start-up trials change, and a contradiction is refused."""
    def smooth(trial):
        x = trial.suggest_float("x", -1.0, 1.0)
        n = trial.suggest_int("n", 0, 40)
        return (x - 0.3) ** 2 + 0.01 * (n - 17) ** 2 + 0.05 * math.cos(9 * x)

    def run(**kw):
        sampler = QUBOSurrogateSampler(seed=2, surrogate={"startup_trials": 5}, **kw)
        study = optuna.create_study(sampler=sampler)
        study.optimize(smooth, n_trials=20)
        return sampler, [t.params for t in study.trials]

    pinned, trials = run(deterministic_objective=True)
    assert pinned._surrogate == {"startup_trials": 5, "deterministic": True}
    _, fitted = run()
    assert trials[:5] == fitted[:5]  # the start-up design does not read it
    assert trials != fitted
    assert run(deterministic_objective=True)[1] == trials
    with pytest.raises(ValueError, match="deterministic_objective"):
        QUBOSurrogateSampler(deterministic_objective=True, surrogate={"deterministic": False})


def test_grid_index_and_value_round_trip():
    from anneal.optuna import _CONTINUOUS_STEPS, _Grid
    from optuna.distributions import FloatDistribution, IntDistribution

    rng = np.random.default_rng(5)
    for dist in (FloatDistribution(-0.9, 1.3), FloatDistribution(1e-5, 10.0, log=True),
                 FloatDistribution(0.0, 1.0, step=1e-6), IntDistribution(-7, 999_998, step=3)):
        g = _Grid(dist, None)
        count = _CONTINUOUS_STEPS if g.continuous else (dist.high - dist.low) // dist.step + 1
        for k in [0, 1, int(count) - 1, *rng.integers(0, int(count), 50)]:
            v = g.value(int(k))
            assert dist.low <= v <= dist.high
            assert dist._contains(v) if hasattr(dist, "_contains") else True
            if dist.step is None or isinstance(dist, IntDistribution):
                assert g.index(v) == k
    # With float_steps, floats are a grid of that many points, as before.
    g = _Grid(FloatDistribution(0.0, 1.0), 12)
    assert not g.continuous and len(g.values) == 12 and g.spec["steps"] == 12
