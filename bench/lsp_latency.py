"""The language server's latency: the time from a `didChange` to the
`publishDiagnostics` of that version, on a typical consortium file and on
one of 10,000 applicants (the workloads of bench/workloads.py), and the
time a hover takes while the check of a change of the 10,000-applicant file
is running.

    python3 bench/lsp_latency.py [ESCP] [--runs N]

ESCP defaults to target/release/escp (build it first: cargo build
--release). Each edit flips one applicant's country between "IT" and "FR"
(so that each version is checked afresh); the edits are sent one at a time,
each after the previous version's diagnostics arrived. Two debounce
settings are measured: the default 200 ms (what a user sees: the wait is
the debounce plus the check) and 0 ms (the check, conversion and transport
alone). Prints a Markdown table: median, 10th and 90th percentile, minimum
and maximum, in milliseconds.
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Server:
    def __init__(self, escp: str, debounce_ms: int):
        self.proc = subprocess.Popen(
            [escp, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT
        )
        self.next_id = 1
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "capabilities": {},
                "initializationOptions": {"today": "2020-11-01", "debounceMs": debounce_ms},
            },
        )
        self.notify("initialized", {})

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            line = line.decode().strip()
            if not line:
                break
            if line.lower().startswith("content-length:"):
                length = int(line.split(":")[1])
        return json.loads(self.proc.stdout.read(length))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == rid and "method" not in message:
                return message.get("result")

    def diagnostics(self, uri, version):
        while True:
            message = self.read()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return params["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=30)


def country_line(text: str) -> int:
    """The 0-based line of the first `country = "IT"` in an applicant."""
    for i, line in enumerate(text.split("\n")):
        if line.startswith('country = "IT"'):
            return i
    raise ValueError("no Italian applicant")


def change_latency(escp, path: pathlib.Path, debounce_ms: int, runs: int):
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    line = country_line(text)
    server = Server(escp, debounce_ms)
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}},
    )
    server.diagnostics(uri, 1)
    times = []
    for version in range(2, runs + 2):
        code = "FR" if version % 2 == 0 else "IT"
        edit = {
            "range": {
                "start": {"line": line, "character": 11},
                "end": {"line": line, "character": 13},
            },
            "text": code,
        }
        start = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]},
        )
        server.diagnostics(uri, version)
        times.append((time.perf_counter() - start) * 1000)
    server.close()
    return times


def hover_while_checking(escp, path: pathlib.Path, runs: int):
    """Hover right after a change, while its check runs (no debounce)."""
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    line = country_line(text)
    server = Server(escp, 0)
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}},
    )
    server.diagnostics(uri, 1)
    times = []
    for version in range(2, runs + 2):
        code = "FR" if version % 2 == 0 else "IT"
        edit = {
            "range": {"start": {"line": line, "character": 11}, "end": {"line": line, "character": 13}},
            "text": code,
        }
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]},
        )
        start = time.perf_counter()
        result = server.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": 12}},
        )
        times.append((time.perf_counter() - start) * 1000)
        assert result and "EU Member States" in result["contents"]["value"], result
        server.diagnostics(uri, version)
    server.close()
    return times


def summary(times):
    ordered = sorted(times)
    decile = statistics.quantiles(ordered, n=10)
    return (
        f"{statistics.median(ordered):.1f} | {decile[0]:.1f} | {decile[-1]:.1f} | "
        f"{ordered[0]:.1f} | {ordered[-1]:.1f}"
    )


def main():
    args = sys.argv[1:]
    runs = 30
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i : i + 2]
    escp = args[0] if args else str(ROOT / "target" / "release" / "escp")
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        subprocess.run([sys.executable, str(ROOT / "bench" / "workloads.py"), str(work)], check=True)
        typical = work / "typical.toml"
        big = work / "applicants-10000.toml"
        print(f"{runs} edits per row; times in ms.\n")
        print("| workload | debounce | median | p10 | p90 | min | max |")
        print("|---|---|---|---|---|---|---|")
        for name, path in [("typical", typical), ("10,000 applicants", big)]:
            for debounce in (200, 0):
                times = change_latency(escp, path, debounce, runs)
                print(f"| change -> diagnostics, {name} | {debounce} ms | {summary(times)} |")
        times = hover_while_checking(escp, big, runs)
        print(f"| hover during a check, 10,000 applicants | - | {summary(times)} |")


if __name__ == "__main__":
    main()
