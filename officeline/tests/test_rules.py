"""The rule book (``officeline/rules.py``) and the code agree: every rule ID the code or the
tests cite is in the book, and every rule in the book is named by at least one test."""

from __future__ import annotations

from officeline import rules


def test_every_cited_rule_id_is_in_the_rule_book():
    book = rules.by_id()
    unknown = {
        rule_id: places.code[:1] + places.tests[:1]
        for rule_id, places in rules.citations().items()
        if rule_id not in book
    }
    assert not unknown, f"cited but not in officeline/rules.py: {unknown}"


def test_every_rule_in_the_book_is_named_by_a_test():
    cited = rules.citations()
    untested = [rule.id for rule in rules.RULES if not (rule.id in cited and cited[rule.id].tests)]
    assert not untested, f"no test names these rules: {untested}"


def test_rule_ids_are_unique_and_belong_to_a_family():
    ids = [rule.id for rule in rules.RULES]
    assert len(ids) == len(set(ids))
    prefixes = {family.prefix for family in rules.FAMILIES}
    assert all(
        rule.prefix in prefixes and rules.ID_PATTERN.fullmatch(rule.id) for rule in rules.RULES
    )
    assert all(rules.rules_of(family) for family in rules.FAMILIES)


def test_the_scan_sees_code_and_tests_apart():
    """CMP-3 (acknowledgement within a business day) is decided in support and tested there."""
    places = rules.citations()["CMP-3"]
    assert any(path.startswith("officeline/support/") for path, _ in places.code)
    assert all("/tests/" in path for path, _ in places.tests) and places.tests
