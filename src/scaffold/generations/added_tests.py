"""``scaffold test TYPE TARGET``: add tests to something scaffold generated (the seeds'
``/write-test <type> <target>``), through the same pipeline as every generator.

The target is a generation on record (``.scaffold/generations/<generator>/<name>.json``):
its answers (names, fields, props, flags) are what the tests are rendered with.

- ``integration-db`` (an endpoint or feature) and ``e2e`` (a feature: it has pages) write
  tests no generation writes: the table in a database built by the migrations, and a
  Playwright test of the pages in a real browser (with, the first time, the shared
  ``playwright.config.ts`` that starts the backend and the frontend).
- ``unit-service``, ``integration-api`` (an endpoint or feature), ``unit-agent`` (an agent)
  and ``component`` (a component, or a feature's list and form components) are tests the
  target's generation already wrote: while they are in the project there is nothing to
  do; a deleted one is written again from the same blueprint.

A run stages everything on a ``Tree``, checks conflicts, then applies atomically (or only
shows the plan with ``dry_run``); it records what it wrote in
``.scaffold/generations/test/<type>-<target>.json`` and logs in ``logs/tests/``.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold import __version__
from scaffold.blueprint.find import Blueprint, project_blueprint
from scaffold.blueprint.render import render_blueprint
from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, content_hash, load_record
from scaffold.engine.transaction import Transaction, transaction
from scaffold.engine.tree import Change, Tree
from scaffold.errors import InvalidInputError
from scaffold.generations.alembic_history import read_revisions
from scaffold.generations.contract_check import check_contract
from scaffold.generations.project_answers import project_answers
from scaffold.generations.resource_columns import columns_at_head
from scaffold.inputs import clock
from scaffold.inputs.naming import ResourceName
from scaffold.inputs.subject import Subject
from scaffold.logbook.language import Bilingual, Text
from scaffold.logbook.trail import Generation, write_logbook
from scaffold.spec.config import ProjectConfig
from scaffold.spec.generators import GeneratorSpec, LogSpec, PieceSpec, TestKind

GENERATOR = "test"
"""The manifest folder of these generations: ``.scaffold/generations/test/``."""
PLAYWRIGHT_PACKAGE = "@playwright/test"
PLAYWRIGHT_VERSION = "1.65.1"


@dataclass(frozen=True)
class KindOfTest:
    """What ``scaffold test TYPE`` accepts as a target and what it writes."""

    __test__ = False  # not a pytest class

    kind: TestKind
    targets: tuple[str, ...]
    """Generators whose generations can be the target, the first found wins."""
    target_help: str
    step: Bilingual
    objective: Bilingual
    reused: tuple[str, ...] = ()
    """Blueprints whose tests the target's generation already wrote."""
    pieces: tuple[str, ...] = ()
    """Blueprints this type writes (tests no generation writes)."""
    shared: tuple[str, ...] = ()
    """Blueprints created once for every test of this type, never rewritten."""


