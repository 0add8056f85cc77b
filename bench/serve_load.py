"""Load test of `budgetkg serve`: CLIENTS concurrent clients for SECONDS on 127.0.0.1.

Builds the three samples into a temporary store, starts the real server (uvicorn) in a
subprocess and requests a mix of pages: the home page, department pages (HTML with tables),
project and document pages, Turtle and JSON-LD descriptions, and a small SPARQL query.
Prints requests, errors, throughput and latency percentiles. Asserts nothing.

With --mixed, beside the page clients, SLOW clients send a slow query (a sorted cross product,
stopped at the server's timeout) again and again and LARGE clients ask for every triple (cut
at the result caps); it prints the pages' latency under that load (target: p95 <= 1 s), how
the queries were answered, and the server's peak memory, its processes and their query
processes together (target: below the ceiling printed, from --max-queries x --query-memory).

Run: .venv/bin/python bench/serve_load.py [CLIENTS] [SECONDS] [--mixed [--slow 45] [--large 4]]
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

from budgetkg.build import build
from budgetkg.store.embedded import EmbeddedStore, ensure_ontology

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


SLOW = ("SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c")
LARGE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
MAX_QUERIES, QUERY_MEMORY_MB = 2, 1024


def _rss_tree(pid: int) -> int:
    """Resident bytes of *pid* and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * 4096
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def main(clients: int = 20, seconds: float = 20.0, mixed: bool = False, slow: int = 45, large: int = 4) -> None:
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
        limits = ["--max-queries", str(MAX_QUERIES), "--query-memory", f"{QUERY_MEMORY_MB}M",
                  "--timeout", "5"] if mixed else []
        server = subprocess.Popen([exe, "serve", "--store", str(Path(tmp) / "db"), "--port", str(port), *limits],
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
            answers: dict[str, int] = {}
            lock = threading.Lock()
            stop = time.perf_counter() + seconds
            paths = [p for p in PATHS if not p[0].startswith("/sparql")] if mixed else PATHS
            idle = _rss_tree(server.pid)
            peak = [idle]

            def query(text: str) -> None:
                url = base + "/sparql?query=" + urllib.parse.quote(text)
                while time.perf_counter() < stop:
                    try:
                        with urllib.request.urlopen(url, timeout=60) as r:
                            r.read()
                        what = "200" + (" cut" if r.headers.get("X-BudgetKG-Truncated") else "")
                    except urllib.error.HTTPError as exc:
                        what = str(exc.code) + (" busy" if exc.headers.get("Retry-After") else "")
                        time.sleep(0.5 if exc.headers.get("Retry-After") else 0)
                    except OSError as exc:
                        what = type(exc).__name__
                    with lock:
                        answers[what] = answers.get(what, 0) + 1

            def sample() -> None:
                while time.perf_counter() < stop:
                    peak[0] = max(peak[0], _rss_tree(server.pid))
                    time.sleep(0.2)

            def client(k: int) -> None:
                i = k
                while time.perf_counter() < stop:
                    path, headers = paths[i % len(paths)]
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
            if mixed:
                threads += [threading.Thread(target=query, args=(SLOW,)) for _ in range(slow)]
                threads += [threading.Thread(target=query, args=(LARGE,)) for _ in range(large)]
                threads.append(threading.Thread(target=sample))
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

    if mixed:
        print(f"mixed load: {clients} page clients, {slow} slow-query and {large} large-query clients, "
              f"server --max-queries {MAX_QUERIES} --query-memory {QUERY_MEMORY_MB}M --timeout 5")
        print("queries answered: " + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items())))
        ceiling = idle + MAX_QUERIES * QUERY_MEMORY_MB * 2 ** 20
        print(f"server memory: idle {idle / 2 ** 20:.0f} MB, peak {peak[0] / 2 ** 20:.0f} MB "
              f"(ceiling {ceiling / 2 ** 20:.0f} MB: idle + max-queries x query-memory)")
    print(f"page clients: {clients}, duration: {wall:.1f} s, requests: {len(latencies)}, errors: {len(errors)}")
    print(f"throughput: {len(latencies) / wall:.1f} requests/s")
    print(f"latency ms: p50 {pct(50):.0f}, p95 {pct(95):.0f}, p99 {pct(99):.0f}, max {latencies[-1] * 1000:.0f}")
    for e in errors[:10]:
        print("error:", e)


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clients", nargs="?", type=int, default=20)
    parser.add_argument("seconds", nargs="?", type=float, default=20.0)
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--slow", type=int, default=45)
    parser.add_argument("--large", type=int, default=4)
    a = parser.parse_args()
    main(a.clients, a.seconds, a.mixed, a.slow, a.large)
