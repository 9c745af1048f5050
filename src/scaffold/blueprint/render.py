"""Render a blueprint into memory: ``{relative path: bytes}``, exactly as ``copier copy`` would.

The hot path renders with plain Jinja2 (same sandbox, options and answers-file handling as
copier 9) and a bytecode cache, because importing and running copier costs about 0.4 s per
generation. Blueprints that use copier features this renderer does not reproduce (tasks,
extensions, exclusions, ...) are rendered by copier itself into a scratch folder. A
differential test keeps both paths byte-identical.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.errors import BlueprintError

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

    from scaffold.blueprint.find import Blueprint

RenderedFiles = dict[str, bytes]

# copier.yml settings the fast renderer reproduces; any other "_" setting sends the
# blueprint to copier itself so that nothing renders differently.
_FAST_SETTINGS = frozenset(
    {"_subdirectory", "_templates_suffix", "_answers_file", "_min_copier_version", "_envops"}
)


def render_blueprint(
    blueprint: Blueprint, answers: dict[str, Any], *, answers_file: str | None
) -> RenderedFiles:
    """Render ``blueprint`` with ``answers``; paths are relative to the destination root."""
    if blueprint.unsafe_features:
        if blueprint.trusted:
            return render_with_copier(blueprint, answers, answers_file=answers_file, unsafe=True)
        features = ", ".join(blueprint.unsafe_features)
        raise BlueprintError(
            f"blueprint '{blueprint.piece}' uses {features}, which would run code on this machine",
            path=blueprint.root / "copier.yml",
            hint="remove those keys from copier.yml, or, for a team blueprint repository you "
            "trust, set blueprint_repository.trusted: true in scaffold.yaml",
        )
    if uses_only_fast_settings(blueprint):
        return _FastRenderer(blueprint).render(answers, answers_file=answers_file)
    return render_with_copier(blueprint, answers, answers_file=answers_file)


def uses_only_fast_settings(blueprint: Blueprint) -> bool:
    settings = {key for key in blueprint.config if key.startswith("_")}
    envops = blueprint.config.get("_envops") or {}
    return settings <= _FAST_SETTINGS and set(envops) <= {"keep_trailing_newline"}


def render_with_copier(
    blueprint: Blueprint,
    answers: dict[str, Any],
    *,
    answers_file: str | None,
    unsafe: bool = False,
) -> RenderedFiles:
    """Render through copier's public API into a scratch folder and read the result back."""
    import copier

    source, ref = str(blueprint.root), None
    if blueprint.commit is not None:  # versioned: copier reads it from the store
        from scaffold.blueprint.store import ensure_piece_repo

        version = blueprint.commit.removeprefix("v")
        ensure_piece_repo(
            blueprint.piece, {version: blueprint.collection_root}, source=blueprint.source
        )
        source, ref = blueprint.source, blueprint.commit
    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as scratch:
        try:
            copier.run_copy(
                source,
                scratch,
                vcs_ref=ref,
                data=answers,
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=unsafe,
                answers_file=answers_file,
            )
        except Exception as error:  # copier raises many unrelated types; report them as one
            raise BlueprintError(
                f"blueprint '{blueprint.piece}' failed to render: {error}", path=blueprint.root
            ) from error
        root = Path(scratch)
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }


