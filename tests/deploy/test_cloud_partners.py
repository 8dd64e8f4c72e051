"""Partner systems on the cloud path: `league cloud up` has `league topics ensure` grant each
exactly the command topics it may publish to, and hands the workers the same partners, to check
their commands' sources."""

import json

from events.partners import Partner
from tests.deploy.test_cloud_path import (
    ensured_publishing_rights,
    grants,
    printed_dry_run,
    topology,
    written_overlay,
)

SHOP = "serviceAccount:shop@partner-project.iam.gserviceaccount.com"
PARTNERS = {SHOP: {"sources": ["//shop.example"], "services": ["playerops", "transfer"]}}


def dry_run_with_partners(monkeypatch) -> str:
    monkeypatch.setenv("LEAGUE_PARTNERS", json.dumps(PARTNERS))
    return printed_dry_run()


def test_a_partner_may_publish_to_exactly_the_command_topics_it_was_allowed(monkeypatch):
    script = dry_run_with_partners(monkeypatch)

    rights = ensured_publishing_rights(script)
    assert {topic for topic, members in rights.items() if SHOP in members} == {
        topology().command_topic("playerops"),
        topology().command_topic("transfer"),
    }
    assert not any(member == SHOP for _, member, _ in grants(script))  # nothing else


def test_the_workers_are_given_the_partners_the_script_granted(monkeypatch):
    overlay = written_overlay(dry_run_with_partners(monkeypatch))

    (settings,) = overlay["configMapGenerator"]
    literals = dict(literal.split("=", 1) for literal in settings["literals"])
    partners = json.loads(literals["LEAGUE_PARTNERS"])
    assert {m: Partner.model_validate(p) for m, p in partners.items()} == {
        SHOP: Partner.model_validate(PARTNERS[SHOP])
    }
