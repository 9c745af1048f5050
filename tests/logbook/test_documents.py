"""Sections scaffold owns in the team's Markdown documents."""

from scaffold.logbook.documents import remove_section, upsert_section

DOC = "# STATUS\n\nHand-written intro.\n"


def test_new_section_is_appended_after_a_blank_line() -> None:
    assert upsert_section(DOC, "endpoint campaigns", "## campaigns") == (
        DOC + "\n<!-- scaffold:begin endpoint campaigns -->\n## campaigns\n"
        "<!-- scaffold:end endpoint campaigns -->\n"
    )


def test_upsert_twice_is_idempotent() -> None:
    once = upsert_section(DOC, "k", "body")
    assert upsert_section(once, "k", "body") == once


def test_upsert_replaces_only_its_own_section() -> None:
    text = upsert_section(upsert_section(DOC, "a", "A1"), "b", "B1") + "footer by hand\n"
    updated = upsert_section(text, "a", "A2")
    assert "A2" in updated and "A1" not in updated
    assert updated.endswith("B1\n<!-- scaffold:end b -->\nfooter by hand\n")


def test_remove_restores_the_document() -> None:
    assert remove_section(upsert_section(DOC, "k", "body"), "k") == DOC


def test_remove_of_missing_section_changes_nothing() -> None:
    assert remove_section(DOC, "k") == DOC
