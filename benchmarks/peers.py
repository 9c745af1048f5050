"""The peers scaffold is measured against, given the same blueprints and the same answers.

* copier: a generator's blueprints merged into ONE copier template, so copier pays one
  process start for all pieces instead of one per piece (the comparison favours copier).
* cookiecutter: the same templates converted to a cookiecutter template. Cookiecutter puts
  every answer under ``cookiecutter.``, so each file gets ``{% set %}`` lines that bring the
  answers back under their own names, the path templates say ``cookiecutter.data.NAME``, and
  the shared macros go where cookiecutter's loader finds them (``templates/``). Cookiecutter
  has no answers file: those templates are left out. ``same_output`` checks that it renders
  the same bytes as scaffold, so that the timings compare the same work.

Used by the benchmarks only; cookiecutter comes with ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

from scaffold.engine.tree import Tree
from scaffold.generations.alembic_history import current_head, new_revision_id
from scaffold.inputs import clock
from scaffold.inputs.fields import parse_fields
from scaffold.inputs.naming import ResourceName
from scaffold.spec.config import load_config
from scaffold.spec.generators import load_generator
from scaffold.spec.resources import builtin_dir

BIN = Path(sys.executable).parent
COPIER = str(BIN / "copier")
COOKIECUTTER = str(BIN / "cookiecutter")
ANSWERS_FILE = "{{ _copier_conf.answers_file }}"


def blueprint_folders(generator: str) -> list[Path]:
    return [builtin_dir("blueprints") / p.blueprint for p in load_generator(generator).spec.pieces]


def copier_template(parent: Path, generator: str) -> Path:
    """The generator's blueprints as one copier template."""
    merged = parent / f"copier-{generator}"
    questions: dict[str, object] = {}
    for source in blueprint_folders(generator):
        config = yaml.safe_load((source / "copier.yml").read_text())
        questions.update({k: v for k, v in config.items() if not k.startswith("_")})
        shutil.copytree(
            source, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns("copier.yml")
        )
    config = {"_subdirectory": "template", "_templates_suffix": ".jinja", **questions}
    (merged / "copier.yml").write_text(yaml.safe_dump(config))
    return merged


def answers(root: Path, generator: str, name: str, fields: str) -> dict[str, Any]:
    """The answers scaffold computes for ``generator name`` in the project at ``root``,
    migration revision included (scaffold derives it from the head and the command; the
    benchmarks pin the clock with SOURCE_DATE_EPOCH)."""
    config = load_config(root)
    versions = config.backend.path(config.backend.migrations)
    tree = Tree(root)
    head = current_head(tree, versions)
    resource = ResourceName.parse(name)
    return {
        "project": config.project_answers(),
        "resource": resource.to_answers(),
        "fields": [field.to_answers() for field in parse_fields(fields)],
        # chained like scaffold's, so that the project keeps a single Alembic head
        "migration": {
            "revision": new_revision_id(
                tree, versions, head, f"{generator} {resource.plural_kebab}"
            ),
            "down_revision": head,
            "create_date": clock.now().isoformat(sep=" "),
        },
    }


def run_copier(template: Path, root: Path, data: dict[str, Any], scratch: Path) -> list[str]:
    """The ``copier copy`` command line for ``data`` (its data file written in ``scratch``)."""
    data_file = scratch / f"copier-{uuid.uuid4().hex}.yml"
    data_file.write_text(yaml.safe_dump(data))
    answers_file = f".scaffold/answers/bench/{data['resource']['kebab']}.yml"
    return [
        *(COPIER, "copy", "--quiet", "--defaults", "--overwrite"),
        *("--data-file", str(data_file), "--answers-file", answers_file, str(template), str(root)),
    ]


_NAME = re.compile(r"\b(?<![.\w])([a-z_]+)\b(?=\s*[.|}\[])")


def cookiecutter_template(parent: Path, generator: str, keys: list[str]) -> Path:
    """The generator's blueprints as one cookiecutter template answering ``keys``."""
    template = parent / f"cookiecutter-{generator}"
    files = template / "{{cookiecutter.project_dir}}"
    (template / "templates").mkdir(parents=True)
    prelude = "".join(f"{{%- set {key} = cookiecutter.data.{key} -%}}" for key in keys)
    verbatim = []
    for source in blueprint_folders(generator):
        if (source / "macros.jinja").is_file():  # the same in every blueprint that has one
            shutil.copy2(source / "macros.jinja", template / "templates/macros.jinja")
        for path in sorted((source / "template").rglob("*")):
            relative = path.relative_to(source / "template").as_posix()
            if path.is_dir() or ANSWERS_FILE in relative:
                continue
            converted = re.sub(r"{{(.*?)}}", lambda m: _cookiecutter_names(m, keys), relative)
            if converted.endswith(".jinja"):
                target = files / converted.removesuffix(".jinja")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(prelude + path.read_text())
            else:
                target = files / converted
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                verbatim.append(converted)
    context = {"project_dir": "project", "data": {}, "_copy_without_render": verbatim}
    (template / "cookiecutter.json").write_text(json.dumps(context))
    return template


def _cookiecutter_names(match: re.Match[str], keys: list[str]) -> str:
    expression = _NAME.sub(
        lambda m: f"cookiecutter.data.{m[1]}" if m[1] in keys else m[1], match[1]
    )
    return "{{" + expression + "}}"


def run_cookiecutter(template: Path, root: Path, data: dict[str, Any], scratch: Path) -> list[str]:
    """The ``cookiecutter`` command line rendering ``data`` into the project at ``root``.

    Its answers go in the template's cookiecutter.json (cookiecutter takes only strings on
    its command line); its replay file and repository cache stay in ``scratch``.
    """
    context = json.loads((template / "cookiecutter.json").read_text())
    context.update(project_dir=root.name, data=data)
    (template / "cookiecutter.json").write_text(json.dumps(context))
    config = scratch / "cookiecutter-config.yaml"
    if not config.exists():
        settings = {"replay_dir": str(scratch / "replay"), "cookiecutters_dir": str(scratch)}
        config.write_text(yaml.safe_dump(settings))
    return [
        *(COOKIECUTTER, "--no-input", "--overwrite-if-exists", "--config-file", str(config)),
        *("--output-dir", str(root.parent), str(template)),
    ]


def same_output(
    generator: str, root: Path, scratch: Path, fields: str, scaffold: str
) -> tuple[int, int]:
    """Render one resource with scaffold and with cookiecutter in two copies of ``root``:
    (files cookiecutter wrote with the bytes scaffold wrote, files cookiecutter wrote)."""
    # the same clock for both, so that the migration's create date matches too
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1768469400")
    ours = shutil.copytree(root, scratch / "same-scaffold" / root.name, symlinks=True)
    theirs = shutil.copytree(root, scratch / "same-cookiecutter" / root.name, symlinks=True)
    data = answers(root, generator, "same-things", fields)
    before = {p for p in theirs.rglob("*") if p.is_file()}
    template = cookiecutter_template(scratch / "same-template", generator, list(data))
    subprocess.run(run_cookiecutter(template, theirs, data, scratch), check=True)
    subprocess.run(
        [scaffold, generator, "same-things", "--fields", fields],
        cwd=ours,
        check=True,
        capture_output=True,
    )
    written = [p for p in theirs.rglob("*") if p.is_file() and p not in before]
    same = 0
    for path in written:
        twin = ours / path.relative_to(theirs)
        if twin.is_file() and twin.read_bytes() == path.read_bytes():
            same += 1
    return same, len(written)
