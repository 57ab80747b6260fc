"""Generates the benchmark workloads in the folder given: a typical
consortium file (the README's ready example), files with 10,000 and 100,000
applicants, and a folder of 1,000 typical files."""
import pathlib
import shutil
import sys

out = pathlib.Path(sys.argv[1])
root = pathlib.Path(__file__).resolve().parent.parent
typical = (root / "examples" / "2020-strand-a-ready.toml").read_text(encoding="utf-8")
(out / "typical.toml").write_text(typical, encoding="utf-8")

COUNTRIES = ["IT", "FR", "ES", "DE", "RS", "PL", "CZ", "AT", "BE", "NL"]


def many(n: int) -> str:
    lines = [
        'call = "COS-CLUSINT-2020-3-01"',
        'strand = "A"',
        "",
        "[proposal]",
        'acronym = "BIG"',
        "duration_months = 30",
        "requested_grant_eur = 540000",
        "total_costs_eur = 600000",
        'actions = ["preparatory", "implementation"]',
    ]
    for i in range(n):
        lines += [
            "",
            "[[partner]]",
            f'short_name = "P{i}"',
            f'name = "Partner organisation {i}"',
            f'role = "{"coordinator" if i == 0 else "partner"}"',
            f'country = "{COUNTRIES[i % len(COUNTRIES)]}"',
            'type = "cluster-organisation"',
            'eccp = "registered"',
            f"sme_members = {i % 300}",
        ]
    lines += ["", "[[target]]", 'country = "JP"', "", "[[target]]", 'region = "Mercosur"']
    return "\n".join(lines) + "\n"


for n in (10_000, 100_000):
    (out / f"applicants-{n}.toml").write_text(many(n), encoding="utf-8")

batch = out / "batch"
shutil.rmtree(batch, ignore_errors=True)
batch.mkdir()
for i in range(1000):
    (batch / f"consortium-{i:04}.toml").write_text(typical, encoding="utf-8")
print(f"workloads in {out}")
