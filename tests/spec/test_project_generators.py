"""A team adds a generator with a YAML file and a blueprint: no Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import snapshot


def add_notice_generator(project: Path) -> None:
    generators = project / ".scaffold/generators"
    generators.mkdir(parents=True)
    (generators / "notice.yaml").write_text(
        "summary: A notice file.\n"
        "description: Writes NOTICE-<name>.md.\n"
        "flags:\n  - {name: loud, help: Shout the notice.}\n"
        "pieces:\n  - {blueprint: notice, step: Notice}\n"
        "log: {type: fix, objective: 'Écrire la notice {kebab}.'}\n"
    )
    blueprint = project / ".scaffold/blueprints/notice"
    (blueprint / "template").mkdir(parents=True)
    (blueprint / "copier.yml").write_text(
        "_subdirectory: template\nresource: {type: yaml}\nflags: {type: yaml}\n"
    )
    (blueprint / "template/NOTICE-{{ resource.kebab }}.md.jinja").write_text(
        "{% if flags.loud %}{{ resource.title | upper }}{% else %}{{ resource.title }}{% endif %}\n"
    )


def test_project_generator_is_a_command_with_its_flags(scaffold: Invoke, project: Path) -> None:
    add_notice_generator(project)

    help_text = scaffold("notice", "--help", cwd=project)
    quiet = scaffold("notice", "release-notes", cwd=project)

    assert "--loud" in help_text.output and "Shout the notice." in help_text.output
    assert quiet.exit_code == 0, quiet.error
    assert (project / "NOTICE-release-note.md").read_text() == "Release Note\n"
    assert list((project / "docs/workflow/logs/fixes").glob("*_fix_release-note.md"))


def test_flag_reaches_the_blueprint_and_the_record(scaffold: Invoke, project: Path) -> None:
    add_notice_generator(project)

    loud = scaffold("notice", "status", "--loud", cwd=project)

    assert loud.exit_code == 0, loud.error
    assert (project / "NOTICE-status.md").read_text() == "STATUS\n"
    before = snapshot(project)
    changed = scaffold("notice", "status", cwd=project)  # without --loud: other options
    assert changed.exit_code == 1
    assert "--loud" in changed.error
    assert snapshot(project) == before


def test_invalid_generator_spec_names_the_file_and_field(scaffold: Invoke, project: Path) -> None:
    add_notice_generator(project)
    spec = project / ".scaffold/generators/notice.yaml"
    spec.write_text(spec.read_text().replace("type: fix", "type: chore"))

    result = scaffold("notice", "x-ray", cwd=project)

    assert result.exit_code == 1
    assert "notice.yaml" in result.error and "log.type" in result.error


def test_generators_folder_set_in_the_config_is_used(scaffold: Invoke, project: Path) -> None:
    add_notice_generator(project)
    (project / ".scaffold/generators").rename(project / "team-generators")
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text().replace(
            "generators: .scaffold/generators", "generators: team-generators"
        )
    )

    listing = scaffold("--help", cwd=project)
    result = scaffold("notice", "release-notes", cwd=project)

    assert "notice" in listing.output
    assert result.exit_code == 0, result.error
    assert (project / "NOTICE-release-note.md").is_file()


def test_the_listing_follows_a_changed_spec_and_config(scaffold: Invoke, project: Path) -> None:
    # `--help` remembers what it read with each file's state: a change must be seen
    add_notice_generator(project)
    assert "A notice file." in scaffold("--help", cwd=project).output
    spec = project / ".scaffold/generators/notice.yaml"
    spec.write_text(spec.read_text().replace("A notice file.", "The release notice."))

    changed = scaffold("--help", cwd=project).output
    (project / ".scaffold/generators").rename(project / "team-generators")
    config = project / "scaffold.yaml"
    config.write_text(
        config.read_text().replace("generators: .scaffold/generators", "generators: elsewhere")
    )
    moved = scaffold("--help", cwd=project).output

    assert "The release notice." in changed and "A notice file." not in changed
    assert "notice" not in moved  # the config now names a folder without it


def test_help_reads_the_specs_without_yaml_once_remembered(project: Path) -> None:
    # the measured cost: importing YAML and the config's schema was a third of `--help`
    def imported(*args: str) -> set[str]:
        ran = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "scaffold", *args],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        return {line.rpartition("|")[2].strip() for line in ran.stderr.splitlines()}

    first = imported("--help")
    again = imported("--help")

    assert "yaml" in first  # nothing remembered yet: the specs are parsed
    assert "yaml" not in again and "scaffold.spec.config" not in again
    assert "logging" not in again  # warnings are shown by commands that run, not by --help


def test_a_changed_copier_yml_is_read_again(scaffold: Invoke, project: Path) -> None:
    # a generation remembers each blueprint's copier.yml with the file's state
    add_notice_generator(project)
    blueprint = project / ".scaffold/blueprints/notice"
    (blueprint / "copier.yml").write_text(
        (blueprint / "copier.yml").read_text() + "greeting: {type: str, default: Hello}\n"
    )
    (blueprint / "template/NOTICE-{{ resource.kebab }}.md.jinja").write_text(
        "{{ greeting }} {{ resource.title }}\n"
    )
    first = scaffold("notice", "first", cwd=project)
    (blueprint / "copier.yml").write_text(
        (blueprint / "copier.yml").read_text().replace("Hello", "Bonjour")
    )
    second = scaffold("notice", "second", cwd=project)

    assert first.exit_code == 0 and second.exit_code == 0, first.error + second.error
    assert (project / "NOTICE-first.md").read_text() == "Hello First\n"
    assert (project / "NOTICE-second.md").read_text() == "Bonjour Second\n"


def test_a_copier_yml_that_is_not_yaml_is_named_with_its_line(
    scaffold: Invoke, project: Path
) -> None:
    # copier.yml is parsed only when its memo misses: the error must still be the blueprint's
    add_notice_generator(project)
    copier_yml = project / ".scaffold/blueprints/notice/copier.yml"
    copier_yml.write_text(copier_yml.read_text() + "greeting: [unclosed\n")
    before = snapshot(project)

    result = scaffold("notice", "first", cwd=project)

    assert result.exit_code == 1
    assert "copier.yml is not valid YAML" in result.error and "Traceback" not in result.error
    assert "notice/copier.yml:5:" in result.error  # the file, and the line YAML stopped at
    assert snapshot(project) == before
