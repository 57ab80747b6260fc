"""The web workbench's check: the server's own time (its `Server-Timing`
header) and the round trip a page's request takes, for the README's ready
and not-ready examples, on `escp serve` started here.

    python3 bench/serve_latency.py [ESCP] [--runs N]

ESCP defaults to target/release/escp (build it first). Uses only the
standard library. Prints a Markdown table in milliseconds: median, 95th
percentile and maximum. bench/run.sh runs it and adds the table to
bench/results.md.
"""

import http.client
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    args = sys.argv[1:]
    runs = 200
    if "--runs" in args:
        at = args.index("--runs")
        runs = int(args[at + 1])
        del args[at : at + 2]
    escp = args[0] if args else str(ROOT / "target/release/escp")
    server = subprocess.Popen([escp, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        # "escp serve at http://127.0.0.1:PORT/"
        address = line.split("http://", 1)[1].strip().rstrip("/")
        host, port = address.rsplit(":", 1)
        print("| what | runs | median | 95th percentile | max |")
        print("|---|---:|---:|---:|---:|")
        for example in ["2020-strand-a-ready.toml", "2020-strand-a-not-ready.toml"]:
            body = (ROOT / "examples" / example).read_bytes()
            server_ms, round_trip_ms = [], []
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            for _ in range(runs + 5):
                started = time.perf_counter()
                connection.request("POST", "/api/check?today=2020-11-01", body=body,
                                   headers={"Content-Type": "text/plain"})
                answer = connection.getresponse()
                answer.read()
                elapsed = (time.perf_counter() - started) * 1000
                if answer.status != 200:
                    sys.exit(f"POST /api/check answered {answer.status}")
                timing = answer.getheader("Server-Timing", "")
                server_ms.append(float(timing.split("dur=", 1)[1]))
                round_trip_ms.append(elapsed)
            connection.close()
            # The first few warm the connection and the ruleset's cache.
            for label, times in [("server time", server_ms[5:]), ("round trip", round_trip_ms[5:])]:
                times.sort()
                p95 = times[int(len(times) * 0.95) - 1]
                print(f"| web check of {example}, {label} | {len(times)} | "
                      f"{statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
