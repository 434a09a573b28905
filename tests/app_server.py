"""The real app served by a Streamlit server on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT


def free_port() -> int:
    """A TCP port nothing listens on at the moment (on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def app_server(
    database_url: str,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
    start_seconds: float = 90.0,
) -> Iterator[str]:
    """Serve app.py on ``database_url`` and yield its address (``http://127.0.0.1:PORT``).

    ``env`` adds environment variables, ``options`` adds Streamlit command-line options (e.g.
    ``("--secrets.files", path)``). The server's output goes to a temporary file, not a pipe
    nobody reads (a full pipe would block the server); its end is shown if the app does not
    answer its health check within ``start_seconds``. The server is stopped on exit.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false", *options]
    environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}
    with tempfile.TemporaryDirectory(prefix="app-server-") as folder:
        output = Path(folder) / "output.txt"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=environment, stdout=sink, stderr=subprocess.STDOUT
            )
            try:
                deadline = time.monotonic() + start_seconds
                while True:
                    try:
                        if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                            break
                    except OSError:
                        if process.poll() is not None or time.monotonic() > deadline:
                            pytest.fail(f"the app did not start: {output.read_text(errors='replace')[-2000:]}")
                        time.sleep(0.5)
                yield url
            finally:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
