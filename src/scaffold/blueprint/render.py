"""Render a blueprint into memory: ``{relative path: bytes}``, exactly as ``copier copy`` would.

The hot path renders with plain Jinja2 (same sandbox, options and answers-file handling as
copier 9) and a bytecode cache, because importing and running copier costs about 0.4 s per
generation. Blueprints that use copier features this renderer does not reproduce (tasks,
extensions, exclusions, ...) are rendered by copier itself into a scratch folder. A
differential test keeps both paths byte-identical.

Both paths start with ``confine``: a blueprint may come from a team repository or the project
and is not trusted to stay in its folder (see ``confine.py``).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.blueprint.confine import check_destination, template_files
from scaffold.engine.project_cache import cache_folder
from scaffold.errors import BlueprintError, UnsafeBlueprintError

if TYPE_CHECKING:
    from jinja2 import (
        BytecodeCache,
        Environment,
        FileSystemBytecodeCache,
        FileSystemLoader,
        Template,
    )
    from jinja2.bccache import Bucket
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
    confine(blueprint)
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


def confine(blueprint: Blueprint) -> None:
    """Refuse, before anything of it is read or copier runs, a blueprint that reaches outside
    its folder: a symlink leading out of it, or a ``_subdirectory`` that does.

    Every render goes through here; the listing it makes is the one the fast renderer and
    its Jinja loader then read from, so it costs one walk of the blueprint per render.
    """
    blueprint.files  # noqa: B018 - the walk that checks every symlink
    blueprint.subdirectory_name  # noqa: B018 - checks _subdirectory


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
    from copier.errors import ForbiddenPathError

    source, ref = str(blueprint.root), None
    if blueprint.commit is not None:  # versioned: copier reads it from the store
        from scaffold.blueprint.store import ensure_piece_repo

        version = blueprint.commit.removeprefix("v")
        ensure_piece_repo(
            blueprint.piece, {version: blueprint.collection_root}, source=blueprint.source
        )
        source, ref = blueprint.source, blueprint.commit
    import tempfile  # copier's path only: the usual render never needs a folder

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
        except ForbiddenPathError as error:  # a rendered path or _subdirectory leads out
            raise UnsafeBlueprintError(
                f"blueprint '{blueprint.piece}': copier refused a path outside the template "
                f"or the destination: {error}; nothing was written",
                path=blueprint.root,
            ) from error
        except Exception as error:  # copier raises many unrelated types; report them as one
            raise BlueprintError(
                f"blueprint '{blueprint.piece}' failed to render: {error}", path=blueprint.root
            ) from error
        # read back without following a symlink copier preserved out of the scratch folder
        rendered = template_files(Path(scratch), what=f"blueprint '{blueprint.piece}'")
        return {
            relative: rendered[relative].read_bytes()
            for relative in sorted(rendered, key=PurePosixPath)
        }


class _FastRenderer:
    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.env = _environment(blueprint)
        self._path_templates: dict[str, Template] = {}

    def render(self, answers: dict[str, Any], *, answers_file: str | None) -> RenderedFiles:
        blueprint = self.blueprint
        context = self._context(answers, answers_file)
        suffix = blueprint.templates_suffix
        subdirectory = blueprint.subdirectory_name
        prefix = f"{subdirectory}/" if subdirectory else ""
        if subdirectory and not blueprint.subdirectory.is_dir():
            raise BlueprintError(
                f"blueprint '{blueprint.piece}' has no folder '{subdirectory}'",
                path=blueprint.subdirectory,
            )
        listing = blueprint.files  # confined: in os.walk order, symlinks checked
        files: RenderedFiles = {}
        for template_name, source in listing.items():
            if not template_name.startswith(prefix):
                continue
            relative = PurePosixPath(template_name.removeprefix(prefix))
            is_template = bool(suffix) and relative.name.endswith(suffix)
            if not is_template and suffix and template_name + suffix in listing:
                continue  # copier prefers the templated sibling
            destination = self._render_path(relative, context, strip=suffix if is_template else "")
            if destination is None:
                continue
            if is_template:
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

    def _render_path(
        self, relative: PurePosixPath, context: dict[str, Any], *, strip: str
    ) -> str | None:
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
        return check_destination(
            PurePosixPath(*rendered).as_posix(),
            what=f"blueprint '{self.blueprint.piece}'",
            source=self.blueprint.subdirectory / relative,
        )

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


def _environment(blueprint: Blueprint) -> SandboxedEnvironment:
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        # confined: every file in the listing stays inside the blueprint
        loader=_loader_class()(blueprint.real_root, blueprint.files),
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["to_nice_yaml"] = to_nice_yaml
    return env


@functools.cache
def _loader_class() -> Callable[[str, Mapping[str, Path]], FileSystemLoader]:
    """The loader class, made once per process (jinja2 is imported only to render)."""
    from jinja2 import FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class BlueprintLoader(FileSystemLoader):
        """The blueprint's files, and its templated path parts under a name no file can have.

        A template (rendered, included or imported) is served only when the confined listing
        holds it, so no symlink leads a Jinja include outside the blueprint.
        """

        def __init__(self, root: str, listing: Mapping[str, Path]) -> None:
            super().__init__(root)
            self.listing = listing

        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            if template.startswith(_PATH_PREFIX):
                return template.removeprefix(_PATH_PREFIX), "<path>", lambda: True
            if "/".join(split_template_path(template)) not in self.listing:
                raise TemplateNotFound(template)
            return super().get_source(environment, template)

    return BlueprintLoader


def to_nice_yaml(value: Any, indent: int = 4, **kwargs: Any) -> str:
    """The ``to_nice_yaml`` filter copier's answers files use (same YAML, byte for byte).

    Defined here rather than loaded from jinja2-ansible-filters because that import alone
    costs about 50 ms on every generation.

    Every answers file of a generation holds the same project, resource and fields, and
    YAML's representer is pure Python: a mapping is dumped key by key (a block mapping's
    dump is its keys' dumps, in sorted order), each key's text remembered for the run.
    A value that holds one object twice is dumped whole (YAML would write an alias).
    """
    if (
        not kwargs
        and isinstance(value, dict)
        and value
        and all(isinstance(key, str) for key in value)  # sorted as YAML sorts them
        and not _shares_objects(value)
    ):
        return "".join(_dumped_entry(key, value[key], indent) for key in sorted(value))
    return _yaml_dump(value, indent, **kwargs)


def _yaml_dump(value: Any, indent: int, **kwargs: Any) -> str:
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


_DUMPED: dict[tuple[str, str, int], str] = {}


def _dumped_entry(key: Any, item: Any, indent: int) -> str:
    """``{key: item}`` dumped, once per run for each distinct entry (``repr`` tells values
    apart by type as well as by content: a tuple is not a list to YAML)."""
    memo = (repr(key), repr(item), indent)
    text = _DUMPED.get(memo)
    if text is None:
        text = _DUMPED[memo] = _yaml_dump({key: item}, indent)
    return text


def _shares_objects(value: Any) -> bool:
    """Whether an object YAML could write an alias for appears twice in ``value`` (by
    identity): anything but the scalars and ``()``, which its representer never aliases."""
    seen: set[int] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if item is None or item == () or isinstance(item, str | bytes | int | float):
            continue
        if id(item) in seen:
            return True
        seen.add(id(item))
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list | tuple | set):
            pending.extend(item)
    return False


def _bytecode_cache() -> BytecodeCache | None:
    """Jinja's compiled templates, kept in the project's cache (none before a project is
    known); a full disk or a read-only project only costs speed, never the render."""
    folder = cache_folder("jinja")
    return None if folder is None else _bytecode_cache_class()(str(folder))


@functools.cache
def _bytecode_cache_class() -> type[FileSystemBytecodeCache]:
    from jinja2 import FileSystemBytecodeCache

    class ProjectBytecodeCache(FileSystemBytecodeCache):
        """Entries keyed by the template's name and source rather than its path, so that a
        blueprint read from a scratch folder (update renders the old version from one) is
        served too. Entries written in place rather than through jinja's temporary file and
        rename, so that a killed command leaves no temporary file; a torn entry is compiled
        again. Two commands writing one entry write the same bytes."""

        def get_bucket(
            self, environment: Environment, name: str, filename: str | None, source: str
        ) -> Bucket:
            return super().get_bucket(environment, name, self.get_source_checksum(source), source)

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError), open(self._get_cache_filename(bucket), "wb") as f:
                bucket.write_bytecode(f)

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a torn entry (jinja catches only some short reads)
                bucket.reset()

    return ProjectBytecodeCache


def render_fragment(blueprint: Blueprint, template_name: str, context: dict[str, Any]) -> str:
    """Render one template of ``blueprint`` outside its copier subdirectory to a string.

    Used for the sections scaffold keeps in the team's documents (STATUS.md entries, API
    contracts): they live beside the log blueprint so that a team changes them in one place.
    """
    from jinja2 import TemplateError

    try:
        return _environment(blueprint).get_template(template_name).render(context)
    except TemplateError as error:
        raise BlueprintError(
            f"blueprint '{blueprint.piece}': {template_name} failed to render: {error}",
            path=blueprint.root / template_name,
            line=getattr(error, "lineno", None),
        ) from error
