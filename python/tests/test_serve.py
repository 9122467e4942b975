"""`anneal serve` from Python: RemoteSampler, the OpenAPI contract, bad input,
a short load, and schemathesis — against a real server started here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import dimod
import numpy as np
import pytest

from anneal.dimod import RemoteSampler, RemoteSamplerError

from serve_support import OPENAPI, ROOT, OpenAPI, Server

IN_CI = os.environ.get("CI") == "true"


def need(module: str) -> None:
    """Skips without `module` (schemathesis brings jsonschema); CI must have it."""
    try:
        __import__(module)
    except ImportError:
        if IN_CI:
            pytest.fail(f"{module} is missing; scripts/setup.sh --with-python installs it")
        pytest.skip(f"{module} is not installed (scripts/setup.sh --with-python installs it)")


@pytest.fixture(scope="module")
def server(anneal_cli, tmp_path_factory):
    s = Server(
        anneal_cli, tmp_path_factory.mktemp("serve"), "--max-concurrent-jobs", "4",
        "--max-time-limit", "20", "--max-variables", "500", "--stale-after", "5",
    )
    yield s
    code = s.stop()
    assert code == 0, s.logs()


def ring(n=12, labels=str):
    return dimod.BinaryQuadraticModel(
        {labels(i): 0.1 * (i % 3 - 1) for i in range(n)},
        {(labels(i), labels((i + 1) % n)): (-1) ** i for i in range(n)}, 0.5, dimod.SPIN,
    )


def test_remote_sampler_returns_a_sampleset_with_the_models_labels_and_energies(server):
    sampler = RemoteSampler(server.url, server.tokens["alice"], sampler="sa")
    bqm = ring(labels=lambda i: f"x{i}")
    sampleset = sampler.sample(bqm, num_reads=8, num_sweeps=200, seed=5)
    assert isinstance(sampleset, dimod.SampleSet)
    assert set(sampleset.variables) == set(bqm.variables)
    assert len(sampleset) == 8
    dimod.testing.assert_sampleset_energies(sampleset, bqm)
    assert sampleset.info["seed"] == 5
    again = sampler.sample(bqm, num_reads=8, num_sweeps=200, seed=5)
    assert np.array_equal(sampleset.record.sample, again.record.sample)


def test_remote_sampler_parameters_and_other_samplers(server):
    sampler = RemoteSampler(server.url, server.tokens["alice"], sampler="tabu")
    assert "num_reads" in sampler.parameters and "seed" in sampler.parameters
    assert sampler.properties["limits"]["max_variables"] == 500
    bqm = ring(8)
    result = sampler.sample(bqm, reads=3, seed=1)
    assert len(result) == 3
    dimod.testing.assert_sampleset_energies(result, bqm)
    exact = RemoteSampler(server.url, server.tokens["alice"], sampler="exact").sample(ring(6))
    assert exact.first.energy == pytest.approx(dimod.ExactSolver().sample(ring(6)).first.energy)
    with pytest.raises(ValueError, match="sampler must be one of"):
        RemoteSampler(server.url, server.tokens["alice"], sampler="quantum")


def test_remote_sampler_reports_the_servers_refusals(server):
    sampler = RemoteSampler(server.url, server.tokens["alice"])
    with pytest.raises(RemoteSamplerError, match="'swepes'") as info:
        sampler.sample(ring(), swepes=10)
    assert info.value.status == 400
    with pytest.raises(RemoteSamplerError, match="variables") as info:
        sampler.sample(ring(501))
    assert info.value.status == 429
    with pytest.raises(RemoteSamplerError) as info:
        RemoteSampler(server.url, "not-a-token").sample(ring())
    assert info.value.status == 401


def test_remote_sampler_cancel_returns_what_was_found(server):
    sampler = RemoteSampler(server.url, server.tokens["alice"])
    bqm = ring(300)
    job = sampler.submit(bqm, num_reads=1000, num_sweeps=10000, time_limit=15)
    for _ in range(200):
        if server.request("GET", f"/v1/jobs/{job}", server.tokens["alice"])[1]["state"] == "running":
            break
        time.sleep(0.02)
    time.sleep(0.3)
    sampler.cancel(job)
    sampleset = sampler.result(job)
    assert sampleset.info.get("cancelled") is True
    dimod.testing.assert_sampleset_energies(sampleset, bqm)


def test_responses_match_the_openapi_document(server):
    need("jsonschema")
    need("yaml")
    api = OpenAPI()
    alice, bob = server.tokens["alice"], server.tokens["bob"]
    bqm = ring(5).to_serializable(use_bytes=False)
    seen = []

    def call(method, path, template, token=None, body=None, raw=None):
        status, payload = server.request(method, path, token, body, raw)
        api.check(method, template, status, payload)
        seen.append((method, template, status))
        return status, payload

    call("GET", "/healthz", "/healthz")
    call("GET", "/v1/samplers", "/v1/samplers")
    status, payload = call("GET", "/metrics", "/metrics")
    assert "anneal_jobs_submitted_total" in payload
    status, created = call("POST", "/v1/jobs", "/v1/jobs", alice, {"problem": bqm, "seed": 1})
    assert status == 202
    job = created["id"]
    for _ in range(500):
        status, view = call("GET", f"/v1/jobs/{job}", "/v1/jobs/{id}", alice)
        if view["state"] == "done":
            break
        time.sleep(0.02)
    assert view["state"] == "done" and view["result"]["type"] == "SampleSet"
    call("DELETE", f"/v1/jobs/{job}", "/v1/jobs/{id}", alice)
    assert call("GET", f"/v1/jobs/{job}", "/v1/jobs/{id}", bob)[0] == 404
    assert call("GET", f"/v1/jobs/{job}", "/v1/jobs/{id}")[0] == 401
    assert call("POST", "/v1/jobs", "/v1/jobs", alice, raw=b"{oops")[0] == 400
    assert call("POST", "/v1/jobs", "/v1/jobs", alice, {"problem_coo": "0 1 1", "parameters": {"time_limit": 99}})[0] == 429
    assert call("POST", "/v1/jobs", "/v1/jobs", alice, raw=b" " * ((8 << 20) + 1))[0] == 413
    statuses = {s for _, _, s in seen}
    assert {200, 202, 400, 401, 404, 413, 429} <= statuses


def test_bad_input_is_4xx_with_a_message_and_the_server_keeps_serving(server):
    alice = server.tokens["alice"]
    ten_million = {
        "type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": False,
        "index_type": "int32", "bias_type": "float64", "num_variables": 10**7,
        "num_interactions": 0, "variable_labels": [], "variable_type": "BINARY", "offset": 0,
        "info": {}, "linear_biases": [], "quadratic_biases": [], "quadratic_head": [],
        "quadratic_tail": [],
    }
    nan_bqm = ring(3).to_serializable(use_bytes=False)
    cases = [
        (alice, b"{\"problem\": ", "not valid JSON"),
        (alice, json.dumps({"problem": nan_bqm}).replace("0.5", "NaN", 1).encode(), "NaN"),
        (alice, json.dumps({"problem": ten_million}).encode(), "10000000"),
        (alice, json.dumps({"problem_coo": "0 1 1", "parameters": {"sampler": "sa", "colour": 1}}).encode(), "'colour'"),
        (None, json.dumps({"problem_coo": "0 1 1"}).encode(), "Bearer"),
        ("wrong-token", json.dumps({"problem_coo": "0 1 1"}).encode(), "Bearer"),
    ]
    for token, raw, fragment in cases:
        status, payload = server.request("POST", "/v1/jobs", token, raw=raw)
        assert 400 <= status < 500, (raw[:80], status, payload)
        assert fragment in payload["error"], (raw[:80], payload)
    assert server.request("GET", "/healthz")[0] == 200
    sampleset = RemoteSampler(server.url, alice).sample(ring(), seed=2)
    assert len(sampleset) >= 1


def test_short_load_every_job_accepted_or_429_and_every_accepted_one_completes(server):
    clients = int(os.environ.get("ANNEAL_SERVE_LOAD_CLIENTS", "40"))
    seconds = os.environ.get("ANNEAL_SERVE_LOAD_SECONDS", "3")
    tokens = ",".join(server.tokens.values())
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "serve-load.py"), "--url", server.url,
         "--tokens", tokens, "--clients", str(clients), "--seconds", seconds],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(out.stdout)
    print(json.dumps(report))
    assert out.returncode == 0, (report, out.stderr)
    assert report["accepted"] > 0
    assert set(report["by_status"]) <= {"202", "429"}
    assert report["finished"].get("done", 0) == report["accepted"]


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(server, tmp_path):
    need("schemathesis")
    cli = shutil.which("schemathesis", path=os.path.dirname(sys.executable)) or shutil.which("schemathesis")
    assert cli, "schemathesis is importable but its command is missing"
    seconds = os.environ.get("ANNEAL_SCHEMATHESIS_SECONDS", "20")
    # Left out, with the reason: positive_data_acceptance (a BQM's array
    # lengths must agree, which JSON Schema cannot say, so some schema-valid
    # models are rightly refused) and use_after_free (DELETE cancels a job;
    # the job stays readable as cancelled, by design).
    checks = ("not_a_server_error,status_code_conformance,content_type_conformance,"
              "response_schema_conformance,negative_data_rejection,missing_required_header,"
              "unsupported_method,ignored_auth")
    out = subprocess.run(
        [cli, "run", str(OPENAPI), "--url", server.url,
         "-H", f"Authorization: Bearer {server.tokens['bob']}",
         "--checks", checks, "--max-time", seconds, "--workers", "2", "--seed", "1"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout[-6000:]
    assert server.request("GET", "/healthz")[0] == 200
