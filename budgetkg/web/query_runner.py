"""The SPARQL endpoint's queries, each run in a child process of its own.

The child opens the store read-only (or asks the server behind), so a runaway query is killed at
the timeout without harming the server; it has a memory ceiling, the row cap and a cap on the
result's bytes are applied while reading solutions, and a truncated result says so. The child
answers the parent with one message: ``("select", columns, rows, truncated)``, ``("ask", bool)``,
``("graph", N-Triples, truncated)``, ``("syntax", why)`` or ``("error", why)``; the parent adds
``("timeout", why)``, ``("memory", why)`` and ``("busy", why)``.
"""

from __future__ import annotations

import multiprocessing
import os

import pyoxigraph as ox

from budgetkg.errors import BudgetKGError
from budgetkg.store.guard import deny_network

QUERY_MEMORY = 1 << 30          # bytes of heap one query process may use
RESULT_BYTES = 32 << 20         # bytes of terms one result may hold


def _child(location: str | None, server, text: str, cap: int, conn,
           memory: int | None = None, max_bytes: int | None = None) -> None:
    """Evaluate *text* over the store at *location* or the *server* store; send the answer, or
    the error, on *conn*."""
    try:
        if memory:              # a sort or group that grows past this ends the process, not the server
            import resource
            resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        answer = _evaluate(location, server, text)
        if answer[0] == "ask":
            conn.send(answer)
            return
        kind, columns, items = answer
        items, truncated = _capped(items, cap, max_bytes)
        if kind == "select":
            conn.send(("select", columns, items, truncated))
        else:
            conn.send(("graph", ox.serialize(items, format=ox.RdfFormat.N_TRIPLES), truncated))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    # What evaluating a query can raise: pyoxigraph's errors (OSError, RuntimeError, ValueError),
    # a server's (BudgetKGError) and running out of the memory a query may use. Anything else is
    # a bug: the child ends with its traceback on stderr, and the parent answers the client that
    # "the query process ended without an answer".
    except (BudgetKGError, OSError, RuntimeError, ValueError, MemoryError) as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _evaluate(location: str | None, server, text: str):
    """("ask", bool), or ("select", columns, solutions) or ("graph", None, triples), the
    solutions and triples iterators."""
    if location:
        deny_network()       # the embedded store needs no network: a missed SERVICE reaches nobody
        answer = ox.Store.read_only(location).query(text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            return ("ask", bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            columns = [v.value for v in answer.variables]
            return ("select", columns, ([s[c] for c in columns] for s in answer))
        return ("graph", None, iter(answer))
    from budgetkg.store.query import returns_graph
    if returns_graph(text):
        return ("graph", None, iter(server.construct(text, source="/sparql").triples))
    result = server.select(text, source="/sparql")
    return ("select", result.columns, iter(result.rows))


def _capped(items, cap: int, max_bytes: int | None) -> tuple[list, bool | str]:
    """The first *cap* of *items* (solutions or triples), no more than *max_bytes* of them; and
    whether they were cut: True at *cap*, "bytes" at *max_bytes*."""
    kept, size = [], 0
    for item in items:
        if len(kept) == cap:
            return kept, True
        size += _size(item)
        if max_bytes and size > max_bytes:
            return kept, "bytes"
        kept.append(item)
    return kept, False


def human(n: int) -> str:
    """A number of bytes for people: 1 GB, 32 MB, 512 bytes."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _size(item) -> int:
    """About how many bytes a solution or triple takes in a response."""
    terms = item if isinstance(item, list) else (item.subject, item.predicate, item.object)
    return sum(16 + len(getattr(t, "value", "") or "") for t in terms if t is not None)


class QueryRunner:
    """Runs one SPARQL query in a fresh child process with a timeout, a row cap, a cap on the
    result's bytes and a memory ceiling; at most *concurrent* at once (the others wait, up to
    *waiting*, then are turned away), on threads of their own so that pages never wait for them."""

    def __init__(self, location: str | None, server, timeout: float, cap: int,
                 memory: int = QUERY_MEMORY, max_bytes: int = RESULT_BYTES, concurrent: int | None = None,
                 waiting: int | None = None):
        import anyio
        # *server*: the store of a SPARQL server (opened, and told Virtuoso or not, once, by the
        # site), handed to each query's process
        self.location, self.server, self.timeout, self.cap = location, server, timeout, cap
        self.memory, self.max_bytes = memory, max_bytes
        self.concurrent = concurrent or max(2, os.cpu_count() or 2)
        self.waiting = waiting if waiting is not None else 8 * self.concurrent
        self.limiter = anyio.CapacityLimiter(self.concurrent)
        self.queued = 0
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(["pyoxigraph"])

    async def submit(self, text: str):
        """Run *text* on the query threads; ("busy", why) when too many queries are waiting."""
        import anyio
        if self.queued >= self.concurrent + self.waiting:
            return ("busy", f"{self.queued} queries are running or waiting; try again shortly")
        self.queued += 1
        try:
            return await anyio.to_thread.run_sync(self.run, text, limiter=self.limiter)
        finally:
            self.queued -= 1

    def run(self, text: str):
        parent, child = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_child, args=(self.location, self.server, text, self.cap, child,
                                                     self.memory, self.max_bytes), daemon=True)
        proc.start()
        child.close()
        try:
            if not parent.poll(self.timeout):
                proc.kill()
                return ("timeout", f"the query ran longer than the {self.timeout:g} s timeout and was stopped")
            try:
                return parent.recv()
            except EOFError:
                proc.join(5)
                if proc.exitcode is not None and proc.exitcode < 0 or proc.exitcode == 134:
                    return ("memory", f"the query needed more than the {human(self.memory)} a query may "
                                      f"use and was stopped; narrow it (LIMIT, fewer variables, no cross "
                                      f"product)")
                return ("error", "the query process ended without an answer")
        finally:
            parent.close()
            proc.join(5)