class _FastRenderer:
    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.env = _environment(blueprint.root)
        self._path_templates: dict[str, Template] = {}

    def render(self, answers: dict[str, Any], *, answers_file: str | None) -> RenderedFiles:
        blueprint = self.blueprint
        context = self._context(answers, answers_file)
        suffix = blueprint.templates_suffix
        source_root = blueprint.subdirectory
        if not source_root.is_dir():
            raise BlueprintError(
                f"blueprint '{blueprint.piece}' has no folder '{source_root.name}'",
                path=source_root,
            )
        files: RenderedFiles = {}
        for dirpath, dirnames, filenames in os.walk(source_root):
            dirnames.sort()
            for filename in sorted(filenames):
                source = Path(dirpath, filename)
                relative = source.relative_to(source_root)
                is_template = bool(suffix) and filename.endswith(suffix)
                if not is_template and suffix and source.with_name(filename + suffix).exists():
                    continue  # copier prefers the templated sibling
                destination = self._render_path(
                    relative, context, strip=suffix if is_template else ""
                )
                if destination is None:
                    continue
                if is_template:
                    template_name = source.relative_to(blueprint.root).as_posix()
                    files[destination] = self._render_file(template_name, context)
                else:
                    files[destination] = source.read_bytes()
        return files

    def _context(self, answers: dict[str, Any], answers_file: str | None) -> dict[str, Any]:
        blueprint = self.blueprint
        values: dict[str, Any] = {}
        for name, question in blueprint.questions.items():
            if name in answers:
                values[name] = answers[name]
            elif "default" in question:
                values[name] = question["default"]
            else:
                raise BlueprintError(
                    f"blueprint '{blueprint.piece}' asks '{name}' and no answer was given"
                )
        unknown = set(answers) - set(values)
        # copier renders extra data too; keep it visible to templates but never remembered
        context: dict[str, Any] = {**{k: answers[k] for k in unknown}, **values}
        # the same internal keys, in the same order, as copier's answers file
        internal = {
            "_commit": blueprint.commit,
            "_src_path": blueprint.source or str(blueprint.root),
        }
        remembered = {**{k: v for k, v in internal.items() if v is not None}, **values}
        answers_relpath = answers_file or str(
            blueprint.config.get("_answers_file", ".copier-answers.yml")
        )
        context["_copier_answers"] = remembered
        context["_copier_conf"] = {"answers_file": PurePosixPath(answers_relpath), "sep": os.sep}
        context["_folder_name"] = ""
        return context

    def _render_path(self, relative: Path, context: dict[str, Any], *, strip: str) -> str | None:
        parts = list(relative.parts)
        if strip:
            parts[-1] = parts[-1][: -len(strip)]
        rendered: list[str] = []
        for part in parts:
            try:
                text = self._path_template(part).render(context) if "{" in part else part
            except Exception as error:
                raise BlueprintError(
                    f"blueprint '{self.blueprint.piece}': "
                    f"path '{relative}' failed to render: {error}",
                    path=self.blueprint.subdirectory / relative,
                ) from error
            if not text:
                return None  # copier skips a path when any part renders empty
            rendered.append(text)
        return PurePosixPath(*rendered).as_posix()

    def _path_template(self, part: str) -> Template:
        # loaded by name rather than from_string so that the bytecode cache serves them too
        template = self._path_templates.get(part)
        if template is None:
            template = self._path_templates[part] = self.env.get_template(_PATH_PREFIX + part)
        return template

    def _render_file(self, template_name: str, context: dict[str, Any]) -> bytes:
        from jinja2 import TemplateError

        try:
            return self.env.get_template(template_name).render(context).encode()
        except TemplateError as error:
            line = getattr(error, "lineno", None)
            raise BlueprintError(
                f"blueprint '{self.blueprint.piece}' failed to render: {error}",
                path=self.blueprint.root / template_name,
                line=line,
            ) from error


_PATH_PREFIX = "\0path:"


def _environment(template_root: Path) -> SandboxedEnvironment:
    from jinja2 import FileSystemBytecodeCache, FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    class BlueprintLoader(FileSystemLoader):
        """The blueprint's files, and its templated path parts under a name no file can have."""

        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            if template.startswith(_PATH_PREFIX):
                return template.removeprefix(_PATH_PREFIX), "<path>", lambda: True
            return super().get_source(environment, template)

    env = SandboxedEnvironment(
        loader=BlueprintLoader(str(template_root.resolve())),
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(FileSystemBytecodeCache),
    )
    env.filters["to_nice_yaml"] = to_nice_yaml
    return env


def to_nice_yaml(value: Any, indent: int = 4, **kwargs: Any) -> str:
    """The ``to_nice_yaml`` filter copier's answers files use (same YAML, byte for byte).

    Defined here rather than loaded from jinja2-ansible-filters because that import alone
    costs about 50 ms on every generation.
    """
    import yaml

    # the C emitter writes the same YAML as the pure-Python one ansible uses, several times faster
    dumper = getattr(yaml, "CDumper", yaml.Dumper)
    return str(
        yaml.dump(
            value,
            Dumper=dumper,
            indent=indent,
            allow_unicode=True,
            default_flow_style=False,
            **kwargs,
        )
    )


def _bytecode_cache(cache_class: Any) -> Any:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "scaffold" / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home only costs speed
    return cache_class(str(directory))


def render_fragment(blueprint: Blueprint, template_name: str, context: dict[str, Any]) -> str:
    """Render one template of ``blueprint`` outside its copier subdirectory to a string.

    Used for the sections scaffold keeps in the team's documents (STATUS.md entries, API
    contracts): they live beside the log blueprint so that a team changes them in one place.
    """
    from jinja2 import TemplateError

    try:
        return _environment(blueprint.root).get_template(template_name).render(context)
    except TemplateError as error:
        raise BlueprintError(
            f"blueprint '{blueprint.piece}': {template_name} failed to render: {error}",
            path=blueprint.root / template_name,
            line=getattr(error, "lineno", None),
        ) from error
