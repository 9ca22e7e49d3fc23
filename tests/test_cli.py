"""The `kg` command line, driven through typer's CliRunner."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.vocab import KG, OA, RDF

SHIPPED = ("agreements", "agreements-by-topic", "evidence", "roles", "signatories")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    # A fixed width: rich wraps output at the terminal width (80 when not a terminal).
    return runner.invoke(app, list(args), env={"COLUMNS": "80"})


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- help ------------------------------------------------------------------------------

COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


def test_every_user_facing_command_is_registered() -> None:
    assert set(COMMANDS) >= {"build", "query", "serve", "validate", "diff", "stats", "export", "view", "evaluate",
                             "queries"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_that_says_what_it_does(runner: CliRunner, command: str) -> None:
    """Walks every registered command, as a user typing `kg COMMAND --help` would."""
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0, result.output
    assert f" {command} [OPTIONS]" in result.stdout
    click_command = typer.main.get_command(app).commands[command]
    assert click_command.help and " ".join(click_command.help.split()[:6]) in " ".join(result.stdout.split())
    unexplained = [param.name for param in click_command.params if not getattr(param, "help", None)]
    assert not unexplained, f"`kg {command}` has options or arguments without help: {unexplained}"


def test_no_arguments_shows_every_command(runner: CliRunner) -> None:
    result = invoke(runner)
    assert "knowledge graph" in result.output
    for command in COMMANDS:
        assert command in result.output


# --- build -----------------------------------------------------------------------------

def test_build(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    sources, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(repo / "seeds", sources)
    result = invoke(runner, "build", str(sources), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert re.search(r"articles read\s+2\b", result.stdout)
    assert re.search(r"articles skipped\s+0\b", result.stdout)
    assert re.search(r"agreements\s+2\b", result.stdout)
    assert re.search(r"memberships\s+3\b", result.stdout)
    assert re.search(r"people\s+4\b", result.stdout)
    triples = re.search(r"triples\s+(\d+)", result.stdout)
    assert triples
    assert int(triples.group(1)) == len(Graph().parse(out / "kg.ttl", format="turtle"))
    assert (out / "kg.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "skipped" not in result.stderr


def test_build_reports_a_skipped_file(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    shutil.copytree(repo / "seeds", sources)
    (sources / "empty.txt").write_bytes(b"")
    (sources / "[bold]note.txt").write_bytes(b"")  # a name is shown as it is, not read as markup
    result = invoke(runner, "build", str(sources), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "skipped empty.txt: is empty" in result.stderr
    assert "skipped [bold]note.txt: is empty" in result.stderr
    assert re.search(r"articles skipped\s+2\b", result.stdout)


def test_build_strict_stops_at_a_bad_file(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    sources, out = tmp_path / "articles", tmp_path / "out"
    shutil.copytree(repo / "seeds", sources)
    (sources / "empty.txt").write_bytes(b"")
    result = invoke(runner, "build", str(sources), "--out", str(out), "--strict")
    assert result.exit_code == 1
    assert "empty.txt: is empty" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("files", [{}, {"empty.txt": b"", "notes.pdf": b"%PDF-1.4"}], ids=["empty", "all skipped"])
def test_a_build_that_reads_no_article_fails_and_leaves_the_outputs(runner: CliRunner, repo: Path, tmp_path: Path,
                                                                    files: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    shutil.copytree(repo / "graphs", out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    result = invoke(runner, "build", str(folder), "--out", str(out))
    assert result.exit_code == 1
    assert f"{folder}: no article was read" in result.stderr and "left as they were" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name in before} == before


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--help",), 0, "knowledge graph"),
    (("build", "no-such-folder"), 1, "no-such-folder: no such file or folder"),
    (("query",), 2, "Missing argument"),
])
def test_the_kg_command_exits_with_the_commands_code_and_all_its_output(tmp_path: Path, args: tuple[str, ...],
                                                                         code: int, words: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert done.returncode == code
    assert words in done.stdout + done.stderr


# --- optional extras -------------------------------------------------------------------

def test_serve_without_the_server_extra_says_which_extra_to_install(runner: CliRunner, built: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "kg.serve", raising=False)
    monkeypatch.setitem(sys.modules, "starlette.applications", None)  # as if starlette were not installed
    result = invoke(runner, "serve", "--graph", str(built / "kg.ttl"))
    assert result.exit_code == 1
    (message,) = lines(result.stderr)
    assert "vjkg[serve]" in message and "Traceback" not in result.output


def test_dask_without_the_dask_extra_says_which_extra_to_install(runner: CliRunner, repo: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if distributed were not installed
    result = invoke(runner, "build", str(repo / "seeds"), "--out", str(tmp_path / "out"), "--no-cache",
                    "--dask", "tcp://127.0.0.1:1")
    assert result.exit_code == 1
    (message,) = lines(result.stderr)
    assert "vjkg[dask]" in message and "Traceback" not in result.output
    assert not (tmp_path / "out" / "kg.ttl").exists()


def test_build_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = invoke(runner, "build", str(missing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    (message,) = lines(result.stderr)
    assert str(missing) in message and "no such file or folder" in message
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# --- query -----------------------------------------------------------------------------

def check_table(stdout: str, stderr: str) -> None:
    assert "Nguyễn Mạnh Hùng" in stdout and "Takaichi Sanae" in stdout and "--01-09" in stdout
    assert "2 row(s)" in stderr


def check_csv(stdout: str, stderr: str) -> None:
    assert stdout.startswith("agreement,signatory,signedOn,place\r\n")
    assert [r["signatory"] for r in csv.DictReader(io.StringIO(stdout, newline=""))] == \
        ["Nguyễn Mạnh Hùng", "Takaichi Sanae"]


def check_tsv(stdout: str, stderr: str) -> None:
    header, *rows = stdout.splitlines()
    assert header == "?agreement\t?signatory\t?signedOn\t?place"
    assert [r.split("\t")[1] for r in rows] == ['"Nguyễn Mạnh Hùng"', '"Takaichi Sanae"']


def check_json(stdout: str, stderr: str) -> None:
    data = json.loads(stdout)
    assert data["head"]["vars"] == ["agreement", "signatory", "signedOn", "place"]
    assert [b["signatory"]["value"] for b in data["results"]["bindings"]] == ["Nguyễn Mạnh Hùng", "Takaichi Sanae"]


@pytest.mark.parametrize("fmt, check", [("table", check_table), ("csv", check_csv), ("tsv", check_tsv),
                                        ("json", check_json)])
def test_query_formats(runner: CliRunner, built: Path, fmt: str, check) -> None:
    result = invoke(runner, "query", "signatories", "--graph", str(built / "kg.ttl"), "--format", fmt)
    assert result.exit_code == 0, result.output
    # result.stdout turns CRLF into LF: the W3C CSV format ends lines with CRLF
    check(result.stdout_bytes.decode("utf-8"), result.stderr)


def test_query_with_bind(runner: CliRunner, built: Path) -> None:
    result = invoke(runner, "query", "evidence", "--graph", str(built / "kg.ttl"), "--format", "csv",
                    "--bind", "label=Nguyen Manh Hung")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows and {r["label"] for r in rows} == {"Nguyen Manh Hung"}


def test_query_binds_a_label_whatever_its_case_and_accents(runner: CliRunner, built: Path) -> None:
    def rows(label: str) -> list[dict]:
        result = invoke(runner, "query", "evidence", "--graph", str(built / "kg.ttl"), "--format", "csv",
                        "--bind", f"label={label}")
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows("nguyen manh hung") == rows("NGUYỄN mạnh hùng") == rows("Nguyen Manh Hung") != []
    assert [r["label"] for r in rows("takaichi")] == []  # a label, not a word of one


@pytest.mark.parametrize("query, message", [
    ("signatory", "error: no query named 'signatory' in queries/; did you mean 'signatories'?"),
    ("DELETE WHERE { ?s ?p ?o }",
     "error: the graph is read-only: DELETE is an update; kg runs SELECT, ASK, CONSTRUCT and DESCRIBE"),
    ("SELECT ?x WHERE { ?x foo:bar ?y }",
     "error: the query uses the prefix foo: without declaring it; add PREFIX foo: <...> at its top"),
])
def test_query_mistakes_are_one_line_that_says_what_to_do(runner: CliRunner, built: Path, query: str,
                                                          message: str) -> None:
    result = runner.invoke(app, ["query", query, "--graph", str(built / "kg.ttl")], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert lines(result.stderr) == [message]


def test_query_turtle_is_for_construct_and_construct_is_turtle_with_prefixes(runner: CliRunner, built: Path) -> None:
    graph = str(built / "kg.ttl")
    result = runner.invoke(app, ["query", "signatories", "--graph", graph, "--format", "turtle"], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert lines(result.stderr) == ["error: SELECT and ASK results come as json, csv, tsv, xml or a table; "
                                    "turtle is for CONSTRUCT"]
    result = invoke(runner, "query", "CONSTRUCT { ?a a kg:Agreement } WHERE { ?a a kg:Agreement }", "--graph", graph)
    assert result.exit_code == 0, result.output
    assert "@prefix kg: <https://w3id.org/vjkg/ontology#> ." in result.stdout
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 2


def test_query_reads_standard_input(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(app, ["query", "-", "--graph", str(built / "kg.ttl"), "--format", "csv"],
                           input="SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Agreement }")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "2"]


def test_query_inline_sparql(runner: CliRunner, built: Path) -> None:
    result = invoke(runner, "query", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Agreement }",
                    "--graph", str(built / "kg.ttl"), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "2"]


def test_query_missing_graph(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "none.ttl"
    result = invoke(runner, "query", "signatories", "--graph", str(missing))
    assert result.exit_code == 1
    (message,) = lines(result.stderr)
    assert str(missing) in message and "no such graph file" in message


def test_query_that_does_not_parse(runner: CliRunner, built: Path) -> None:
    result = invoke(runner, "query", "SELECT nonsense", "--graph", str(built / "kg.ttl"))
    assert result.exit_code == 1
    assert "does not parse" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, words", [
    (("--format", "yaml"), "unknown format"),
    (("--bind", "novalue"), "VAR=VALUE"),
])
def test_query_bad_options(runner: CliRunner, built: Path, args: tuple[str, ...], words: str) -> None:
    result = invoke(runner, "query", "signatories", "--graph", str(built / "kg.ttl"), *args)
    assert result.exit_code == 1
    assert words in result.stderr


# --- validate --------------------------------------------------------------------------

def test_validate_built_graph(runner: CliRunner, built: Path) -> None:
    result = invoke(runner, "validate", str(built / "kg.ttl"))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


@pytest.fixture
def graph_without_evidence(built: Path, tmp_path: Path) -> tuple[Path, URIRef]:
    """The built graph with the annotations of one agreement cut off (no oa:hasBody to it)."""
    g = Graph().parse(built / "kg.ttl", format="turtle")
    agreement = sorted(g.subjects(RDF.type, KG.Agreement))[0]
    assert (None, OA.hasBody, agreement) in g
    g.remove((None, OA.hasBody, agreement))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    return path, agreement


def test_validate_reports_an_agreement_without_evidence(runner: CliRunner,
                                                        graph_without_evidence: tuple[Path, URIRef]) -> None:
    path, agreement = graph_without_evidence
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    assert str(agreement) in result.stdout.replace("\n", "")
    assert "Missing evidence" in result.stdout


def test_validate_prints_one_line_per_violation(runner: CliRunner,
                                                graph_without_evidence: tuple[Path, URIRef]) -> None:
    path, agreement = graph_without_evidence
    result = invoke(runner, "validate", str(path))
    assert any(line.startswith(f"{agreement}  ^oa:hasBody  ") for line in result.stdout.splitlines()), result.stdout


def test_validate_missing_graph(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "validate", str(tmp_path / "none.ttl"))
    assert result.exit_code == 1
    assert "no such graph file" in result.stderr


# --- queries ---------------------------------------------------------------------------

def test_queries_lists_the_shipped_queries(runner: CliRunner) -> None:
    result = invoke(runner, "queries")
    assert result.exit_code == 0, result.output
    # one line per query: its name padded to a column, then the first comment line of the file
    listed = [m.group(1) for m in re.finditer(r"^(\S+) {2,}\S", result.stdout, re.M)]
    assert sorted(listed) == sorted(SHIPPED)
    assert "Who signed which agreement" in result.stdout


# --- view ------------------------------------------------------------------------------

@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "out" / "kg.html"
    path.parent.mkdir()
    path.write_text("<!DOCTYPE html>\n", encoding="utf-8")
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs `kg view` asks the web browser to open (none is started)."""
    urls: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: urls.append(url) or True)
    return urls