TEST_TYPES: dict[str, KindOfTest] = {
    "unit-service": KindOfTest(
        "unit",
        ("feature", "endpoint"),
        "an endpoint or a feature",
        Bilingual("Tests unitaires du service", "Service unit tests"),
        Bilingual(
            "Tester le service de {plural_kebab} (création, lecture, pagination, mise à jour, "
            "suppression, isolation par tenant).",
            "Test the {plural_kebab} service (create, read, pagination, update, delete, "
            "tenant isolation).",
        ),
        reused=("backend/test-unit-service",),
    ),
    "integration-api": KindOfTest(
        "integration",
        ("feature", "endpoint"),
        "an endpoint or a feature",
        Bilingual(
            "Tests d'intégration API (isolation multi-tenant)",
            "API integration tests (multi-tenant isolation)",
        ),
        Bilingual(
            "Tester l'API /{plural_kebab} : CRUD, pagination, validation et isolation "
            "multi-tenant.",
            "Test the /{plural_kebab} API: CRUD, pagination, validation and multi-tenant "
            "isolation.",
        ),
        reused=("backend/test-integration-api",),
    ),
    "integration-db": KindOfTest(
        "integration",
        ("feature", "endpoint"),
        "an endpoint or a feature",
        Bilingual(
            "Tests d'intégration DB (table construite par les migrations)",
            "DB integration tests (table built by the migrations)",
        ),
        Bilingual(
            "Tester la table {plural_snake} dans une base construite par les migrations : "
            "colonnes et nullabilité du modèle, index tenant, horodatages remplis par la base, "
            "colonnes obligatoires, valeurs relues telles qu'écrites, downgrade puis upgrade.",
            "Test the {plural_snake} table in a database built by the migrations: the model's "
            "columns and nullability, tenant index, timestamps filled by the database, "
            "required columns, values read back as written, downgrade then upgrade.",
        ),
        pieces=("tests/integration-db",),
    ),
    "unit-agent": KindOfTest(
        "unit",
        ("agent",),
        "an agent",
        Bilingual(
            "Tests unitaires de l'agent (LLM mocké, chaque repli, sortie invalide)",
            "Agent unit tests (mocked LLM, each fallback, invalid output)",
        ),
        Bilingual(
            "Tester l'agent {kebab} avec le LLM mocké : réponse valide, chaque repli, "
            "sortie invalide, service.",
            "Test the agent {kebab} with the LLM mocked: valid answer, each fallback, "
            "invalid output, service.",
        ),
        reused=("agent/test-unit-agent",),
    ),
    "component": KindOfTest(
        "unit",
        ("component", "feature"),
        "a component, or a feature (its list and form components)",
        Bilingual("Tests des composants", "Component tests"),
        Bilingual(
            "Tester les composants de {kebab} (rendu, props, interactions).",
            "Test the components of {kebab} (rendering, props, interactions).",
        ),
        reused=("frontend/component", "frontend/list-component", "frontend/form-component"),
    ),
    "e2e": KindOfTest(
        "e2e",
        ("feature",),
        "a feature (it has pages)",
        Bilingual(
            "Test E2E Playwright (pages liste et création dans Chromium)",
            "Playwright E2E test (list and create pages in Chromium)",
        ),
        Bilingual(
            "Tester de bout en bout les pages de {plural_kebab} dans un vrai navigateur "
            "(Playwright, Chromium du système) contre le vrai backend et sa base : page liste, "
            "page de création (formulaire rempli et envoyé), retour à la liste avec la "
            "nouvelle ligne, champ obligatoire refusé.",
            "Test the {plural_kebab} pages end to end in a real browser (Playwright, the "
            "system's Chromium) against the real backend and its database: list page, create "
            "page (form filled in and sent), back to the list with the new row, required "
            "field refused.",
        ),
        pieces=("tests/e2e",),
        shared=("tests/e2e-setup",),
    ),
}


@dataclass(frozen=True)
class AddTestsRequest:
    __test__ = False  # not a pytest class

    type: str
    target: str
    dry_run: bool = False
    force: bool = False


@dataclass
class AddedTests:
    __test__ = False  # not a pytest class

    title: str
    """``e2e campaigns``: what the report names."""
    changes: list[Change]
    applied: bool
    already: list[str] = field(default_factory=list)
    """Test files the target's generation wrote and which are still there (nothing to do)."""
    written_by: str = ""
    """The command of the target's generation."""
    notes: list[str] = field(default_factory=list)
    """What the user still has to do (install a package) for the tests to run."""


@dataclass(frozen=True)
class _Target:
    record: GenerationRecord
    names: ResourceName

    @property
    def command(self) -> str:
        command = self.record.answers.get("command")
        if isinstance(command, str) and command:
            return command
        return f"scaffold {self.record.generator} {self.record.name}"


def write_tests(request: AddTestsRequest, *, cwd: Path, today: dt.date | None = None) -> AddedTests:
    """Plan the tests ``request`` asks for and apply them unless it is a dry run."""
    test_type = TEST_TYPES.get(request.type)
    if test_type is None:
        raise InvalidInputError(
            f"no test type named '{request.type}'", hint=f"types: {', '.join(TEST_TYPES)}"
        )
    command = f"test {request.type} {request.target}"
    with transaction(cwd, command=command, dry_run=request.dry_run) as txn:
        return _plan(txn, request, test_type, today=today)


