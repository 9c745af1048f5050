"""openapi-ts started before its input exists: node loads ``@hey-api/openapi-ts`` (about as
long as the backend's Python takes to dump the OpenAPI document) while the document is being
dumped, and generates when told that ``openapi.json`` is written.

Started with ``OpenapiTs.start(folder, node)`` in a scratch frontend that holds the
project's ``openapi-ts.config.ts``, ``package.json`` and a link to its ``node_modules``;
``generate(timeout)`` runs it on the document written there since, ``close()`` stops it
when the run needs no types (the document did not change, the dump failed). ``close()`` on
every path: no node process outlives the command.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

DRIVER = Path(__file__).with_name("openapi_ts_driver.mjs")
_GO = b"go\n"


@dataclass(frozen=True)
class Outcome:
    """How openapi-ts ended: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


class OpenapiTs:
    """A node process with openapi-ts loaded (or loading), waiting for its document."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    @classmethod
    def start(cls, folder: Path, node: str) -> OpenapiTs:
        """Start loading openapi-ts in ``folder`` (the document comes later)."""
        command = [node, "--input-type=module", "-e", DRIVER.read_text(encoding="utf-8")]
        process = subprocess.Popen(
            command,
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        return cls(process)

    def generate(self, timeout: float) -> Outcome:
        """Run openapi-ts on the ``openapi.json`` now written; raise ``TimeoutExpired`` after
        ``timeout`` seconds (the process is stopped first)."""
        try:
            stdout, stderr = self._process.communicate(_GO, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise
        return Outcome(
            self._process.returncode,
            stdout.decode(errors="replace"),
            stderr.decode(errors="replace"),
        )

    def close(self) -> None:
        """Stop it if it still runs (its generation was not needed), and reap it."""
        if self._process.returncode is None:
            self._process.kill()  # a no-op when it has just ended by itself
            self._process.communicate()
