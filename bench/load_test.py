"""Load test of `giftwatch serve`: requests/second, p50/p99 latency and errors for a mix of pages and API
reads, from this second process, while (optionally) an ingest writes to the same database.

usage: python bench/load_test.py [--db DB | --url http://127.0.0.1:PORT] [--ingest PATH ...]
                                 [--requests N] [--seconds S] [--concurrency C] [--json]

Without --url it starts `giftwatch serve --db DB` on a free port of 127.0.0.1 and stops it at the end. With
--ingest it starts `giftwatch ingest PATH ... --db DB` at the same time and keeps loading the server until the
ingest finishes; the run always stops by itself after N requests or S seconds (an ingest still running then is
stopped with SIGTERM, which keeps what it stored). Only loopback addresses are loaded. Every answer other than
2xx, and every connection failure or timeout, is an error. Names and ids in the URLs are taken from the
server's own /api/gifts and /api/articles as they fill up.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")
GIFTWATCH = Path(sys.executable).with_name("giftwatch")
REQUEST_TIMEOUT = 30.0
SEARCH_WORDS = ("foundation", "hospital", "scholarships", "library", "gift", "museum")


class Targets:
    """The URL mix: fixed pages and API lists, plus donors and articles seen so far (refreshed as data grows)."""

    FIXED = ("/", "/gifts", "/donors", "/recipients", "/quotes", "/articles", "/api/stats", "/api/gifts?per_page=25",
             "/api/quotes?per_page=25", "/api/donors", "/api/recipients", "/api/articles?per_page=25")

    def __init__(self) -> None:
        self.donors: list[str] = []
        self.articles: list[str] = []
        self.lock = threading.Lock()

    def refresh(self, get) -> None:
        gifts = get("/api/gifts?per_page=50&sort=date")
        articles = get("/api/articles?per_page=50")
        with self.lock:
            if gifts:
                self.donors = sorted({d for g in gifts.get("items", []) for d in g.get("donors") or []})
            if articles:
                self.articles = [a["id"] for a in articles.get("items", []) if a.get("id")]

    def pick(self, rnd: random.Random) -> tuple[str, str]:
        """(kind for the report, path)."""
        with self.lock:
            donors, articles = list(self.donors), list(self.articles)
        choice = rnd.random()
        word = rnd.choice(SEARCH_WORDS)
        if choice < 0.08:
            return "page search", f"/search?q={word}"
        if choice < 0.16:
            return "api search", f"/api/search?q={word}"
        if choice < 0.26 and donors:
            name = quote(rnd.choice(donors), safe="")
            return ("page donor", f"/donors/{name}") if rnd.random() < 0.5 else ("api donor", f"/api/donors/{name}")
        if choice < 0.36 and articles:
            article = quote(rnd.choice(articles), safe="")
            return ("page article", f"/articles/{article}") if rnd.random() < 0.5 else \
                ("api article", f"/api/articles/{article}")
        if choice < 0.42 and donors:
            return "api gifts filtered", f"/api/gifts?donor={quote(rnd.choice(donors).split()[-1], safe='')}"
        path = rnd.choice(self.FIXED)
        name = path.split("?")[0].strip("/").removeprefix("api").strip("/") or "home"
        return ("api " if path.startswith("/api") else "page ") + name, path


class Load:
    """Worker threads, each with its own keep-alive connection, sharing one request budget and deadline."""

    def __init__(self, host: str, port: int, *, requests: int, deadline: float, stop: threading.Event):
        self.host, self.port = host, port
        self.budget, self.deadline, self.stop = requests, deadline, stop
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.error_samples: list[str] = []
        self.targets = Targets()
        self.sent = 0

    def _take(self) -> bool:
        with self.lock:
            if self.sent >= self.budget or time.monotonic() >= self.deadline or self.stop.is_set():
                return False
            self.sent += 1
            return True

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)

    def get_json(self, path: str) -> dict | None:
        """One request outside the measured mix (to learn names); None when it fails."""
        connection = self._connection()
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read()
            return json.loads(body) if response.status == 200 else None
        except (OSError, http.client.HTTPException, ValueError):
            return None
        finally:
            connection.close()

    def worker(self, seed: int) -> None:
        rnd = random.Random(seed)
        connection = self._connection()
        while self._take():
            kind, path = self.targets.pick(rnd)
            started = time.perf_counter()
            problem = None
            try:
                connection.request("GET", path, headers={"Accept": "text/html" if kind.startswith("page") else
                                                         "application/json"})
                response = connection.getresponse()
                response.read()
                if not 200 <= response.status < 300:
                    problem = f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = type(exc).__name__
                connection.close()
                connection = self._connection()
            elapsed = time.perf_counter() - started
            with self.lock:
                if problem:
                    self.errors[kind] += 1
                    if len(self.error_samples) < 10:
                        self.error_samples.append(f"{problem} on {path}")
                else:
                    self.latencies[kind].append(elapsed)
        connection.close()

    def run(self, concurrency: int) -> float:
        """Run the load; returns the seconds it took."""
        self.targets.refresh(self.get_json)
        refresher_stop = threading.Event()

        def refresh_names() -> None:
            while not refresher_stop.wait(1.0):
                self.targets.refresh(self.get_json)

        refresher = threading.Thread(target=refresh_names, daemon=True)
        refresher.start()
        started = time.perf_counter()
        threads = [threading.Thread(target=self.worker, args=(n,)) for n in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refresher_stop.set()
        return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarize(load: Load, seconds: float) -> dict:
    every = [v for values in load.latencies.values() for v in values]
    done = len(every) + sum(load.errors.values())
    per_kind = {kind: {"requests": len(values) + load.errors[kind], "errors": load.errors[kind],
                       "p50_ms": round(1000 * _percentile(values, 0.50), 1),
                       "p99_ms": round(1000 * _percentile(values, 0.99), 1)}
                for kind, values in sorted(load.latencies.items())}
    for kind in load.errors:
        per_kind.setdefault(kind, {"requests": load.errors[kind], "errors": load.errors[kind]})
    return {"requests": done, "errors": sum(load.errors.values()), "seconds": round(seconds, 2),
            "requests_per_second": round(done / seconds, 1) if seconds else 0.0,
            "p50_ms": round(1000 * _percentile(every, 0.50), 1), "p99_ms": round(1000 * _percentile(every, 0.99), 1),
            "mean_ms": round(1000 * statistics.fmean(every), 1) if every else 0.0,
            "error_samples": load.error_samples, "by_kind": per_kind}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(host: str, port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"giftwatch serve exited with code {server.returncode} before answering")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/api/stats")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"giftwatch serve did not answer on {host}:{port} within {timeout:.0f} s")


def _stop(process: subprocess.Popen | None, how: int = signal.SIGTERM) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--db", help="Database to serve (a server is started on a free port of 127.0.0.1).")
    target.add_argument("--url", help="A running server on this computer, e.g. http://127.0.0.1:8000.")
    parser.add_argument("--ingest", nargs="+", metavar="PATH", help="Ingest these into --db while loading.")
    parser.add_argument("--requests", type=int, default=2000, help="Stop after this many requests (default 2000).")
    parser.add_argument("--seconds", type=float, default=60.0, help="Stop after this many seconds (default 60).")
    parser.add_argument("--concurrency", type=int, default=4, help="Simultaneous connections (default 4).")
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.seconds <= 0 or args.concurrency < 1:
        parser.error("--requests, --seconds and --concurrency must be positive")
    if args.ingest and not args.db:
        parser.error("--ingest needs --db (the database the server reads)")

    server = ingest = None
    ingest_log = Path(args.db).with_suffix(".ingest.log") if args.db else None
    try:
        if args.url:
            parts = urlsplit(args.url)
            if parts.hostname not in LOOPBACK:
                parser.error(f"only loopback addresses are loaded ({', '.join(LOOPBACK)}), not {parts.hostname}")
            host, port = parts.hostname, parts.port or 80
        else:
            host, port = "127.0.0.1", _free_port()
            server = subprocess.Popen([str(GIFTWATCH), "serve", "--db", args.db, "--host", host, "--port", str(port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _wait_until_serving(host, port, server)
        stop = threading.Event()
        if args.ingest:
            with open(ingest_log, "w") as log:
                ingest = subprocess.Popen([str(GIFTWATCH), "ingest", *args.ingest, "--db", args.db, "--workers", "1",
                                           "--no-progress"], stdout=log, stderr=subprocess.STDOUT)
            threading.Thread(target=lambda: (ingest.wait(), stop.set()), daemon=True).start()
        load = Load(host, port, requests=args.requests, deadline=time.monotonic() + args.seconds, stop=stop)
        seconds = load.run(args.concurrency)
        result = summarize(load, seconds)
        if ingest is not None:
            still_running = ingest.poll() is None
            _stop(ingest)
            result["ingest"] = {"finished": not still_running, "exit_code": ingest.returncode,
                                "output": ingest_log.read_text(errors="replace").strip().splitlines()[-4:]}
    finally:
        _stop(ingest)
        _stop(server)
    _print(result, as_json=args.json)
    return 0


def _print(result: dict, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result))
        return
    print(f"{result['requests']} requests in {result['seconds']} s: {result['requests_per_second']} requests/s, "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, {result['errors']} errors")
    for kind, figures in result["by_kind"].items():
        print(f"  {kind:22s} {figures['requests']:6d} requests  p50 {figures.get('p50_ms', 0):7.1f} ms  "
              f"p99 {figures.get('p99_ms', 0):7.1f} ms  errors {figures['errors']}")
    for sample in result["error_samples"]:
        print(f"  error: {sample}")
    if "ingest" in result:
        state = "finished" if result["ingest"]["finished"] else "stopped at the time limit"
        print(f"ingest {state} (exit code {result['ingest']['exit_code']}):")
        for line in result["ingest"]["output"]:
            print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
