"""The command line: parse arguments, call the engine, print, turn errors into exit codes.

Exit codes: 0 success or nothing to do, 1 conflict or failed check, 2 invalid input.
Heavy modules (pydantic, jinja2, libcst) are imported inside commands so that
``scaffold --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from scaffold.assistant.result import CommandReport
    from scaffold.lifecycle.update import UpdateResult

from scaffold import __version__
from scaffold.commands.output import conflicts_located, json_report, print_changes

T = TypeVar("T")

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# Commands defined in their own modules, imported only when run. `scaffold --help` lists
# them with these one-liners instead of importing every module (a test keeps them equal to
# each command's own short help).
_LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "adopt": (
        "scaffold.commands.adopt:adopt",
        "Write scaffold.yaml for the existing FastAPI project here, by reading its code.",
    ),
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
    "mcp": (
        "scaffold.commands.mcp:mcp",
        "Serve scaffold's tools to an AI assistant over MCP on stdio (needs scaffold[mcp]).",
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
    "types": (
        "scaffold.commands.types:types",
        "Regenerate the frontend's TypeScript types and zod schemas from the backend's API.",
    ),
}


_JSON_HELP = (
    "Print one JSON object (schema scaffold.result/1, see the README) on stdout instead of "
    "text; the text goes to stderr. Same exit codes."
)
# commands that speak another protocol on stdout
_NO_JSON = {"mcp"}


def _json_option() -> click.Option:
    # Read by `run()` from argv before parsing (a usage error is JSON too); declared on every
    # command so that click accepts it and `--help` documents it.
    return click.Option(
        ["--json", "json_output"], is_flag=True, expose_value=False, help=_JSON_HELP
    )


def _with_json(command: click.Command) -> click.Command:
    if command.name not in _NO_JSON and not any(p.name == "json_output" for p in command.params):
        command.params.append(_json_option())
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _with_json(subcommand)
    return command


class _ScaffoldGroup(click.Group):
    """Built-in commands plus one command per generator spec (``generators/*.yaml``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS, *_generator_specs()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _LAZY_COMMANDS:
            command = _import_command(_LAZY_COMMANDS[cmd_name][0])
        elif command is None:
            path = _generator_specs().get(cmd_name)
            command = _generator_command(cmd_name, path) if path else None
        return _with_json(command) if command is not None else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            import difflib

            close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=3, cutoff=0.6)
            if not close:
                raise
            raise click.UsageError(
                f"No such command '{args[0]}'. Did you mean {' or '.join(map(repr, close))}?",
                ctx,
            ) from None

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


_generators_found: dict[str, dict[str, Path]] = {}
"""This command's generator specs by working folder: ``--help`` asks once per generator."""


def _generator_specs() -> dict[str, Path]:
    cwd = os.getcwd()
    if cwd not in _generators_found:
        from scaffold.spec.resources import generator_files

        _generators_found[cwd] = generator_files(_project_generators_dir())
    return _generators_found[cwd]


def _project_generators_dir() -> Path | None:
    """The current project's generators folder (``generators`` in scaffold.yaml), when run
    inside a project.

    Remembered with scaffold.yaml's state (``_remembered``): listing the generators in
    ``scaffold --help`` loads neither the config's schema nor YAML.
    """
    from scaffold.engine.project_cache import use_project
    from scaffold.errors import ScaffoldError
    from scaffold.spec.project_root import CONFIG_FILE, find_project_root

    try:
        root = find_project_root(Path.cwd())
    except ScaffoldError:
        return None  # outside a project: the built-in generators only
    use_project(root)

    def configured() -> str:
        from scaffold.spec.config import load_config  # checks the folder stays in the project

        return str(load_config(root).generators)

    try:
        folder = root / _remembered(str(root / CONFIG_FILE), "generators-folder", configured)
    except ScaffoldError:
        return None  # a broken config is reported by the command that needs it
    from scaffold.blueprint.confine import inside

    # load_config refused a folder that leads outside; a symlink made since is refused here
    return folder if inside(os.path.realpath(folder), os.path.realpath(root)) else None


def _generator_spec(path: Path) -> dict[str, Any]:
    """A generator spec's YAML as read (the command is built before the spec is validated:
    a spec with an error still gets its ``--help``)."""

    def read() -> dict[str, Any]:
        from scaffold.spec.yaml_load import load_yaml

        data = load_yaml(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    return _remembered(str(path), "generator-spec", read)


def _remembered(path: str, kind: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the file at ``path``, kept in the project with that file's state:
    every command builds its click command from its spec, and importing YAML to read it
    again cost a tenth of a generation."""
    from scaffold.engine.project_cache import StateMemo

    memo = StateMemo.named("cli")
    value = memo.of_file(path, f"{kind}\0{path}", compute)
    memo.save(keep_unused=True)  # writes only when compute ran: once per changed file
    return value


def _generator_command(name: str, path: Path) -> click.Command:
    data = _generator_spec(path)
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
        params.append(
            click.Option(
                ["--no-fields"],
                is_flag=True,
                help="A resource with no columns of its own (id, tenant, timestamps only).",
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
        no_fields: bool = False,
        props: str | None = None,
        **flags: bool,
    ) -> None:
        from dataclasses import replace

        from scaffold.generations.generate import GenerateRequest, generate

        request = GenerateRequest(
            generator=command.name or "",
            name=name,
            fields=fields,
            no_fields=no_fields,
            props=props,
            flags=frozenset(name for name, given in flags.items() if given),
            dry_run=dry_run,
            force=force,
        )
        forced = replace(request, dry_run=True, force=True)
        with conflicts_located(lambda: generate(forced, cwd=Path.cwd()).changes):
            result = generate(request, cwd=Path.cwd())
        print_changes(f"{command.name} {result.record.name}", result.changes, dry_run=dry_run)
        report = json_report()
        if report is not None:
            from scaffold.assistant.result import generation_next_steps

            report.data["record"] = result.record.path
            from scaffold.logbook.language import recorded_language

            report.next_steps += generation_next_steps(
                command.name or "",
                result.record.name,
                data.get("log", {}),
                dry_run=dry_run,
                language=recorded_language(result.record.answers),
            )

    command = click.Command(
        name, params=params, callback=callback, help=help_text, short_help=data.get("summary")
    )
    return command


@click.group(cls=_ScaffoldGroup, context_settings=_CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="scaffold")
@click.option("--json", "json_output", is_flag=True, expose_value=False, help=_JSON_HELP)
def main() -> None:
    """Generate tested, registered and logged pieces of a FastAPI + Next.js project.

    Every generator renders copier blueprints, edits shared files with libcst (keeping
    every other byte), writes the team's log entry and STATUS.md update, and records
    what it wrote in .scaffold/ so that re-runs are no-ops and hand edits are never lost.

    Start with `scaffold init NAME`, then `cd NAME` and `scaffold endpoint --help`.
    Exit codes: 0 success or nothing to do, 1 conflict, 2 invalid input.
    """
    # here, run once a command is chosen, rather than in run(): --help and --version
    # (handled while the options are parsed) do not import logging
    _show_warnings()


@main.command()
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Create the project here instead of ./NAME.",
)
@click.option("--no-git", is_flag=True, help="Do not create a git repository.")
@click.option(
    "--language",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of the team's documents: log entries, STATUS.md, reference documents, "
    "plan tasks (the CLI stays English). Written to scaffold.yaml; change it there later.",
)
@click.option(
    "--async",
    "async_session",
    is_flag=True,
    help="Backend on SQLAlchemy's AsyncSession (aiosqlite, psycopg); generations render async.",
)
@click.option("--dry-run", "-n", is_flag=True, help="List the files; write nothing.")
def init(
    name: str,
    directory: Path | None,
    no_git: bool,
    language: str,
    async_session: bool,
    dry_run: bool,
) -> None:
    """Create a new project: FastAPI + SQLAlchemy 2 + Alembic backend, docs/workflow, scaffold.yaml.

    The project runs and passes its tests as soon as it is created; it is a git
    repository with a first commit (scaffold update needs one).

    \b
    Examples:
        scaffold init vectra && cd vectra
        scaffold init vectra --async   # repositories, services, routes await an AsyncSession
    """
    from scaffold.lifecycle.init import init_project

    result = init_project(
        name,
        parent=Path.cwd(),
        directory=directory,
        dry_run=dry_run,
        git=not no_git,
        language="en" if language == "en" else "fr",
        async_session=async_session,
    )
    print_changes(f"project {result.root.name}", result.changes, dry_run=dry_run)
    report = json_report()
    if report is not None:
        report.data.update(root=str(result.root), git=result.git_message)
        if not dry_run:
            report.next_steps += [
                f"`cd {result.root}`",
                'scaffold endpoint campaigns --fields "name:str budget:decimal?"',
            ]
    if result.git_message:
        click.echo(result.git_message)
    if not dry_run:
        click.echo(
            f"\nNext:\n  cd {result.root}\n"
            "  make install   # the backend's and the frontend's dependencies (uv, npm)\n"
            "  make dev       # the database migrated, the API on :8000, the app on :3000\n"
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

    GENERATOR is a generator (endpoint, feature, component, page, agent...) or `test`
    (`scaffold destroy test integration-db-campaigns`). A migration is not destroyed (a
    database may already run it): the error gives the revision that reverses it. Log entries
    are the team's history and are never destroyed.

    \b
    Examples:
        scaffold destroy endpoint campaigns --dry-run
        scaffold destroy page "/campaigns/[id]/report"
    """
    from scaffold.lifecycle.destroy import destroy as destroy_generation

    result = destroy_generation(generator, name, cwd=Path.cwd(), dry_run=dry_run, force=force)
    print_changes(
        f"{generator} {result.record.name}", result.changes, dry_run=dry_run, done="Removed"
    )
    report = json_report()
    if report is not None and not dry_run:
        report.next_steps.append("Check that nothing imports the removed code: `scaffold doctor`")


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
    report = json_report()
    if report is not None:
        _report_update(report, result, dry_run=dry_run)
    colors = {"conflict": "red", "merged": "green", "added": "green", "removed": "yellow"}
    for piece in result.pieces:
        click.secho(
            f"{piece.generator} {piece.name}: {piece.blueprint} {piece.old} -> {piece.new}",
            bold=True,
        )
        for outcome in piece.files:
            word = outcome.outcome
            click.echo(f"  {click.style(word.ljust(9), fg=colors.get(word))} {outcome.path}")
    current = [line for line in result.skipped if "(already " in line]
    for line in result.skipped:
        if line not in current:  # something the user may want to act on
            click.echo(f"skipped: {line}")
    if current and result.pieces:
        click.echo(f"{len(current)} other piece(s) already on their blueprints' current version")
    for path in result.refreshed:
        click.echo(f"  {click.style('refreshed'.ljust(9), fg='green')} {path}")
    if not result.pieces and not result.refreshed:
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


def _report_update(report: CommandReport, result: UpdateResult, *, dry_run: bool) -> None:
    from scaffold.engine.report import summary

    report.add_changes(
        result.changes,
        dry_run=dry_run,
        summary=(
            f"{len(result.pieces)} piece(s) brought forward, {summary(result.changes)}"
            if result.pieces
            else "Nothing to do: every generation is on its blueprints' current version."
        ),
    )
    report.data["pieces"] = [
        {
            "generator": piece.generator,
            "name": piece.name,
            "blueprint": piece.blueprint,
            "from": piece.old,
            "to": piece.new,
            "files": [{"path": f.path, "outcome": f.outcome} for f in piece.files],
        }
        for piece in result.pieces
    ]
    report.data["skipped"] = result.skipped
    action = (
        "the new blueprint and your edits changed the same lines: resolve the <<<<<<< "
        "markers (keep both intents), then commit"
    )
    for path in result.conflicts:
        task: dict[str, Any] = {"path": path, "action": action}
        file = Path.cwd() / path
        lines = file.read_bytes().splitlines() if file.is_file() and not dry_run else []
        marker = next((n for n, line in enumerate(lines, 1) if line.startswith(b"<<<<<<<")), None)
        if marker is not None:
            task["line"] = marker
        report.conflicts.append(task)


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
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root

    root = find_project_root(Path.cwd())
    entries = list_blueprints(root, load_config(root))
    report = json_report()
    if report is not None:
        report.summary = f"{len(entries)} blueprints"
        report.data["blueprints"] = [
            {"piece": e.piece, "version": e.version, "origin": e.origin} for e in entries
        ]
        return
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
    from scaffold.spec.config import load_config
    from scaffold.spec.project_root import find_project_root

    root = find_project_root(Path.cwd())
    changes = eject_blueprint(root, load_config(root), piece, dry_run=dry_run, force=force)
    print_changes(f"blueprint {piece}", changes, dry_run=dry_run, done="Ejected")


def _show_warnings() -> None:
    """What the engine reports along the way (an interrupted run undone) goes to stderr."""
    import logging

    class _Echo(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            click.secho(f"warning: {record.getMessage()}", fg="yellow", err=True)

    logger = logging.getLogger("scaffold")
    if not any(handler.name == "scaffold-cli" for handler in logger.handlers):
        handler = _Echo(logging.WARNING)
        handler.name = "scaffold-cli"
        logger.addHandler(handler)
        logger.propagate = False


def run() -> None:
    """Console entry point: the one place where errors become messages and exit codes.

    With ``--json`` the command's text goes to stderr and stdout gets one
    ``scaffold.result/1`` object, errors included, with the same exit code.
    """
    args = sys.argv[1:]
    if not _json_requested(args) or _command_words(args) in _NO_JSON:
        code, _ = _invoke(args)
        sys.exit(code)
    import json

    result = invoke_json(args, command=_command_words(args))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    sys.exit(result["exit_code"])


def invoke_json(args: list[str], *, command: str) -> dict[str, Any]:
    """Run ``scaffold ARGS`` in this process and return its ``scaffold.result/1`` object.

    What the command prints goes to stderr. ``scaffold mcp`` runs its tools through here,
    so a tool and ``scaffold COMMAND --json`` give the same result, messages and codes.
    """
    import contextlib

    from scaffold.assistant.result import document
    from scaffold.commands.output import start_json_report, stop_json_report

    report = start_json_report(command)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            code, error = _invoke(args)
        return document(report, exit_code=code, error=error)
    finally:
        stop_json_report()


def _json_requested(args: list[str]) -> bool:
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


def _command_words(args: list[str]) -> str:
    """``blueprints eject`` from ``--json blueprints eject backend/service``."""
    words = [arg for arg in args if not arg.startswith("-")]
    if not words:
        return ""
    if words[0] == "blueprints" and len(words) > 1 and words[1] in blueprints.commands:
        return " ".join(words[:2])
    return words[0]


def _invoke(args: list[str]) -> tuple[int, dict[str, Any] | None]:
    """Run the command; its exit code and, when it failed, the ``error`` of its JSON result."""
    try:
        return _invoke_command(args)
    finally:
        worker = sys.modules.get("scaffold.engine.worker")
        if worker is not None:  # a generation's libcst process ends with the command
            worker.stop()


def _error_object(message: str, *, code: str, hint: str | None = None) -> dict[str, Any]:
    from scaffold.assistant.result import error_object  # a failed command's only

    return error_object(message, code=code, hint=hint)


def _invoke_command(args: list[str]) -> tuple[int, dict[str, Any] | None]:
    from scaffold.commands.output import json_report
    from scaffold.engine.project_cache import forget_project
    from scaffold.errors import ScaffoldError

    forget_project()  # the project is found anew by each command
    _generators_found.clear()  # and its generators (scaffold mcp runs many in one process)
    try:
        # without standalone mode click returns, rather than raises, a command's exit code
        code = main.main(args, prog_name="scaffold", standalone_mode=False)
    except ScaffoldError as error:
        click.secho(f"error: {error}", fg="red", err=True)
        report = json_report()
        if report is None:
            return error.exit_code, None
        from scaffold.assistant.result import scaffold_error

        return error.exit_code, scaffold_error(error, report)
    except UnicodeDecodeError as error:
        message = f"a file scaffold read is not UTF-8 text ({error})"
        click.secho(f"error: {message}", fg="red", err=True)
        return 2, _error_object(message, code="not_utf8")
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1, _error_object("aborted", code="aborted")
    except click.ClickException as error:
        error.show()
        return error.exit_code, _error_object(error.format_message(), code="usage")
    except click.exceptions.Exit as error:
        code = error.exit_code
    except Exception as error:
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        # a bug of scaffold's, not the user's: one line, and how to get the details
        message = f"internal error: {type(error).__name__}: {error}"
        hint = (
            "this is a bug in scaffold; nothing was left half written. Run again with "
            "SCAFFOLD_DEBUG=1 to see the traceback, and report it."
        )
        click.secho(f"error: {message}", fg="red", err=True)
        click.echo(f"  hint: {hint}", err=True)
        return 1, _error_object(message, code="internal", hint=hint)
    # a command that chose its exit code (update's conflicts) printed why itself
    code = code if isinstance(code, int) else 0
    if code == 0:
        return 0, None
    report = json_report()
    if report is not None and report.conflicts:
        message = f"{len(report.conflicts)} conflict(s) to resolve"
        return code, _error_object(message, code="conflict")
    return code, _error_object("the command failed", code="failed_check")
