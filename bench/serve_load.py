"""Load test of `budgetkg serve`: CLIENTS concurrent clients for SECONDS on 127.0.0.1.

Builds the three samples into a temporary store, starts the real server (uvicorn) in a
subprocess and requests a mix of pages: the home page, department pages (HTML with tables),
project and document pages, Turtle and JSON-LD descriptions, and a small SPARQL query.
Prints requests, errors, throughput and latency percentiles. Asserts nothing.

Run: .venv/bin/python bench/serve_load.py [CLIENTS] [SECONDS]
"""

from __future__ import annotations

import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from budgetkg.batch import build
from budgetkg.store import EmbeddedStore, ensure_ontology

SAMPLES = Path(__file__).resolve().parent.parent / "tests/fixtures/samples"
PATHS = [
    ("/", {}),
    ("/id/org/新疆维吾尔自治区财政厅", {}),
    ("/id/org/新疆维吾尔自治区喀什地区喀什市人民政府办公室", {}),
    ("/id/disclosure/新疆维吾尔自治区人民政府办公厅/2024/project/新疆维吾尔自治区人民政府驻广州办事处/新疆大厦成本性支出", {}),
    ("/id/document/新财预〔2014〕82号", {}),
    ("/id/org/新疆维吾尔自治区财政厅", {"Accept": "text/turtle"}),
    ("/code/function/2024/2010601.jsonld", {}),
    ("/sparql?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/budgetkg/ontology#Project> }"),
     {"Accept": "application/sparql-results+json"}),
]


def main(clients: int = 20, seconds: float = 20.0) -> None:
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db")
        ensure_ontology(store)
        build([SAMPLES], store, report=lambda line: None)
        store.flush()
        del store
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        exe = str(Path(sys.executable).parent / "budgetkg")
        server = subprocess.Popen([exe, "serve", "--store", str(Path(tmp) / "db"), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.perf_counter() + seconds

            def client(k: int) -> None:
                i = k
                while time.perf_counter() < stop:
                    path, headers = PATHS[i % len(PATHS)]
                    i += 1
                    url = base + urllib.parse.quote(path, safe="/?=&%")
                    started = time.perf_counter()
                    try:
                        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
                            r.read()
                        ok, why = r.status == 200, str(r.status)
                    except (OSError, urllib.error.HTTPError) as exc:
                        ok, why = False, str(exc)
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            errors.append(f"{path}: {why}")

            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(10)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    print(f"clients: {clients}, duration: {wall:.1f} s, requests: {len(latencies)}, errors: {len(errors)}")
    print(f"throughput: {len(latencies) / wall:.1f} requests/s")
    print(f"latency ms: p50 {pct(50):.0f}, p95 {pct(95):.0f}, p99 {pct(99):.0f}, max {latencies[-1] * 1000:.0f}")
    for e in errors[:10]:
        print("error:", e)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, float(sys.argv[2]) if len(sys.argv) > 2 else 20.0)
