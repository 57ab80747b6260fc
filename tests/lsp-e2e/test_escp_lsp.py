"""escp lsp end to end, driven by pytest-lsp (a real LSP client from PyPI)
with the captured client capabilities of VS Code and of Neovim: the
diagnostics of a real consortium file, hover, completion and a quick fix.
pytest-lsp also checks every answer against what the client said it can
take (run.sh turns its warnings into errors)."""

import json
import os
import pathlib
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
ESCP = os.environ.get("ESCP", str(ROOT / "target" / "release" / "escp"))
TODAY = "2020-11-01"
NOT_READY = ROOT / "examples" / "2020-strand-a-not-ready.toml"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[ESCP, "lsp"]),
    params=["visual-studio-code", "neovim"],
)
async def client(request, lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=ROOT.as_uri(),
            initialization_options={"today": TODAY, "debounceMs": 50},
        )
    )
    lsp_client.escp_encoding = result.capabilities.position_encoding
    lsp_client.escp_client = request.param
    yield
    await lsp_client.shutdown_session()


def character(client, line: str, column: int) -> int:
    """A 0-based character offset into `line` in the negotiated encoding,
    from a 0-based count of Unicode characters."""
    before = line[:column]
    if client.escp_encoding == "utf-8":
        return len(before.encode("utf-8"))
    if client.escp_encoding == "utf-32":
        return len(before)
    return len(before.encode("utf-16-le")) // 2


def position_of(client, text: str, needle: str, shift: int = 0) -> types.Position:
    at = text.index(needle) + shift
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return types.Position(line=line, character=character(client, text[start:].split("\n")[0], at - start))


async def open_and_wait(client: LanguageClient, path: pathlib.Path, text: str):
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
        )
    )
    while True:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics:
            return uri, client.diagnostics[uri]


@pytest.mark.asyncio(loop_scope="function")
async def test_position_encoding_is_negotiated(client: LanguageClient):
    # Neovim offers UTF-8 (no conversion); VS Code offers nothing: UTF-16.
    expected = {"neovim": "utf-8", "visual-studio-code": "utf-16"}[client.escp_client]
    assert client.escp_encoding == expected


@pytest.mark.asyncio(loop_scope="function")
async def test_diagnostics_are_those_of_escp_check(client: LanguageClient):
    text = NOT_READY.read_text(encoding="utf-8")
    uri, diagnostics = await open_and_wait(client, NOT_READY, text)

    check = subprocess.run(
        [ESCP, "check", "--format", "json", "--today", TODAY, str(NOT_READY)],
        capture_output=True,
        check=False,
    )
    report = json.loads(check.stdout)["files"][0]
    expected = report["diagnostics"]
    lines = text.split("\n")
    want = [
        (
            d["rule"],
            types.DiagnosticSeverity.Error if d["severity"] == "error" else types.DiagnosticSeverity.Warning,
            d["line"] - 1,
            character(client, lines[d["line"] - 1], d["column"] - 1),
        )
        for d in expected
    ]
    findings = [d for d in diagnostics if d.severity != types.DiagnosticSeverity.Information]
    got = [(d.code, d.severity, d.range.start.line, d.range.start.character) for d in findings]
    assert got == want

    verdict = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Information]
    assert len(verdict) == 1
    status = report["status"].replace("-", " ").upper()
    errors = report["errors"]
    assert verdict[0].message.startswith(f"{status}: {errors} error"), verdict[0].message


@pytest.mark.asyncio(loop_scope="function")
async def test_hover_on_a_country_and_on_the_call(client: LanguageClient):
    text = NOT_READY.read_text(encoding="utf-8")
    uri, _ = await open_and_wait(client, NOT_READY, text)
    doc = types.TextDocumentIdentifier(uri=uri)

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=position_of(client, text, '"CH"', 1))
    )
    assert "Switzerland" in hover.contents.value
    assert "COSME participating countries: no" in hover.contents.value

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=position_of(client, text, '"COS-CLUSINT', 3))
    )
    assert "2 December 2020" in hover.contents.value
    assert "`B`" in hover.contents.value


@pytest.mark.asyncio(loop_scope="function")
async def test_completion_of_types_and_countries(client: LanguageClient, tmp_path):
    text = 'call = "COS-CLUSINT-2020-3-01"\nstrand = "A"\n\n[[partner]]\ntype = "\ncountry = "Ελ\n'
    path = tmp_path / "consortium.toml"
    uri, _ = await open_and_wait(client, path, text)
    doc = types.TextDocumentIdentifier(uri=uri)

    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc, position=position_of(client, text, 'type = "', 8))
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [i.label for i in items] == ["cluster-organisation", "business-network-organisation", "other"]

    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc, position=position_of(client, text, '"Ελ', 3))
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    greece = next(i for i in items if i.label == "GR")
    assert greece.detail == "Greece"
    # The edit replaces what was typed inside the quotes.
    assert greece.text_edit.new_text == "GR"
    assert greece.text_edit.range.start == position_of(client, text, "Ελ")


@pytest.mark.asyncio(loop_scope="function")
async def test_quick_fix_writes_the_code_of_a_country_name(client: LanguageClient, tmp_path):
    text = NOT_READY.read_text(encoding="utf-8").replace('country = "IT"', 'country = "Italia"', 1)
    path = tmp_path / "consortium.toml"
    uri, diagnostics = await open_and_wait(client, path, text)
    invalid = next(d for d in diagnostics if d.code == "invalid-value")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=invalid.range,
            context=types.CodeActionContext(diagnostics=[invalid]),
        )
    )
    fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix)
    assert fix.title == 'write the code "IT" (Italy)'
    edit = fix.edit
    if edit.document_changes:
        edits = edit.document_changes[0].edits
    else:
        edits = edit.changes[uri]
    assert [(e.range, e.new_text) for e in edits] == [(invalid.range, '"IT"')]
