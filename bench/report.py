"""Turns the hyperfine exports and memory readings of bench/run.sh into
bench/results.md: the times, the ratios, and each target met or not."""
import json
import os
import pathlib
import platform
import sys

work = pathlib.Path(sys.argv[1])
rows, ratios = [], {}
for name in ["typical", "applicants-10000", "applicants-100000", "batch-1000", "import-1000"]:
    results = json.loads((work / f"{name}.json").read_text())["results"]
    taplo = work / f"{name}.taplo.json"
    if taplo.exists():
        results += json.loads(taplo.read_text())["results"]
    means = {r["command"]: r for r in results}
    ratios[name] = means
    for command, r in means.items():
        failed = any(code != 0 and code != 1 for code in r.get("exit_codes", []))
        stddev = r.get("stddev") or 0.0
        cpu = (r.get("user") or 0.0) + (r.get("system") or 0.0)
        rows.append(f"| {name} | {command} | {r['mean'] * 1000:.1f} ± {stddev * 1000:.1f} | {r['min'] * 1000:.1f} | {cpu * 1000:.1f} | {len(r['times'])} |{' (exit code 2+)' if failed else ''}")


def mean(name, command):
    r = ratios[name].get(command)
    return r["mean"] if r else None


def size(name):
    return (work / f"{name}.toml").stat().st_size


def rss(name, kind="rss"):
    path = work / f"{name}.{kind}"
    return int(path.read_text().split()[-1]) * 1024 if path.exists() else None


checks = []


def target(label, value, limit, better="lower"):
    ok = value is not None and (value <= limit if better == "lower" else value >= limit)
    shown = "n/a" if value is None else f"{value:.2f}"
    checks.append(f"| {label} | {shown} | {'≤' if better == 'lower' else '≥'} {limit} | {'met' if ok else 'NOT met'} |")


for name, limit in [("typical", 50), ("applicants-100000", 20), ("batch-1000", 20)]:
    cjs = mean(name, "check-jsonschema")
    target(f"check-jsonschema / escp, {name}", cjs / mean(name, "escp") if cjs else None, limit, "higher")
# The goals of issue 22: wall time against the floor (escp checks files in
# parallel, the floor does not: CPU time is in the table above).
for name, limit in [("typical", 1.5), ("applicants-100000", 1.2), ("batch-1000", 2)]:
    target(f"escp / parse floor, {name}", mean(name, "escp") / mean(name, "parse-floor"), limit)


def cpu(name, command):
    r = ratios[name][command]
    return (r.get("user") or 0.0) + (r.get("system") or 0.0)


cpu_ratio = cpu("batch-1000", "escp") / cpu("batch-1000", "parse-floor")
checks.append(f"| escp / parse floor, batch-1000, CPU time (user + system; reported, no target) | {cpu_ratio:.2f} | | |")
target("escp time, 100,000 / 10,000 applicants", mean("applicants-100000", "escp") / mean("applicants-10000", "escp"), 12)
target("escp peak memory / file size, 100,000 applicants", rss("applicants-100000") / size("applicants-100000"), 10)
target("escp import of a 1,000-partner XLSX, ms (issue 20)", mean("import-1000", "escp import") * 1000, 1000)

mem = []
if rss("import-1000"):
    mem.append(f"| import-1000 (XLSX) | {(work / 'partners-1000.xlsx').stat().st_size / 1e6:.2f} MB | {rss('import-1000') / 1e6:.1f} MB | |")
for name in ["typical", "applicants-10000", "applicants-100000"]:
    mem.append(
        f"| {name} | {size(name) / 1e6:.2f} MB | {rss(name) / 1e6:.1f} MB | {rss(name, 'floor-rss') / 1e6:.1f} MB |"
    )

print(f"""# Benchmark results

Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}.
Written by `bash bench/run.sh`.

## Times (ms, hyperfine: wall time mean ± standard deviation and minimum; CPU = user + system, mean)

| workload | command | mean | min | CPU | runs |
|---|---|---:|---:|---:|---:|
""" + "\n".join(rows) + """

## Peak memory (maximum resident set size)

| workload | file size | escp | parse floor |
|---|---:|---:|---:|
""" + "\n".join(mem) + """

## Targets (issues 6, 20 and 22)

| ratio | measured | target | |
|---|---:|---|---|
""" + "\n".join(checks))
