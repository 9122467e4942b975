#!/usr/bin/env python3
"""A bounded load on an `anneal serve` server on loopback (standard library only).

    python3 scripts/serve-load.py --url http://127.0.0.1:8080 --tokens t1,t2 \
        --clients 200 --seconds 30

CLIENTS threads (spread over the tokens' accounts) submit small jobs (a
5-variable COO problem, 4 reads × 100 sweeps) back to back for SECONDS, then
every accepted job is polled until it has finished. Prints one JSON object:
submissions by status (202 accepted, 429 refused by a quota, anything else),
accepted jobs that finished done / not, and the submission latency (p50,
p99, max, in milliseconds). Exit code 1 when a submission got neither 202
nor 429 or an accepted job did not finish done.
"""

import argparse
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

JOB = json.dumps({
    "problem_coo": "0 1 -1\n1 2 1\n2 3 -1\n3 4 1\n0 0 0.5\n",
    "parameters": {"sampler": "sa", "reads": 4, "sweeps": 100, "threads": 1},
})


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--tokens", required=True, help="comma-separated tokens")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--finish-timeout", type=float, default=120)
    args = parser.parse_args()
    url = urlparse(args.url)
    tokens = [t for t in args.tokens.split(",") if t]
    lock = threading.Lock()
    statuses = {}
    latencies = []
    accepted = []  # (token, id)
    errors = []
    stop_at = time.monotonic() + args.seconds

    def client(index):
        token = tokens[index % len(tokens)]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while time.monotonic() < stop_at:
            t0 = time.monotonic()
            try:
                connection.request("POST", "/v1/jobs", body=JOB, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
                with lock:
                    errors.append(repr(error))
                    statuses["connection error"] = statuses.get("connection error", 0) + 1
                continue
            elapsed = time.monotonic() - t0
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status == 202:
                    accepted.append((token, json.loads(body)["id"]))
            if status == 429:
                time.sleep(0.01)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    submit_seconds = time.monotonic() - started

    # Every accepted job must finish done.
    states = {}
    pending = list(accepted)
    deadline = time.monotonic() + args.finish_timeout
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    while pending and time.monotonic() < deadline:
        still = []
        for token, job_id in pending:
            connection.request("GET", f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            state = json.loads(response.read()).get("state")
            if state in ("done", "failed", "cancelled"):
                states[state] = states.get(state, 0) + 1
            else:
                still.append((token, job_id))
        pending = still
        if pending:
            time.sleep(0.2)
    latencies.sort()
    ms = lambda s: None if s is None else round(1000 * s, 1)  # noqa: E731
    report = {
        "clients": args.clients, "accounts": len(tokens), "seconds": args.seconds,
        "submissions": len(latencies), "by_status": statuses,
        "accepted": len(accepted), "finished": states, "unfinished": len(pending),
        "submit_latency_ms": {
            "p50": ms(percentile(latencies, 0.5)), "p99": ms(percentile(latencies, 0.99)),
            "max": ms(latencies[-1] if latencies else None),
        },
        "submissions_per_second": round(len(latencies) / submit_seconds, 1),
        "accepted_per_second": round(len(accepted) / submit_seconds, 1),
        "connection_errors": errors[:5],
    }
    print(json.dumps(report, indent=2))
    other = {k: v for k, v in statuses.items() if k not in ("202", "429")}
    ok = not other and not pending and states.get("done", 0) == len(accepted)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
