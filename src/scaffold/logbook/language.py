"""The language of the team's documents: ``language: fr | en`` in ``scaffold.yaml``.

The team's own documents are French (seeds: WORKFLOW-001), so French is the default of
everything scaffold writes into them: log entries, STATUS.md, the reference documents and
plan tasks. ``en`` switches those; the CLI's own messages stay English either way. This
module is the one catalogue of those texts: the headings and phrases of the log blueprint
and of the sections scaffold owns, and the type of a text a generator or workflow spec
gives in both languages (``{fr: ..., en: ...}``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal

Language = Literal["fr", "en"]
DEFAULT_LANGUAGE: Language = "fr"


@dataclass(frozen=True)
class Bilingual:
    """A text of a spec given in both languages of the team's documents."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    fr: str
    en: str


Text = str | Bilingual
"""A spec's text: one string (a project's own generator, in its team's language) or both."""


def text_in(text: Text | dict[str, str], language: str) -> str:
    """``text`` in ``language``; a plain string is the same in both.

    Raw YAML (a mapping) is accepted too: the assistant's files read specs unvalidated.
    """
    if isinstance(text, Bilingual):
        return text.en if language == "en" else text.fr
    if isinstance(text, dict):
        return str(text.get(language) or text.get(DEFAULT_LANGUAGE) or "")
    return text


def recorded_language(answers: dict[str, Any]) -> Language:
    """The language a generation's record says its documents were written in; records made
    before the setting existed were French."""
    return "en" if answers.get("language") == "en" else "fr"


@dataclass(frozen=True)
class Words:
    """The fixed texts of the team's documents in one language.

    The log blueprint and its sections read them as ``log.words.<name>``; a team's own
    blueprint may ignore them.
    """

    # the log entry (seeds: "Template de log")
    date: str
    status: str
    priority: str
    objective: str
    references: str
    technical_doc: str
    command: str
    steps_done: str
    files: str
    created: str
    deleted: str
    modified: str
    unit_tests: str
    integration_tests: str
    e2e_tests: str
    coverage: str
    generated_by: str
    """Followed by the version, then ``recorded_in`` and the record's path."""
    recorded_in: str
    record_note: str
    next_steps: str
    colon: str
    """Between a label and its value: French sets a space before it."""
    # the STATUS.md entry
    status_file: str
    summary: str
    files_modified: str
    tests_pass: str
    # reference documents, by the key of trail.DOCUMENTS
    titles: dict[str, str]
    # the API contract section
    auth_scaffold: str
    auth_header: str
    method: str
    path: str
    request: str
    response: str
    field: str
    field_type: str
    on_create: str
    on_update: str
    on_read: str
    optional: str
    required: str
    always: str
    no_fields: str
    builtin_fields: str
    # the component catalogue section
    prop: str
    yes: str
    no: str
    resource_components: str
    fields_word: str
    # the agent prompt section
    system_prompt: str
    system_prompt_note: str
    role: str
    element: str
    value: str
    agent_rows: dict[str, str]
    celery_task: str
    celery_value: str
    # `scaffold log` entries, which the team fills in
    manual_objective: str
    manual_notes: str
    fix_notes: str
    manual_next_steps: dict[str, list[str]]
    """What each type of work still needs, from the seeds' workflow for that type."""
    fill_in_step: str
    run_tests_step: str
    """Formatted with ``command``."""
    mark_done_step: str
    """Formatted with ``command``."""
    placeholders: tuple[str, ...]
    """What the texts above leave for the team to replace, lowercase (the checklist looks
    for them)."""
    # `scaffold migration`: its log entry (formatted with the names in braces) and its
    # DOC-TECH-001 section
    migration: dict[str, str]
    database: dict[str, str]
    # `scaffold plan`: what a task's name adds, the install step
    plan: dict[str, str]
    # removal entries (scaffold destroy)
    removal: str
    removal_objective: str
    removal_check: str
    removal_downgrade: str

    def as_answers(self) -> dict[str, Any]:
        """The words as the log blueprint's YAML answer reads them (a shallow copy: asdict's
        deep copy of a hundred strings was a tenth of a generation's own work)."""
        return {
            field.name: dict(value)
            if isinstance(value := getattr(self, field.name), dict)
            else value
            for field in fields(self)
        }


