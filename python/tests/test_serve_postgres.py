"""Two `anneal serve` processes on one PostgreSQL queue; one is killed with
SIGKILL mid-job: its jobs finish on the other, and no job finishes twice.

Needs ANNEAL_POSTGRES_URL (`.ci/run` starts a server; `scripts/postgres.sh
start` prints one); skips without it, except in CI where it must be set.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from glob import glob
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import dimod
import pytest

from anneal.dimod import RemoteSampler
from serve_support import Server

URL = os.environ.get("ANNEAL_POSTGRES_URL")


def psql() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob("/usr/lib/postgresql/*/bin/psql"))), None)
    if not found:
        pytest.fail("psql is missing (scripts/postgres.sh installs PostgreSQL)")
    return found


@pytest.fixture()
def database():
    if not URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ANNEAL_POSTGRES_URL is unset: .ci/run must start PostgreSQL")
        pytest.skip("ANNEAL_POSTGRES_URL is unset (scripts/postgres.sh start prints one)")
    name = f"anneal_serve_{os.getpid()}_{random.randrange(1 << 30)}"
    subprocess.run([psql(), URL, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    parts = urlparse(URL)
    yield urlunparse(parts._replace(path="/" + name))
    subprocess.run([psql(), URL, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


def job_ids(log: str, message: str):
    """The job ids of a server's log lines (JSON lines) saying `message`."""
    ids = []
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("message") == message:
            ids.append(entry["job"])
    return ids


def test_a_killed_servers_jobs_finish_on_the_other_and_none_twice(anneal_cli, tmp_path, database):
    flags = ("--stale-after", "2", "--max-concurrent-jobs", "20", "--threads-per-job", "1")
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    first = Server(anneal_cli, a_dir, *flags, storage=database, accounts=("alice",))
    token = first.tokens["alice"]
    second = Server(anneal_cli, b_dir, *flags, storage=database, accounts=())
    try:
        sampler = RemoteSampler(first.url, token)
        bqm = dimod.BinaryQuadraticModel(
            {}, {(i, i + 1): (-1) ** i for i in range(199)}, 0.0, dimod.SPIN)
        jobs = [
            sampler.submit(bqm, num_reads=400, num_sweeps=20000, time_limit=1.5, seed=s)
            for s in range(8)
        ]
        deadline = time.monotonic() + 60
        while not job_ids(first.logs(), "job started"):
            assert time.monotonic() < deadline, first.logs()
            time.sleep(0.05)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
        killed_mid_job = set(job_ids(first.logs(), "job started")) - set(job_ids(first.logs(), "job done"))
        assert killed_mid_job, "the first server had no job running when killed"
        reader = RemoteSampler(second.url, token, timeout=120)
        for job in jobs:
            sampleset = reader.result(job)
            dimod.testing.assert_sampleset_energies(sampleset, bqm)
        done_a, done_b = job_ids(first.logs(), "job done"), job_ids(second.logs(), "job done")
        assert killed_mid_job <= set(done_b), (killed_mid_job, done_b)
        print(json.dumps({
            "jobs": len(jobs), "done_on_killed_server": len(done_a),
            "done_on_survivor": len(done_b), "taken_over_mid_job": len(killed_mid_job),
        }))
        assert sorted(done_a + done_b) == sorted(jobs), "a job finished twice or not at all"
    finally:
        if first.process.poll() is None:
            first.process.kill()
        assert second.stop() == 0, second.logs()
