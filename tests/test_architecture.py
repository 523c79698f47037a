"""The docs tell the truth about the code: every module the architecture names exists, no stage
imports a later one, and every template field the template guide documents is one the renderers give."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from conftest import REPO
from rendered import sample_output

ARCHITECTURE = REPO / "docs" / "utvikler" / "architecture.md"
TEMPLATE_GUIDE = REPO / "templates" / "README.md"


def _documented_modules() -> set[str]:
    rows = [line for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([\w/]+(?:\.py|/))`", row.split("|")[1])}


def it_names_only_modules_that_exist_and_every_module_there_is():
    documented = _documented_modules()
    missing = sorted(name for name in documented if not (REPO / "generator" / name).exists())
    assert missing == []
    modules = {p.relative_to(REPO / "generator").as_posix() for p in (REPO / "generator").rglob("*.py")
               if p.name != "__main__.py" and not (p.name == "__init__.py" and p.parent.name in (
                   "generator", "domain", "check", "verify", "publish", "commands"))}
    covered = {m for m in modules if m in documented or any(m.startswith(d) for d in documented if d.endswith("/"))}
    assert sorted(modules - covered) == []


def it_finds_no_import_that_goes_against_the_flow():
    done = subprocess.run([sys.executable, str(REPO / "tools" / "layers.py")], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")


def it_would_notice_an_import_against_the_flow(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import layers
    finally:
        sys.path.pop(0)
    module = tmp_path / "wrong.py"
    module.write_text("def f():\n    from generator.cli import main_group\n", encoding="utf-8")
    known = set(layers.modules())
    assert layers.imports(module, known) == {"generator.cli"}
    assert layers.stage("generator.cli") > layers.stage("generator.domain.values")
    # the whole check, with that file planted as a module of the domain stage (a developer's review:
    # the test never ran wrong_way itself)
    planted = {**layers.modules(), "generator.domain.wrong": module}
    monkeypatch.setattr(layers, "modules", lambda: planted)
    assert layers.wrong_way() == ["generator.domain.wrong → generator.cli"]


def it_opens_every_module_with_what_it_turns_into_what():
    first_lines = {}
    for path in (REPO / "generator").rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first_lines[path.relative_to(REPO).as_posix()] = doc.split("\n")[0]
    assert sorted(name for name, line in first_lines.items() if "→" not in line) == []


def it_documents_exactly_the_word_fields_the_renderer_fills():
    from generator.render.docx import FIELDS

    guide = TEMPLATE_GUIDE.read_text(encoding="utf-8")
    table = guide[guide.index("| felt | innhold | eksempel |"):].split("\n\n")[0]
    documented = set()
    for row in table.splitlines()[2:]:
        for name in re.findall(r"`(?:\{\{p? )?([a-z_]+)", row.split("|")[1]):
            documented.add(name)
    assert documented == set(FIELDS)


def it_documents_only_typst_fields_the_renderer_gives(tmp_path):
    from generator import compose
    from generator.check.rules import check_case
    from generator.commands.pipeline import Session, output_folder
    from generator.domain.values import Saksnummer
    from generator.folder import ProjectFolder
    from generator.render.pdf import data

    guide = TEMPLATE_GUIDE.read_text(encoding="utf-8")
    table = guide[guide.index("| felt | innhold |\n"):].split("\n\n")[0]
    rows = {row.split("|")[1].strip(" `"): row.split("|")[2] for row in table.splitlines()[2:]}
    assert set(rows) == {"info", "masthead", "body"}
    sample_output(tmp_path)  # the saksframlegg of 24/20, as the PDF renderer gets it
    folder = ProjectFolder(tmp_path / "prosjekt")
    session = Session()
    org, mappe = session.load_case(folder, Saksnummer.parse("24/20"), None, None)
    utgave = compose.Utgave(org.malform, folder=output_folder(org, mappe))
    given = data.document(session.case_documents(org, mappe, check_case(mappe), utgave)[0])
    for key in ("info", "masthead"):
        top_level = re.sub(r"\([^()]*\)", "", rows[key])  # what a field holds is said in parentheses
        documented = {name for names in re.findall(r"`([a-z_/]+)`", top_level) for name in names.split("/")}
        assert documented and documented <= set(given[key]), documented - set(given[key])


def it_links_only_to_documents_that_exist():
    broken = []
    for page in [REPO / "README.md", *(REPO / "docs").rglob("*.md")]:
        text = re.sub(r"`[^`]*`", "", page.read_text(encoding="utf-8"))  # examples in code are no links
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)} → {target}")
    assert broken == []