def _plan(
    txn: Transaction, request: AddTestsRequest, test_type: KindOfTest, *, today: dt.date | None
) -> AddedTests:
    config, tree = txn.config, txn.tree
    target = _find_target(tree, request.type, test_type, request.target)
    planner = _Planner(tree, config, request.type, test_type, target, today or clock.today())
    title = f"{request.type} {target.record.name}"
    already = planner.existing_tests()
    if already is not None and not planner.missing:
        # the target's generation wrote these tests and they are all still there
        return AddedTests(title, [], applied=False, already=already, written_by=target.command)
    known = planner.plan()
    changes = txn.commit(known=known, force=request.force)
    return AddedTests(
        title,
        changes,
        applied=not request.dry_run,
        written_by=target.command,
        notes=planner.notes(),
    )


def valid_targets(root: Path, test_type: KindOfTest) -> list[str]:
    """Names of the generations on record that ``test_type`` can test."""
    folder = root / MANIFEST_DIR / "generations"
    names = {
        path.stem for generator in test_type.targets for path in folder.glob(f"{generator}/*.json")
    }
    return sorted(names)


def _find_target(tree: Tree, type_name: str, test_type: KindOfTest, raw: str) -> _Target:
    names = ResourceName.parse(raw, what=f"{type_name} target")
    for generator in test_type.targets:
        # a resource is recorded by its plural (campaigns), a component by itself (lead-card)
        for key in dict.fromkeys((names.plural_kebab, names.kebab)):
            record = load_record(tree, generator, key)
            if record is not None:
                return _Target(record, _recorded_names(record))
    found = valid_targets(tree.root, test_type)
    raise InvalidInputError(
        f"no generation to test as '{type_name} {raw}': {type_name} tests "
        f"{test_type.target_help} that scaffold generated",
        hint=f"valid targets: {', '.join(found)}"
        if found
        else f"none in this project yet (generate {test_type.target_help} first, "
        f"e.g. `scaffold {test_type.targets[0]} NAME`)",
    )


def _recorded_names(record: GenerationRecord) -> ResourceName:
    """The names the target was generated with: its command's NAME, else the record name."""
    command = record.answers.get("command")
    if isinstance(command, str):
        words = shlex.split(command)
        if len(words) > 2:
            try:
                return ResourceName.parse(words[2])
            except InvalidInputError:
                pass
    return ResourceName.parse(record.name)


