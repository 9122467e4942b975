"""A dimod sampler that runs on an ``anneal serve`` server: submit, poll, return.

    from anneal.dimod import RemoteSampler
    sampler = RemoteSampler("http://127.0.0.1:8080", token, sampler="sa")
    sampleset = sampler.sample(bqm, num_reads=10, num_sweeps=1000, seed=1)

Keywords are the sampler configuration's keys (``GET /v1/samplers`` lists
them per sampler: ``reads``, ``sweeps``, ``beta_range``, ``time_limit``...),
with dwave-samplers' spellings accepted too (``num_reads`` → ``reads``,
``num_sweeps`` → ``sweeps``); ``seed`` makes the run repeatable. The
server's refusals (bad model, unknown key, quota) raise
:class:`RemoteSamplerError` with the server's message and HTTP status.
Only the standard library talks HTTP.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional

import dimod

__all__ = ["RemoteSampler", "RemoteSamplerError"]

_ALIASES = {"num_reads": "reads", "num_sweeps": "sweeps", "num_sweeps_per_beta": "sweeps_per_beta"}


class RemoteSamplerError(RuntimeError):
    """A request the server refused or a job that failed: the message and status."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message if status is None else f"{status}: {message}")
        self.status = status
        self.message = message


class RemoteSampler(dimod.Sampler):
    """Samples on an ``anneal serve`` server, like Leap's samplers: one call
    submits the job, waits for it and returns the ``dimod.SampleSet``.

    Args:
        url: the server, e.g. ``http://127.0.0.1:8080``.
        token: a token from ``anneal serve token create NAME``.
        sampler: ``sa``, ``sqa``, ``pt``, ``tabu``, ``descent``, ``exact``, ``random`` or
            ``portfolio``.
        poll_interval: seconds between polls (doubling up to one second).
        timeout: seconds to wait for a job before cancelling it and raising.
    """

    parameters: Dict[str, List[str]] = None  # type: ignore[assignment]
    properties: Dict[str, Any] = None  # type: ignore[assignment]

    def __init__(
        self, url: str, token: str, sampler: str = "sa",
        poll_interval: float = 0.02, timeout: Optional[float] = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.sampler = sampler
        self.poll_interval = poll_interval
        self.timeout = timeout
        listing = self._request("GET", "/v1/samplers")
        known = {s["name"]: s for s in listing["samplers"]}
        if sampler not in known:
            raise ValueError(f"sampler must be one of {', '.join(known)}, got {sampler!r}")
        keys = list(known[sampler]["parameters"])
        aliases = [a for a, k in _ALIASES.items() if k in keys]
        self.parameters = {key: [] for key in keys + aliases + ["seed"]}
        self.properties = {
            "url": self.url, "sampler": sampler,
            "defaults": known[sampler]["defaults"], "limits": listing["limits"],
        }

    def sample(self, bqm: dimod.BinaryQuadraticModel, **parameters: Any) -> dimod.SampleSet:
        """Submits ``bqm`` with ``parameters`` and returns the job's SampleSet.

        A job cancelled on the server while running returns what it had found,
        with ``info["cancelled"] = True``.
        """
        if not isinstance(bqm, dimod.BinaryQuadraticModel):
            raise TypeError(f"expected a dimod.BinaryQuadraticModel, got {type(bqm).__name__}")
        job_id = self.submit(bqm, **parameters)
        return self.result(job_id)

    def submit(self, bqm: dimod.BinaryQuadraticModel, **parameters: Any) -> str:
        """Submits ``bqm`` and returns the job id without waiting."""
        seed = parameters.pop("seed", None)
        configuration: Dict[str, Any] = {"sampler": self.sampler}
        for key, value in parameters.items():
            if value is not None:
                configuration[_ALIASES.get(key, key)] = value
        body: Dict[str, Any] = {
            "problem": bqm.to_serializable(use_bytes=False), "parameters": configuration,
        }
        if seed is not None:
            body["seed"] = int(seed)
        return self._request("POST", "/v1/jobs", body)["id"]

    def result(self, job_id: str) -> dimod.SampleSet:
        """Waits for job ``job_id`` and returns its SampleSet."""
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        delay = self.poll_interval
        while True:
            job = self._request("GET", f"/v1/jobs/{job_id}")
            state = job["state"]
            if state in ("done", "cancelled") and "result" in job:
                sampleset = dimod.SampleSet.from_serializable(job["result"])
                if state == "cancelled":
                    sampleset.info["cancelled"] = True
                return sampleset
            if state in ("failed", "cancelled"):
                raise RemoteSamplerError(f"job {job_id} {state}: {job.get('error', '')}")
            if deadline is not None and time.monotonic() > deadline:
                self.cancel(job_id)
                raise TimeoutError(f"job {job_id} did not finish in {self.timeout} s; cancelled")
            time.sleep(delay)
            delay = min(1.0, delay * 2)

    def cancel(self, job_id: str) -> Dict[str, Any]:
        """Cancels job ``job_id``; returns its state as the server reports it."""
        return self._request("DELETE", f"/v1/jobs/{job_id}")

    def _request(self, method: str, path: str, body: Any = None) -> Dict[str, Any]:
        data = None if body is None else json.dumps(body, allow_nan=False).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                message = json.loads(text)["error"]
            except (ValueError, KeyError, TypeError):
                message = text or error.reason
            raise RemoteSamplerError(message, error.code) from None
