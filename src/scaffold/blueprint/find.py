"""Blueprints: copier templates scaffold renders, found in the project first, then built in.

A blueprint is identified by its piece name (``backend/model``, ``log``). The project's
own copy under its blueprints folder wins over the one shipped with scaffold, so a team
can change what it generates without forking the tool.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.blueprint.confine import check_subdirectory, inside, template_files
from scaffold.errors import BlueprintError, UnsafeBlueprintError
from scaffold.spec.resources import builtin_dir

if TYPE_CHECKING:
    from scaffold.blueprint.team import TeamBlueprints
    from scaffold.spec.config import ProjectConfig

# copier.yml keys that make copier run code or load code: a blueprint using them is only
# rendered by copier itself, and only when the user trusts it.
UNSAFE_KEYS = ("_tasks", "_jinja_extensions", "_migrations", "_external_data")


@dataclass(frozen=True)
class Blueprint:
    """A copier template on disk, parsed lazily."""

    piece: str
    root: Path
    origin: str  # "builtin" or "project"
    source: str = ""
    """What answers files record as ``_src_path``: where copier finds this blueprint again."""
    commit: str | None = None
    """What answers files record as ``_commit``: the version tag, for versioned blueprints."""
    trusted: bool = False
    """May run copier tasks and Jinja extensions (a team repository the project trusts)."""

    @property
    def collection_root(self) -> Path:
        """The folder holding every piece of this blueprint's collection."""
        return self.root.parents[len(Path(self.piece).parts) - 1]

    @cached_property
    def real_root(self) -> str:
        """The blueprint folder with every symlink resolved: nothing it reads is outside."""
        return os.path.realpath(self.root)

    @cached_property
    def files(self) -> dict[str, Path]:
        """Every file of the blueprint (POSIX path relative to ``root`` -> path), listed once
        and confined: a symlink that leads outside the blueprint is refused here."""
        return template_files(self.root, what=f"blueprint '{self.piece}'")

    @cached_property
    def config(self) -> dict[str, Any]:
        config_path = self.root / "copier.yml"
        real_config = os.path.realpath(config_path)
        if not inside(real_config, self.real_root):
            raise UnsafeBlueprintError(
                f"blueprint '{self.piece}': copier.yml is a symlink to {real_config}, outside "
                "the blueprint; nothing was read or written",
                path=config_path,
            )
        try:
            data = _remembered_config(real_config)
        except FileNotFoundError:
            raise BlueprintError(
                f"blueprint '{self.piece}' has no copier.yml", path=config_path
            ) from None
        except Exception as error:
            import yaml  # only a file that needed parsing imported it

            if not isinstance(error, yaml.YAMLError):
                raise
            mark = getattr(error, "problem_mark", None)
            raise BlueprintError(
                f"blueprint '{self.piece}': copier.yml is not valid YAML: {error}",
                path=config_path,
                line=mark.line + 1 if mark else None,
            ) from None
        if not isinstance(data, dict):
            raise BlueprintError(
                f"blueprint '{self.piece}': copier.yml must be a mapping", path=config_path
            )
        return data

    @cached_property
    def subdirectory_name(self) -> str:
        """``_subdirectory`` relative to ``root``, resolved ("" for the root itself); one that
        leads outside the blueprint is refused."""
        value = str(self.config.get("_subdirectory", "") or "")
        return check_subdirectory(self.root, value, what=f"blueprint '{self.piece}'")

    @property
    def subdirectory(self) -> Path:
        return self.root / self.subdirectory_name if self.subdirectory_name else self.root

    @property
    def templates_suffix(self) -> str:
        return str(self.config.get("_templates_suffix", ".jinja"))

    @property
    def questions(self) -> dict[str, Any]:
        """Question name -> its settings (copier's short form ``name: default`` normalised)."""
        questions: dict[str, Any] = {}
        for key, value in self.config.items():
            if key.startswith("_"):
                continue
            questions[key] = value if isinstance(value, dict) else {"default": value}
        return questions

    @property
    def unsafe_features(self) -> list[str]:
        return [key for key in UNSAFE_KEYS if self.config.get(key)]


def _remembered_config(path: str) -> Any:
    """copier.yml's data, kept in the project with the file's state (``StateMemo``): a
    generation reads a dozen blueprints' copier.yml, and importing YAML to parse them again
    was a tenth of its own time. A file whose data JSON cannot hold is parsed every time."""
    from scaffold.engine.project_cache import StateMemo

    def parse() -> Any:
        from scaffold.spec.yaml_load import load_yaml

        return load_yaml(Path(path).read_text(encoding="utf-8"))

    def parse_for_memo() -> Any:
        import json

        data = parse()
        try:
            json.dumps(data)
        except (TypeError, ValueError):  # a date, a set: kept out of the memo
            return None
        return {"data": data}

    memo = StateMemo.named("blueprint-configs")
    remembered = memo.of_file(path, path, parse_for_memo)
    memo.save(keep_unused=True)  # writes only when a file was parsed
    return remembered["data"] if isinstance(remembered, dict) else parse()


def project_blueprint(piece: str, root: Path, config: ProjectConfig) -> Blueprint:
    """The blueprint ``piece`` as the project at ``root`` renders it: its own copy, then its
    team's repository (named in scaffold.yaml), then the built-in one. Every command that
    renders goes through here, so that none of them ignores a team's blueprint."""
    team = None
    if config.blueprint_repository is not None:
        from scaffold.blueprint.team import team_blueprints  # git work: only when configured

        team = team_blueprints(config)
    return find_blueprint(
        piece, project_blueprints=root / config.blueprints, project_root=root, team=team
    )


def find_blueprint(
    piece: str,
    *,
    project_blueprints: Path | None = None,
    project_root: Path | None = None,
    team: TeamBlueprints | None = None,
) -> Blueprint:
    """The blueprint for ``piece``: the project's own, else the team repository's, else the
    built-in one."""
    if project_blueprints is not None:
        candidate = project_blueprints / piece
        if (candidate / "copier.yml").is_file():
            _check_piece_folder(piece, candidate, project_blueprints)
            # recorded relative to the project, so answers files hold no machine's own paths
            source = candidate.relative_to(project_root) if project_root else candidate
            return Blueprint(piece, candidate, "project", source.as_posix())
    from scaffold.blueprint.store import piece_source, version_tag

    if team is not None and (team.folder / piece / "copier.yml").is_file():
        _check_piece_folder(piece, team.folder / piece, team.folder)
        return Blueprint(
            piece,
            team.folder / piece,
            "team",
            piece_source(piece, team.collection),
            version_tag(team.version),
            trusted=team.trusted,
        )
    candidate = builtin_dir("blueprints") / piece
    if (candidate / "copier.yml").is_file():
        return Blueprint(piece, candidate, "builtin", piece_source(piece), version_tag())
    raise BlueprintError(
        f"no blueprint named '{piece}'",
        hint=f"built-in blueprints live in {builtin_dir('blueprints')}; "
        "a project blueprint is a copier template under the project's blueprints folder",
    )


def _check_piece_folder(piece: str, folder: Path, collection: Path) -> None:
    """Refuse a piece folder that is a symlink (or sits under one) leading out of its
    collection: the whole template would then be read from elsewhere on this machine."""
    real = os.path.realpath(folder)
    if not inside(real, os.path.realpath(collection)):
        raise UnsafeBlueprintError(
            f"blueprint '{piece}': its folder leads to {real}, outside {collection}; "
            "nothing was read or written",
            path=folder,
            hint="a blueprint folder must be a real folder of the project or team repository",
        )
