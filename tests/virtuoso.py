"""A private Virtuoso 7 server for the tests: Debian's binaries, installed here when missing,
started in a temporary directory on 127.0.0.1 with ports of its own, stopped at the end.

Debian's ``virtuoso-opensource`` (→ ``virtuoso-opensource-7``) starts a system-wide server on
ports 1111 and 8890 from its postinst; ``virtuoso-opensource-7-bin`` holds the same
``virtuoso-t`` and ``isql-vt`` without a service, and is what is installed here.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from browser import debian_files

from budgetkg.store.server import RemoteStore
from budgetkg.store.virtuoso import VirtuosoStore

NEEDED = {"virtuoso-opensource-7-bin": "/usr/bin/virtuoso-t"}      # virtuoso-t and isql-vt
ISQL = "/usr/bin/isql-vt"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}/load
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = 400
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_binary() -> str:
    debian_files(NEEDED)
    return NEEDED["virtuoso-opensource-7-bin"]


class Virtuoso:
    """``virtuoso-t +foreground`` on a fresh database in *directory*; SPARQL update and Graph
    Store writes over HTTP granted to the ``SPARQL`` user (no credentials needed)."""

    def __init__(self, directory: Path, max_rows: int = 10000, max_seconds: int = 60):
        binary = virtuoso_binary()
        self.dir = Path(directory).resolve()
        self.load_dir = self.dir / "load"
        self.load_dir.mkdir(parents=True, exist_ok=True)
        self.max_rows = max_rows
        self.isql_port, self.http_port = free_port(), free_port()
        self.isql_address = f"127.0.0.1:{self.isql_port}"
        self.url = f"http://127.0.0.1:{self.http_port}"
        ini = self.dir / "virtuoso.ini"
        ini.write_text(INI.format(dir=self.dir, isql_port=self.isql_port, http_port=self.http_port,
                                  max_rows=max_rows, max_seconds=max_seconds), encoding="utf-8")
        self.proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=self.dir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._wait()
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except BaseException:
            self.stop()
            raise

    def _wait(self, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.proc.returncode}): {self.log()[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.url}/sparql?query=ASK%7B%7D", timeout=2).read()
                if "Server online at" in self.log():          # isql's port is up too
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not start in {seconds:.0f} s: {self.log()[-2000:]}")

    def log(self) -> str:
        path = self.dir / "virtuoso.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def isql(self, script: str) -> str:
        done = subprocess.run([ISQL, self.isql_address, "dba", "dba"], input=script, capture_output=True,
                              text=True, timeout=120)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output[-2000:]}")
        return output

    # the endpoints, as the command line takes them
    @property
    def endpoint(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store_endpoint(self) -> str:
        return f"{self.url}/sparql-graph-crud"

    def options(self, writing: bool = True) -> list[str]:
        extra = ["--update-endpoint", self.endpoint, "--store-endpoint", self.store_endpoint] if writing else []
        return ["--endpoint", self.endpoint, *extra]

    def remote(self, writable: bool = True) -> RemoteStore:
        """The plain SPARQL 1.1 server store, as ``--endpoint`` opens it."""
        return RemoteStore(self.endpoint, update_endpoint=self.endpoint, store_endpoint=self.store_endpoint,
                           writable=writable)

    def store(self, writable: bool = True, bulk: bool = True) -> VirtuosoStore:
        """The Virtuoso store, with its bulk loader (isql and the load directory) when *bulk*."""
        extra = dict(isql=self.isql_address, load_dir=self.load_dir) if bulk else {}
        return VirtuosoStore(self.endpoint, update_endpoint=self.endpoint, store_endpoint=self.store_endpoint,
                             writable=writable, **extra)

    def stop(self) -> None:
        """SIGTERM: Virtuoso checkpoints and exits."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