FRENCH = Words(
    date="Date",
    status="Statut",
    priority="Priorité",
    objective="Objectif",
    references="Références",
    technical_doc="Doc technique",
    command="Commande",
    steps_done="Étapes Réalisées",
    files="Fichiers Créés/Modifiés",
    created="créé",
    deleted="supprimé",
    modified="modifié",
    unit_tests="Tests unitaires créés",
    integration_tests="Tests d'intégration créés",
    e2e_tests="Tests E2E créés (si applicable)",
    coverage="Coverage atteint",
    generated_by="Généré par scaffold",
    recorded_in="Les fichiers générés sont enregistrés dans",
    record_note=" : `scaffold` détecte toute modification manuelle avant de les réécrire.",
    colon=" : ",
    next_steps="Prochaines Étapes",
    status_file="Fichier log",
    summary="Résumé",
    files_modified="Fichiers Modifiés",
    tests_pass="Tests passent: à vérifier avec",
    titles={
        "api-contract": "# DOC-TECH-002 — Contrats API",
        "components-catalog": "# DOC-UI-002 — Catalogue des composants",
        "agent-prompt": "# DOC-TECH-004 — Prompts des agents",
        "database-schema": "# DOC-TECH-001 — Schéma de la base de données",
    },
    auth_scaffold=(
        "Authentification : `Authorization: Bearer <jeton>` sur chaque requête (jeton obtenu "
        "par `POST {token_url}`) ; le tenant est celui du jeton, jamais un en-tête ni le "
        "corps. Sans jeton valide : 401 ; les lignes d'un autre tenant répondent 404."
    ),
    auth_header=(
        "Tenant : en-tête `X-Tenant-ID` sur chaque requête ; les lignes d'un autre tenant "
        "répondent 404."
    ),
    method="Méthode",
    path="Chemin",
    request="Requête",
    response="Réponse",
    field="Champ",
    field_type="Type",
    on_create="Création",
    on_update="Mise à jour",
    on_read="Lecture",
    optional="optionnel",
    required="obligatoire",
    always="toujours",
    no_fields="Aucun champ en dehors des champs intégrés.",
    builtin_fields="Champs intégrés en lecture :",
    prop="Prop",
    yes="oui",
    no="non",
    resource_components=(
        "Composants de la ressource {resources} : liste et formulaire, validés par le "
        "schéma zod {schema}"
    ),
    fields_word="champs",
    system_prompt="Prompt système",
    system_prompt_note=(
        "(la référence : l'agent le lit à sa création et y ajoute le schéma JSON de la sortie ;\n"
        "le modifier dans ce fichier, puis relancer les tests de l'agent)."
    ),
    role="Rôle : à décrire (ce que l'agent décide, pour qui, à partir de quelles données).",
    element="Élément",
    value="Valeur",
    agent_rows={
        "input": "Entrée",
        "input_value": "`text` (str, 1 à 20 000 caractères)",
        "output": "Sortie",
        "output_value": (
            "`label` (str, 1 à 100 caractères), `confidence` (float, 0 à 1), `rationale` "
            "(str, 2 000 caractères au plus) ; champs inconnus refusés"
        ),
        "result": "Résultat",
        "result_value": "`output`, `source` (`model` ou `fallback`), `fallback_reason`",
        "fallback": "Repli",
        "fallback_value": (
            "timeout (`timeout`), appel en erreur (`llm_error`), sortie non JSON ou non "
            "conforme (`invalid_output`) : `label` `unknown`, `confidence` 0, un "
            "avertissement dans les logs"
        ),
        "model": "Modèle",
        "model_value": "API compatible OpenAI (`/chat/completions`, réponse JSON) :",
        "service": "Service",
    },
    celery_task="Tâche Celery",
    celery_value="entrée et résultat en JSON",
    manual_objective="À décrire : ce qui est créé ou modifié, et pourquoi.",
    manual_notes="[Notes importantes, décisions, problèmes rencontrés]",
    fix_notes="Cause : à décrire.\n\nSolution : à décrire.",
    manual_next_steps={
        "feature": [
            "Backend : modèles, migration, repositories, services, schémas, endpoints, tests",
            "Frontend : types, composants, pages, tests ; puis les tests E2E si applicable",
        ],
        "component": ["Écrire les tests du composant (coverage cible : 70 %)"],
        "api": [
            "Tests unitaires du service et tests d'intégration API, isolation multi-tenant "
            "comprise (coverage cible : 80 %)",
            "Mettre à jour `docs/tech/DOC-TECH-002_API_CONTRACTS.md` si l'endpoint est nouveau",
        ],
        "agent": [
            "Tests unitaires de l'agent, LLM mocké, replis compris (coverage cible : 85 %)",
            "Documenter le prompt dans `docs/tech/DOC-TECH-004_AGENT_PROMPTS.md`",
        ],
        "database": [
            "Créer la migration et la tester (upgrade et downgrade)",
            "Mettre à jour `docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md`",
        ],
        "fix": [
            "Écrire le test de régression qui échoue avant la correction",
            "Noter la cause et la solution dans ce log",
        ],
        "test": ["Écrire les tests et atteindre les seuils de coverage"],
    },
    fill_in_step="Compléter les étapes réalisées et les fichiers créés/modifiés au fil du travail",
    run_tests_step="Lancer les tests : `{command}`",
    mark_done_step="Marquer ce log terminé : `{command}`",
    placeholders=("à décrire", "[description claire", "[notes importantes", "[étape", "[action"),
    migration={
        "migration_step": "Migration Alembic",
        "model_step": "Modèle SQLAlchemy",
        "schemas_step": "Schemas Pydantic",
        "tests_step": "Tests générés (payloads)",
        "manual_objective": "{summary} Révision Alembic à compléter à la main.",
        "add": "ajouter {names} (nullable)",
        "drop": "supprimer {names}",
        "separator": " ; ",
        "objective": (
            "{summary} Table `{table}` : {parts}, avec le modèle, les schemas et une "
            "migration réversible."
        ),
        "apply": (
            "Appliquer la migration : `cd {backend} && alembic upgrade head`, puis `alembic check`"
        ),
        "downgrade": (
            "Vérifier le retour arrière : `alembic downgrade -1`, puis `alembic upgrade head`"
        ),
        "write_operations": "Écrire les opérations de `upgrade()` et `downgrade()`",
        "dropped_usages": (
            "Chercher les usages restants des colonnes supprimées (`grep -rnE '{names}'`) "
            "dans le code écrit à la main"
        ),
        "required_field": (
            "Pour rendre un champ obligatoire : remplir les lignes existantes, puis une "
            "migration écrite à la main (`nullable=False`) et les schemas"
        ),
        "frontend": (
            "Mettre à jour le frontend de la ressource (types, schémas zod, formulaire) : "
            "scaffold ne modifie que le backend"
        ),
    },
    database={
        "after": "après",
        "first_revision": "la première révision",
        "model": "modèle",
        "column": "Colonne",
        "change": "Changement",
        "added": "ajoutée",
        "dropped": "supprimée",
        "index_dropped": " (index supprimé)",
        "no_operation": "Aucune opération générée : la révision est à compléter à la main.",
    },
    plan={
        "conflict": " : CONFLIT, à résoudre avant de lancer",
        "nothing_to_do": " : déjà générée, rien à faire",
        "install_frontend": "Installer les dépendances frontend",
    },
    removal="Suppression",
    removal_objective="Supprimer ce que `{command}` avait généré.",
    removal_check="Vérifier que plus rien n'importe le code supprimé (`scaffold doctor`)",
    removal_downgrade=(
        "Si la migration {revision} était appliquée : `alembic downgrade {down}` avant de déployer"
    ),
)

