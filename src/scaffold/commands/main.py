"""The command line: parse arguments, call the engine, print, turn errors into exit codes.

Exit codes: 0 success or nothing to do, 1 conflict or failed check, 2 invalid input.
Heavy modules (pydantic, jinja2, libcst) are imported inside commands so that
``scaffold --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from scaffold import __version__

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# Commands defined in their own modules, imported only when run. `scaffold --help` lists
# them with these one-liners instead of importing every module (a test keeps them equal to
# each command's own short help).
_LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "doctor": (
        "scaffold.commands.doctor:doctor",
        "Check the project against its manifest and tell how to fix each problem.",
    ),
    "plan": (
        "scaffold.commands.workflow:plan",
        "Turn REQUEST into an orchestration plan, from the workflows whose triggers it contains.",
    ),
    "run": (
        "scaffold.commands.workflow:run",
        "Execute PLAN (made by `scaffold plan`, or written by hand in the same shape).",
    ),
    "log": (
        "scaffold.commands.log:log",
        "Write the team's log entry for work no generator does (a fix, a hand-made change).",
    ),
    "run-tests": (
        "scaffold.commands.run_tests:run_tests",
        "Run the project's tests by scope, with the seeds' coverage targets enforced.",
    ),
    "migration": (
        "scaffold.commands.migration:migration",
        "Create an Alembic revision chained on the current head; with --model, change columns.",
    ),
    "test": (
        "scaffold.commands.write_test:test",
        "Add tests of TYPE to TARGET, something scaffold generated (the team's /write-test).",
    ),
    "check": (
        "scaffold.commands.check:check",
        "The team's final checklist for a piece of work, with a mark per line.",
    ),
    "debug": (
        "scaffold.commands.debug:debug",
        "Diagnose a part of the stack: versions, settings, migrations, failing tests, log errors.",
    ),
    "deploy": (
        "scaffold.commands.deploy:deploy",
        "Check the project, then run its container stack for ENV and wait until it is healthy.",
    ),
}


class _ScaffoldGroup(click.Group):
    """Built-in commands plus one command per generator spec (``generators/*.yaml``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS, *_generator_specs()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name in _LAZY_COMMANDS:
            return _import_command(_LAZY_COMMANDS[cmd_name][0])
        path = _generator_specs().get(cmd_name)
        return _generator_command(cmd_name, path) if path else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in _LAZY_COMMANDS:
                rows.append((name, _LAZY_COMMANDS[name][1]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _import_command(target: str) -> click.Command:
    import importlib

    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    assert isinstance(command, click.Command)
    return command


def _generator_specs() -> dict[str, Path]:
    from scaffold.spec.generators import generator_files

    return generator_files(_project_generators_dir())


def _project_generators_dir() -> Path | None:
    """The current project's generators folder (``generators`` in scaffold.yaml), when run
    inside a project; the validated config is cached, so this costs no YAML parse."""
    from scaffold.errors import ScaffoldError
    from scaffold.spec.config import find_project_root, load_config

    try:
        root = find_project_root(Path.cwd())
    except ScaffoldError:
        return None  # outside a project: the built-in generators only
    try:
        return root / load_config(root).generators
    except ScaffoldError:
        return None  # a broken config is reported by the command that needs it


def _generator_command(name: str, path: Path) -> click.Command:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    options = data.get("options", [])
    examples = "\n".join(f"  {example}" for example in data.get("examples", []))
    help_text = f"{data.get('summary', '')}\n\n{data.get('description', '')}"
    if "fields" in options:
        help_text += (
            "\n\nFIELDS is a space-separated list of name:type, with ? for optional. Types: "
            "str, text, int, float, decimal, bool, date, datetime, uuid, json."
        )
    if "props" in options:
        help_text += (
            "\n\nPROPS is a space-separated list of name:type, with ? for optional; "
            "names are camelCase."
        )
    if examples:
        # \b keeps click from rewrapping the commands
        help_text += "\n\nExamples:\n\n\b\n" + examples

    subject = data.get("subject", "resource")
    params: list[click.Parameter] = [
        click.Argument(["name"], metavar="ROUTE" if subject == "route" else "NAME")
    ]
    if "fields" in options:
        params.append(
            click.Option(
                ["--fields", "-f"],
                metavar="FIELDS",
                help='Resource fields, e.g. "name:str budget:decimal? active:bool".',
            )
        )
    if "props" in options:
        params.append(
            click.Option(
                ["--props", "-p"],
                metavar="PROPS",
                help='Component props, e.g. "name:string score:number? onSelect:fn".',
            )
        )
    for flag in data.get("flags", []):
        params.append(click.Option([f"--{flag['name']}"], is_flag=True, help=flag.get("help")))
    params += [
        click.Option(
            ["--dry-run", "-n"], is_flag=True, help="Show the plan and the diff; write nothing."
        ),
        click.Option(
            ["--force"], is_flag=True, help="Overwrite generated files edited since generation."
        ),
    ]

    def callback(
        name: str,
        dry_run: bool,
        force: bool,
        fields: str | None = None,
        props: str | None = None,
        **flags: bool,
    ) -> None:
        from scaffold.generations.generate import GenerateRequest, generate

        request = GenerateRequest(
            generator=command.name or "",
            name=name,
            fields=fields,
            props=props,
            flags=frozenset(name for name, given in flags.items() if given),
            dry_run=dry_run,
            force=force,
        )
        result = generate(request, cwd=Path.cwd())
        _print_changes(f"{command.name} {result.record.name}", result.changes, dry_run=dry_run)

    command = click.Command(
        name, params=params, callback=callback, help=help_text, short_help=data.get("summary")
    )
    return command


def _print_changes(title: str, changes: Any, *, dry_run: bool, done: str = "Generated") -> None:
    from scaffold.engine.report import is_noop, plan_lines, summary, unified_diff

    if is_noop(changes):
        click.echo(f"Nothing to do: {title} is up to date.")
        return
    colors = {"create": "green", "update": "yellow", "delete": "red", "identical": "blue"}
    click.secho(f"{'Plan for' if dry_run else done} {title}:", bold=True)
    for word, line in plan_lines(changes):
        click.echo(f"  {click.style(word.ljust(9), fg=colors[word])} {line}")
    if dry_run:
        click.echo()
        click.echo(unified_diff(changes), nl=False)
        click.secho(
            f"Dry run: {summary(changes)} would be written; nothing was written.", bold=True
        )
    else:
        click.secho(summary(changes) + ".", bold=True)


@click.group(cls=_ScaffoldGroup, context_settings=_CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="scaffold")
def main() -> None:
    """Generate tested, registered and logged pieces of a FastAPI + Next.js project.

    Every generator renders copier blueprints, edits shared files with libcst (keeping
    every other byte), writes the team's log entry and STATUS.md update, and records
    what it wrote in .scaffold/ so that re-runs are no-ops and hand edits are never lost.

    Start with `scaffold init NAME`, then `cd NAME` and `scaffold endpoint --help`.
    Exit codes: 0 success or nothing to do, 1 conflict, 2 invalid input.
    """


@main.command()
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Create the project here instead of ./NAME.",
)
@click.option("--no-git", is_flag=True, help="Do not create a git repository.")
@click.option("--dry-run", "-n", is_flag=True, help="List the files; write nothing.")
def init(name: str, directory: Path | None, no_git: bool, dry_run: bool) -> None:
    """Create a new project: FastAPI + SQLAlchemy 2 + Alembic backend, docs/workflow, scaffold.yaml.

    The project runs and passes its tests as soon as it is created; it is a git
    repository with a first commit (scaffold update needs one).

    \b
    Example:
        scaffold init vectra && cd vectra
    """
    from scaffold.lifecycle.init import init_project

    result = init_project(
        name, parent=Path.cwd(), directory=directory, dry_run=dry_run, git=not no_git
    )
    _print_changes(f"project {result.root.name}", result.changes, dry_run=dry_run)
    if result.git_message:
        click.echo(result.git_message)
    if not dry_run:
        click.echo(
            f"\nNext:\n  cd {result.root}\n"
            '  scaffold endpoint campaigns --fields "name:str budget:decimal?"'
        )


@main.command()
@click.argument("generator")
@click.argument("name")
@click.option("--dry-run", "-n", is_flag=True, help="Show the plan and the diff; write nothing.")
@click.option("--force", is_flag=True, help="Delete generated files even if edited since.")
def destroy(generator: str, name: str, dry_run: bool, force: bool) -> None:
    """Undo a generation: delete its files, reverse its edits, log the removal.

    Deletes exactly what `scaffold GENERATOR NAME` wrote (files another generation also
    owns stay, and so do log entries), unregisters its router (the router file returns to
    its earlier bytes when nothing else changed), removes its sections from the reference
    documents and writes a log entry. A generated file edited since generation is not
    deleted without --force.

    \b
    Example:
        scaffold destroy endpoint campaigns --dry-run
    """
    from scaffold.lifecycle.destroy import destroy as destroy_generation

    result = destroy_generation(generator, name, cwd=Path.cwd(), dry_run=dry_run, force=force)
    _print_changes(
        f"{generator} {result.record.name}", result.changes, dry_run=dry_run, done="Removed"
    )


@main.command()
@click.argument("targets", nargs=-1, metavar="[GENERATOR NAME]...")
@click.option("--all", "everything", is_flag=True, help="Update every generation on record.")
@click.option(
    "--piece",
    "pieces",
    multiple=True,
    metavar="BLUEPRINT",
    help="Update only this piece (e.g. backend/service); repeatable.",
)
@click.option(
    "--dry-run", "-n", is_flag=True, help="Show what would merge, conflict, be added or removed."
)
def update(
    targets: tuple[str, ...], everything: bool, pieces: tuple[str, ...], dry_run: bool
) -> None:
    """Bring generated pieces up to the blueprints of this scaffold version, keeping hand edits.

    copier's update merges each piece: the blueprint's changes and your edits in the same
    file both survive; a file you deleted stays deleted; a file the new blueprint no longer
    has is removed only if you never changed it. Conflicts are written as git conflict
    markers, listed at the end, and the command exits 1 while any remain. Only the pieces
    named change. The project must be a git repository with no uncommitted changes.

    \b
    Examples:
        scaffold update endpoint campaigns --dry-run
        scaffold update --all
    """
    from scaffold.errors import InvalidInputError
    from scaffold.lifecycle.update import update as update_generations

    if bool(targets) == everything or len(targets) % 2:
        raise InvalidInputError(
            "name what to update as GENERATOR NAME pairs, or pass --all (not both)",
            hint="e.g. `scaffold update endpoint campaigns feature campaign-wizard`",
        )
    pairs = None if everything else list(zip(targets[::2], targets[1::2], strict=True))
    result = update_generations(
        pairs, cwd=Path.cwd(), dry_run=dry_run, pieces_only=frozenset(pieces)
    )
    colors = {"conflict": "red", "merged": "green", "added": "green", "removed": "yellow"}
    for piece in result.pieces:
        click.secho(
            f"{piece.generator} {piece.name}: {piece.blueprint} {piece.old} -> {piece.new}",
            bold=True,
        )
        for outcome in piece.files:
            word = outcome.outcome
            click.echo(f"  {click.style(word.ljust(9), fg=colors.get(word))} {outcome.path}")
    for line in result.skipped:
        click.echo(f"skipped: {line}")
    if not result.pieces:
        click.echo("Nothing to do: every generation is on its blueprints' current version.")
        return
    if dry_run:
        click.secho("Dry run: nothing was written.", bold=True)
    if result.conflicts:
        click.secho(
            "Conflicts (resolve the <<<<<<< markers, then commit):", fg="red", bold=True, err=True
        )
        for path in result.conflicts:
            click.echo(f"  {path}", err=True)
        raise click.exceptions.Exit(1)


@main.group(invoke_without_command=True)
@click.pass_context
def blueprints(ctx: click.Context) -> None:
    """List the blueprints this project renders and where each comes from.

    A project blueprint (under the project's blueprints folder, `.scaffold/blueprints` by
    default) wins over the built-in one of the same name. `scaffold blueprints eject PIECE`
    copies a built-in blueprint there to customise it.
    """
    if ctx.invoked_subcommand is not None:
        return
    from scaffold.blueprint.catalog import list_blueprints
    from scaffold.spec.config import find_project_root, load_config

    root = find_project_root(Path.cwd())
    entries = list_blueprints(root, load_config(root))
    width = max(len(entry.piece) for entry in entries)
    for entry in entries:
        origin = click.style(entry.origin, fg="green" if entry.origin == "built-in" else "yellow")
        click.echo(f"{entry.piece.ljust(width)}  {entry.version:<8}  {origin}")


@blueprints.command()
@click.argument("piece")
@click.option("--dry-run", "-n", is_flag=True, help="List the files; write nothing.")
@click.option("--force", is_flag=True, help="Replace the project's own copy.")
def eject(piece: str, dry_run: bool, force: bool) -> None:
    """Copy the built-in blueprint PIECE into the project to customise it.

    \b
    Example:
        scaffold blueprints eject backend/service
    """
    from scaffold.blueprint.catalog import eject as eject_blueprint
    from scaffold.spec.config import find_project_root, load_config

    root = find_project_root(Path.cwd())
    changes = eject_blueprint(root, load_config(root), piece, dry_run=dry_run, force=force)
    _print_changes(f"blueprint {piece}", changes, dry_run=dry_run, done="Ejected")


def run() -> None:
    """Console entry point: the one place where errors become messages and exit codes."""
    from scaffold.errors import ScaffoldError

    try:
        # without standalone mode click returns, rather than raises, a command's exit code
        code = main.main(standalone_mode=False)
    except ScaffoldError as error:
        click.secho(f"error: {error}", fg="red", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as error:
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
