"""Start a real JupyterLab server on 127.0.0.1 for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class JupyterLabServer:
    """A JupyterLab server serving `root_dir`, stopped on exit.

    Parameters
    ----------
    root_dir : pathlib.Path
        Folder the server shows; copy the notebooks under test there.
    """

    def __init__(self, root_dir: Path) -> None:
        self.root_dir = root_dir
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self._process: subprocess.Popen[bytes] | None = None
        self._log = root_dir / "jupyterlab.log"

    def start(self) -> JupyterLabServer:
        """Launch the server and wait until its API answers."""
        jupyter = Path(sys.executable).with_name("jupyter")
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(self.root_dir / ".jupyter-config")}
        command = [
            str(jupyter), "lab", "--no-browser", "--ip", "127.0.0.1", f"--port={self.port}",
            f"--IdentityProvider.token={self.token}", "--allow-root", f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self._log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(f"{self.url('api/status')}", timeout=2)  # loopback only
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("JupyterLab did not answer within 60 s")

    def url(self, path: str) -> str:
        """Return the URL of `path` on the server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def stop(self) -> None:
        """Stop the server and its kernels."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def __enter__(self) -> JupyterLabServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def copy_notebook(name: str, target: Path) -> Path:
    """Copy notebooks/`name` into `target` and return its new path."""
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(ROOT / "notebooks" / name, target / name))
