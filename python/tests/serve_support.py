"""An `anneal serve` process for the tests, and checks against docs/openapi.yaml."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "docs" / "openapi.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`anneal serve` on a free loopback port over `storage` (default: an
    SQLite file in `directory`, which also holds its log)."""

    def __init__(
        self, cli: str, directory: Path, *flags: str, accounts=("alice", "bob"),
        storage: Optional[str] = None,
    ) -> None:
        self.cli = cli
        self.storage = storage or f"sqlite:///{directory / 'serve.db'}"
        self.tokens: Dict[str, str] = {}
        for name in accounts:
            out = subprocess.run(
                [cli, "serve", "token", "create", name, "--storage", self.storage],
                capture_output=True, text=True, timeout=60, check=True,
            )
            self.tokens[name] = out.stdout.strip().splitlines()[-1]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(directory / "serve.log", "w")
        self.process = subprocess.Popen(
            [cli, "serve", "--storage", self.storage, "--listen", f"127.0.0.1:{self.port}", *flags],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"anneal serve did not start: {self.logs()}")
            time.sleep(0.1)

    def logs(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def request(
        self, method: str, path: str, token: Optional[str] = None, body: Any = None,
        raw: Optional[bytes] = None,
    ) -> Tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text.decode(errors="replace")

    def stop(self) -> int:
        """SIGTERM (graceful shutdown); returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


class OpenAPI:
    """Validates responses against the schemas of docs/openapi.yaml."""

    def __init__(self) -> None:
        import yaml  # noqa: PLC0415 (optional dependency, checked by the caller)

        self.document = yaml.safe_load(OPENAPI.read_text())

    def schema(self, method: str, template: str, status: int) -> Optional[Dict[str, Any]]:
        responses = self.document["paths"][template][method.lower()]["responses"]
        response = responses.get(str(status))
        if response is None:
            raise AssertionError(f"{method} {template} → {status} is not in docs/openapi.yaml")
        if "$ref" in response:
            response = self.document["components"]["responses"][response["$ref"].split("/")[-1]]
        content = response.get("content", {})
        media = content.get("application/json") or content.get("text/plain")
        return None if media is None else media["schema"]

    def check(self, method: str, template: str, status: int, body: Any) -> None:
        import jsonschema  # noqa: PLC0415

        schema = self.schema(method, template, status)
        if schema is None:
            return
        root = {**schema, "components": self.document["components"]}
        jsonschema.validate(body, root, cls=jsonschema.Draft4Validator)