ENGLISH = Words(
    date="Date",
    status="Status",
    priority="Priority",
    objective="Objective",
    references="References",
    technical_doc="Technical doc",
    command="Command",
    steps_done="Steps Done",
    files="Files Created/Modified",
    created="created",
    deleted="deleted",
    modified="modified",
    unit_tests="Unit tests written",
    integration_tests="Integration tests written",
    e2e_tests="E2E tests written (if applicable)",
    coverage="Coverage reached",
    generated_by="Generated by scaffold",
    recorded_in="The generated files are recorded in",
    record_note=": `scaffold` detects any manual change before rewriting them.",
    colon=": ",
    next_steps="Next Steps",
    status_file="Log file",
    summary="Summary",
    files_modified="Files Modified",
    tests_pass="Tests pass: check with",
    titles={
        "api-contract": "# DOC-TECH-002 — API Contracts",
        "components-catalog": "# DOC-UI-002 — Components Catalog",
        "agent-prompt": "# DOC-TECH-004 — Agent Prompts",
        "database-schema": "# DOC-TECH-001 — Database Schema",
    },
    auth_scaffold=(
        "Authentication: `Authorization: Bearer <token>` on every request (the token from "
        "`POST {token_url}`); the tenant is the token's, never a header or the body. Without "
        "a valid token: 401; another tenant's rows answer 404."
    ),
    auth_header="Tenant: the `X-Tenant-ID` header on every request; another tenant's rows "
    "answer 404.",
    method="Method",
    path="Path",
    request="Request",
    response="Response",
    field="Field",
    field_type="Type",
    on_create="Create",
    on_update="Update",
    on_read="Read",
    optional="optional",
    required="required",
    always="always",
    no_fields="No field besides the built-in ones.",
    builtin_fields="Built-in fields on read:",
    prop="Prop",
    yes="yes",
    no="no",
    resource_components=(
        "Components of the {resources} resource: list and form, validated by the zod "
        "schema {schema}"
    ),
    fields_word="fields",
    system_prompt="System prompt",
    system_prompt_note=(
        "(the reference: the agent reads it when created and appends the output's JSON "
        "schema;\nchange it in this file, then run the agent's tests again)."
    ),
    role="Role: to describe (what the agent decides, for whom, from which data).",
    element="Item",
    value="Value",
    agent_rows={
        "input": "Input",
        "input_value": "`text` (str, 1 to 20,000 characters)",
        "output": "Output",
        "output_value": (
            "`label` (str, 1 to 100 characters), `confidence` (float, 0 to 1), `rationale` "
            "(str, at most 2,000 characters); unknown fields refused"
        ),
        "result": "Result",
        "result_value": "`output`, `source` (`model` or `fallback`), `fallback_reason`",
        "fallback": "Fallback",
        "fallback_value": (
            "timeout (`timeout`), failed call (`llm_error`), output not JSON or not valid "
            "(`invalid_output`): `label` `unknown`, `confidence` 0, a warning in the logs"
        ),
        "model": "Model",
        "model_value": "OpenAI-compatible API (`/chat/completions`, JSON response):",
        "service": "Service",
    },
    celery_task="Celery task",
    celery_value="input and result as JSON",
    manual_objective="To describe: what is created or changed, and why.",
    manual_notes="[Important notes, decisions, problems met]",
    fix_notes="Cause: to describe.\n\nSolution: to describe.",
    manual_next_steps={
        "feature": [
            "Backend: models, migration, repositories, services, schemas, endpoints, tests",
            "Frontend: types, components, pages, tests; then the E2E tests if applicable",
        ],
        "component": ["Write the component's tests (coverage target: 70%)"],
        "api": [
            "Service unit tests and API integration tests, multi-tenant isolation included "
            "(coverage target: 80%)",
            "Update `docs/tech/DOC-TECH-002_API_CONTRACTS.md` if the endpoint is new",
        ],
        "agent": [
            "Agent unit tests, LLM mocked, fallbacks included (coverage target: 85%)",
            "Document the prompt in `docs/tech/DOC-TECH-004_AGENT_PROMPTS.md`",
        ],
        "database": [
            "Create the migration and test it (upgrade and downgrade)",
            "Update `docs/tech/DOC-TECH-001_DATABASE_SCHEMA.md`",
        ],
        "fix": [
            "Write the regression test that fails before the fix",
            "Write down the cause and the solution in this log",
        ],
        "test": ["Write the tests and reach the coverage thresholds"],
    },
    fill_in_step="Fill in the steps done and the files created/modified as the work goes",
    run_tests_step="Run the tests: `{command}`",
    mark_done_step="Mark this log completed: `{command}`",
    placeholders=("to describe", "[important notes"),
    migration={
        "migration_step": "Alembic migration",
        "model_step": "SQLAlchemy model",
        "schemas_step": "Pydantic schemas",
        "tests_step": "Generated tests (payloads)",
        "manual_objective": "{summary} Alembic revision to complete by hand.",
        "add": "add {names} (nullable)",
        "drop": "drop {names}",
        "separator": "; ",
        "objective": (
            "{summary} Table `{table}`: {parts}, with the model, the schemas and a reversible "
            "migration."
        ),
        "apply": (
            "Apply the migration: `cd {backend} && alembic upgrade head`, then `alembic check`"
        ),
        "downgrade": "Check the way back: `alembic downgrade -1`, then `alembic upgrade head`",
        "write_operations": "Write the operations of `upgrade()` and `downgrade()`",
        "dropped_usages": (
            "Look for the remaining uses of the dropped columns (`grep -rnE '{names}'`) in "
            "the hand-written code"
        ),
        "required_field": (
            "To make a field required: fill in the existing rows, then a hand-written "
            "migration (`nullable=False`) and the schemas"
        ),
        "frontend": (
            "Update the resource's frontend (types, zod schemas, form): scaffold changes the "
            "backend only"
        ),
    },
    database={
        "after": "after",
        "first_revision": "the first revision",
        "model": "model",
        "column": "Column",
        "change": "Change",
        "added": "added",
        "dropped": "dropped",
        "index_dropped": " (index dropped)",
        "no_operation": "No operation generated: the revision is to complete by hand.",
    },
    plan={
        "conflict": ": CONFLICT, to resolve before running",
        "nothing_to_do": ": already generated, nothing to do",
        "install_frontend": "Install the frontend dependencies",
    },
    removal="Removal",
    removal_objective="Remove what `{command}` generated.",
    removal_check="Check that nothing imports the removed code any more (`scaffold doctor`)",
    removal_downgrade=(
        "If migration {revision} was applied: `alembic downgrade {down}` before deploying"
    ),
)

WORDS: dict[str, Words] = {"fr": FRENCH, "en": ENGLISH}


def words(language: str) -> Words:
    """The catalogue of ``language`` (French for anything else: the team's default)."""
    return WORDS.get(language, FRENCH)


def in_every_language(name: str) -> tuple[str, ...]:
    """A heading or label of the log entry in every language: an entry keeps the language
    it was written in when the project switches, so readers of entries accept all of them."""
    return tuple(dict.fromkeys(getattr(catalogue, name) for catalogue in WORDS.values()))


def placeholders() -> tuple[str, ...]:
    """What the team still has to replace, in entries of any language (lowercase)."""
    return tuple(text for catalogue in WORDS.values() for text in catalogue.placeholders)


def section(sections: dict[str, list[str]], name: str) -> list[str]:
    """The lines under the heading ``name`` (a ``Words`` field) of a parsed log entry, in
    whichever language the entry was written."""
    for heading in in_every_language(name):
        if heading in sections:
            return sections[heading]
    return []
