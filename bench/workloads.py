"""Generates the benchmark workloads in the folder given: a typical
consortium file (the README's ready example), files with 10,000 and 100,000
applicants, a folder of 1,000 typical files, and a workbook of 1,000
partners for `escp import` (written with the standard library only)."""
import pathlib
import shutil
import sys
import zipfile
from xml.sax.saxutils import escape

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


def xlsx(path: pathlib.Path, sheets: dict) -> None:
    """A minimal XLSX: each sheet a list of rows of strings and numbers."""
    def cell(r, c, v):
        ref = f"{chr(65 + c)}{r + 1}"
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names))) + "</Relationships>")
        for i, n in enumerate(names):
            rows = "".join(f'<row r="{r + 1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>" for r, row in enumerate(sheets[n]))
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')


partners = [["Short name", "Legal name", "Role", "Country", "Type", "ECCP", "Legal entity", "SME members"]]
for i in range(1000):
    partners.append([f"P{i}", f"Partner organisation {i}", "Coordinator" if i == 0 else "Partner",
                     COUNTRIES[i % len(COUNTRIES)], "Cluster organisation", "Registered", "yes", i % 300])
xlsx(out / "partners-1000.xlsx", {
    "Proposal": [["Call", "COS-CLUSINT-2020-3-01"], ["Strand", "A"], ["Acronym", "BIG"],
                 ["Duration (months)", 30], ["Requested grant (EUR)", 540000],
                 ["Total costs (EUR)", 600000], ["Actions", "preparatory, implementation"]],
    "Partners": partners,
    "Targets": [["Country", "Region"], ["JP", ""], ["", "Mercosur"]],
})
print(f"workloads in {out}")