class _Planner:
    def __init__(
        self,
        tree: Tree,
        config: ProjectConfig,
        type_name: str,
        test_type: KindOfTest,
        target: _Target,
        today: dt.date,
    ) -> None:
        self.tree = tree
        self.config = config
        self.type_name = type_name
        self.test_type = test_type
        self.target = target
        self.today = today
        self.name = f"{type_name}-{target.record.name}"
        """Record name: ``.scaffold/generations/test/e2e-campaigns.json``."""
        self.answers = self._answers()
        self.missing: dict[str, dict[str, bytes]] = {}
        """Per reused blueprint, its test files that are no longer in the project."""

    # ----- the target's own tests

    def existing_tests(self) -> list[str] | None:
        """The reused tests still in the project (None when this type writes new tests);
        fills ``missing`` with those that are gone."""
        if not self.test_type.reused:
            return None
        present: list[str] = []
        pieces = {piece["blueprint"] for piece in self.target.record.pieces}
        for piece in self.test_type.reused:
            if piece not in pieces:
                continue
            for path, content in self._render(piece, answers_file=None).items():
                if not _is_test(path):
                    continue
                if self.tree.exists(path):
                    present.append(path)
                else:
                    self.missing.setdefault(piece, {})[path] = content
        return present

    # ----- the plan

    def plan(self) -> list[GenerationRecord]:
        """Stage everything on the tree; returns the records whose files it may overwrite."""
        from scaffold.engine.answers_store import stage_compact

        previous = load_record(self.tree, GENERATOR, self.name)
        remembered = dict(previous.answers) if previous is not None else {}
        remembered.setdefault("date", self.today.isoformat())
        if previous is None:  # a re-run keeps the language of the first run, like its date
            remembered["language"] = self.config.language
        remembered["command"] = f"scaffold test {self.type_name} {self.target.record.name}"
        remembered["target"] = self.target.record.path
        record = GenerationRecord(
            generator=GENERATOR,
            name=self.name,
            scaffold_version=__version__,
            answers=remembered,
        )
        piece_files: dict[str, list[str]] = {}
        for piece in self.test_type.shared:
            piece_files[piece] = self._shared_files(piece, remembered)
        for piece, files in self.missing.items():  # a reused test that was deleted
            for path, content in files.items():
                self._write(record, path, content, piece)
                piece_files.setdefault(piece, []).append(path)
        for piece in self.test_type.pieces:
            answers_file = (
                f"{MANIFEST_DIR}/answers/{GENERATOR}/{self.name}/{piece.replace('/', '-')}.yml"
            )
            blueprint = self._blueprint(piece)
            rendered = render_blueprint(blueprint, self.answers, answers_file=answers_file)
            for path, content in stage_compact(self.tree, rendered, answers_file).items():
                self._write(record, path, content, piece)
                if path != answers_file:
                    piece_files.setdefault(piece, []).append(path)
            record.pieces.append(
                {"blueprint": piece, "origin": blueprint.origin, "answers_file": answers_file}
            )
        check_contract(self.tree, self.config, record.files)
        generation = Generation(
            GENERATOR,
            self._spec(),
            self._subject(),
            self.answers,
            remembered,
            piece_files,
            [],
        )
        log_blueprint = project_blueprint("log", self.tree.root, self.config)
        write_logbook(self.tree, self.config, log_blueprint, generation, record)
        self.tree.write(record.path, record.to_json(), reason="manifest", generated=False)
        return [r for r in (previous, self.target.record) if r is not None]

    def notes(self) -> list[str]:
        """What the project still needs for these tests to run."""
        if self.type_name != "e2e":
            return []
        frontend = self.config.frontend.root
        notes = []
        if PLAYWRIGHT_PACKAGE not in self._frontend_packages():
            notes.append(
                f"{frontend}/package.json has no {PLAYWRIGHT_PACKAGE}: run `cd {frontend} && "
                f"npm install --save-dev {PLAYWRIGHT_PACKAGE}@{PLAYWRIGHT_VERSION}` "
                "(no browser is downloaded)"
            )
        notes.append(
            "the test drives the system's Chromium: `apt-get install -y chromium` "
            "(or set CHROMIUM_PATH)"
        )
        return notes

    # ----- helpers

    def _answers(self) -> dict[str, Any]:
        record = self.target.record
        answers: dict[str, Any] = {
            "project": project_answers(self.tree, self.config),
            "resource": self.target.names.to_answers(),
            "frontend_root": self.config.frontend.root,
        }
        recorded = record.answers
        if "fields" in recorded:
            # the table as migrations left it: a column `scaffold migration` added since the
            # generation is in the sample rows too (a required one must be)
            versions = self.config.backend.path(self.config.backend.migrations)
            columns = columns_at_head(self.tree, record, read_revisions(self.tree, versions))
            answers["fields"] = [field.to_answers() for field in columns]
        if "props" in recorded:
            from scaffold.inputs.props import Prop

            answers["props"] = [Prop(**_short(item)).to_answers() for item in recorded["props"]]
        if isinstance(recorded.get("flags"), dict):
            answers["flags"] = recorded["flags"]
        if isinstance(recorded.get("migration"), dict):
            answers["migration"] = recorded["migration"]
        elif any("integration-db" in piece for piece in self.test_type.pieces):
            raise InvalidInputError(
                f"{record.path} has no migration on record: integration-db tests the table "
                "its migration created",
                hint=f"regenerate it with `{self.target.command}`",
            )
        return answers

    def _blueprint(self, piece: str) -> Blueprint:
        return project_blueprint(piece, self.tree.root, self.config)

    def _render(self, piece: str, *, answers_file: str | None) -> dict[str, bytes]:
        return render_blueprint(self._blueprint(piece), self.answers, answers_file=answers_file)

    def _write(self, record: GenerationRecord, path: str, content: bytes, piece: str) -> None:
        self.tree.write(path, content, reason=f"blueprint {piece}", generated=True)
        record.files[path] = content_hash(content)

    def _shared_files(self, piece: str, remembered: dict[str, Any]) -> list[str]:
        """Create the shared files still missing; returns those this generation created."""
        rendered = self._render(piece, answers_file=None)
        created: list[str] = remembered.setdefault("shared", {}).setdefault(
            piece, [path for path in rendered if not self.tree.exists(path)]
        )
        for path, content in rendered.items():
            if not self.tree.exists(path):
                self.tree.write(path, content, reason=f"blueprint {piece}", generated=False)
        return created

    def _spec(self) -> GeneratorSpec:
        test_type = self.test_type
        pieces = [*test_type.shared, *test_type.reused, *test_type.pieces]
        return GeneratorSpec(
            summary=f"scaffold test {self.type_name}",
            description=test_type.objective.en,
            subject="component",
            log=LogSpec(
                type="test",
                slug="{test_name}",
                objective=test_type.objective,
                next_steps=self._next_steps(),
            ),
            pieces=[
                PieceSpec(
                    blueprint=piece,
                    step=Bilingual(
                        "Configuration Playwright (partagée)", "Playwright setup (shared)"
                    )
                    if piece in test_type.shared
                    else test_type.step,
                    test=None if piece in test_type.shared else test_type.kind,
                )
                for piece in pieces
            ],
        )

    def _subject(self) -> Subject:
        names = {**self.target.names.to_answers(), "test_name": self.name}
        return Subject(self.name, self.name, {"resource": self.target.names.to_answers()}, names)

    def _next_steps(self) -> list[Text]:
        backend, frontend = self.config.backend.root, self.config.frontend.root
        if self.type_name == "e2e":
            spec = f"e2e/{self.target.names.plural_kebab}.spec.ts"
            return [
                Bilingual(
                    "Installer Chromium (`apt-get install -y chromium`) et les dépendances du "
                    f"frontend (`cd {frontend} && npm install`, avec {PLAYWRIGHT_PACKAGE})",
                    "Install Chromium (`apt-get install -y chromium`) and the frontend's "
                    f"dependencies (`cd {frontend} && npm install`, with {PLAYWRIGHT_PACKAGE})",
                ),
                Bilingual(
                    f"Lancer le test (`cd {frontend} && npx playwright test {spec}`)",
                    f"Run the test (`cd {frontend} && npx playwright test {spec}`)",
                ),
            ]
        if self.test_type.reused and self.test_type.reused[0].startswith("frontend/"):
            command = f"cd {frontend} && npx vitest run"
        else:
            command = f"cd {backend} && pytest"
        return [Bilingual(f"Lancer les tests (`{command}`)", f"Run the tests (`{command}`)")]

    def _frontend_packages(self) -> dict[str, Any]:
        text = self.tree.read_text(f"{self.config.frontend.root}/package.json")
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {**data.get("dependencies", {}), **data.get("devDependencies", {})}


def _short(item: dict[str, Any]) -> dict[str, Any]:
    return {"name": item["name"], "type": item["type"], "optional": bool(item.get("optional"))}


def _is_test(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return (name.startswith("test_") and name.endswith(".py")) or ".test." in name


def record_spec(record: GenerationRecord) -> GeneratorSpec:
    """The spec of a ``test`` generation on record, for ``doctor``, ``destroy`` and ``update``,
    which look specs up by generator name (``test`` has no ``generators/test.yaml``)."""
    type_name = next((name for name in TEST_TYPES if record.name.startswith(f"{name}-")), None)
    if record.generator != GENERATOR or type_name is None:
        raise InvalidInputError(f"{record.path} is not a record of `scaffold test`")
    test_type = TEST_TYPES[type_name]
    return GeneratorSpec(
        summary=f"scaffold test {type_name}",
        description=test_type.objective.en,
        subject="component",
        log=LogSpec(type="test", slug="{kebab}", objective=test_type.objective),
        pieces=[
            PieceSpec(blueprint=piece, step=test_type.step, test=test_type.kind)
            for piece in (*test_type.reused, *test_type.pieces)
        ],
    )