def test_view_opens_the_page_in_the_browser(runner: CliRunner, page: Path, opened: list[str]) -> None:
    result = invoke(runner, "view", str(page))
    assert result.exit_code == 0, result.output
    assert opened == [page.resolve().as_uri()]
    assert result.stdout == ""
    assert "opened" in result.stderr


def test_view_prints_the_path_when_there_is_no_browser(runner: CliRunner, page: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: False)
    result = invoke(runner, "view", str(page))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(page.resolve())


def test_view_print_path(runner: CliRunner, page: Path, opened: list[str]) -> None:
    result = invoke(runner, "view", str(page), "--print-path")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(page.resolve())
    assert opened == []


def test_view_defaults_to_graphs_kg_html(runner: CliRunner, page: Path, opened: list[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (page.parent.parent / "graphs").mkdir()
    page.rename(page.parent.parent / "graphs" / "kg.html")
    monkeypatch.chdir(page.parent.parent)
    result = invoke(runner, "view", "--print-path")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str((page.parent.parent / "graphs" / "kg.html").resolve())


def test_view_missing_page(runner: CliRunner, tmp_path: Path, opened: list[str]) -> None:
    result = invoke(runner, "view", str(tmp_path / "none.html"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "kg build" in result.stderr
    assert opened == []


@pytest.mark.parametrize("depth", [2_500, 100_000])
def test_query_refuses_deep_nesting_in_one_line(runner: CliRunner, built: Path, depth: int):
    result = invoke(runner, "query", "SELECT * WHERE " + "{" * depth + "}" * depth, "--graph", str(built / "kg.ttl"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"{depth:,} deep" in lines[0] and "Traceback" not in result.output


def test_query_refuses_service(runner: CliRunner, built: Path):
    result = invoke(runner, "query", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                    "--graph", str(built / "kg.ttl"))
    assert result.exit_code == 1 and "no outbound requests" in result.output


def test_query_stops_at_its_time_limit(runner: CliRunner, built: Path):
    import time

    started = time.perf_counter()
    result = invoke(runner, "query", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                    "--graph", str(built / "kg.ttl"), "--timeout", "1")
    assert result.exit_code == 1 and "time limit of 1 s" in result.output
    assert time.perf_counter() - started < 10


def test_a_build_on_a_terminal_shows_articles_parsed_and_stays_quiet_in_a_log(runner: CliRunner, repo: Path,
                                                                               tmp_path: Path, monkeypatch) -> None:
    from rich.console import Console

    import kg.cli

    quiet = invoke(runner, "build", str(repo / "seeds"), "--out", str(tmp_path / "log"), "--no-cache")
    assert quiet.exit_code == 0 and "articles/s" not in quiet.stderr and "2/2 articles" not in quiet.stderr
    screen = io.StringIO()
    monkeypatch.setattr(kg.cli, "err", Console(file=screen, force_terminal=True, width=160))
    result = invoke(runner, "build", str(repo / "seeds"), "--out", str(tmp_path / "tty"), "--no-cache")
    assert result.exit_code == 0, result.output
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert re.search(r"2/2 articles [0-9.]+/s", shown), shown


def test_query_tables_fit_the_terminal_and_keep_words_whole(runner: CliRunner, built: Path) -> None:
    result = runner.invoke(app, ["query", "signatories", "--graph", str(built / "kg.ttl")], env={"COLUMNS": "70"})
    assert result.exit_code == 0, result.output
    table = result.stdout.splitlines()
    assert table and max(len(line) for line in table) <= 70
    cells = " ".join(part.strip() for line in table for part in line.split("│"))
    assert "Communication" in cells and "Takaichi Sanae" in cells  # wrapped between words, not inside one
