"""Registries without an API: an ``unsupported`` outcome with a page to look at, no network."""

from __future__ import annotations

import pytest
import respx

from linker.models import Registry
from linker.registries.interface import OutcomeKind
from linker.registries.unsupported import UnsupportedClient

ICTRP = "https://trialsearch.who.int/Trial2.aspx?TrialID="

CASES: dict[Registry, tuple[str, str | None]] = {
    Registry.ANZCTR: (
        "ACTRN12617000123456",
        "https://www.anzctr.org.au/Trial/Registration/TrialReview.aspx?ACTRN=12617000123456",
    ),
    Registry.DRKS: ("DRKS00005115", "https://drks.de/search/en/trial/DRKS00005115"),
    Registry.CHICTR: ("ChiCTR2000029308", f"{ICTRP}ChiCTR2000029308"),
    Registry.CTRI: ("CTRI/2020/05/025114", f"{ICTRP}CTRI%2F2020%2F05%2F025114"),
    Registry.JRCT: ("jRCTs031180001", f"{ICTRP}JPRN-jRCTs031180001"),
    Registry.UMIN: ("UMIN000012345", f"{ICTRP}JPRN-UMIN000012345"),
    Registry.CRIS: ("KCT0001234", f"{ICTRP}KCT0001234"),
    Registry.PACTR: ("PACTR202406532417953", f"{ICTRP}PACTR202406532417953"),
    Registry.IRCT: ("IRCT20181201041815N1", f"{ICTRP}IRCT20181201041815N1"),
    Registry.NL: ("NL9229", f"{ICTRP}NL9229"),
    Registry.REBEC: ("RBR-7ymhtn", f"{ICTRP}RBR-7ymhtn"),
    Registry.SLCTR: ("SLCTR/2020/012", f"{ICTRP}SLCTR%2F2020%2F012"),
    Registry.TCTR: ("TCTR20200101001", f"{ICTRP}TCTR20200101001"),
    Registry.REPEC: ("PER-106-20", f"{ICTRP}PER-106-20"),
    Registry.LBCTR: ("LBCTR2019100123", f"{ICTRP}LBCTR2019100123"),
    Registry.ITMCTR: ("ITMCTR2100004758", f"{ICTRP}ITMCTR2100004758"),
    Registry.UTN: ("U1111-1234-5678", None),
}


def test_every_registry_without_a_client_is_covered() -> None:
    with_clients = {Registry.CTGOV, Registry.ISRCTN, Registry.EUCTR, Registry.CTIS}
    assert set(CASES) == set(Registry) - with_clients


@pytest.mark.parametrize("registry", list(CASES), ids=[r.value for r in CASES])
async def test_unsupported_outcome_with_lookup_url(registry: Registry) -> None:
    identifier, url = CASES[registry]
    client = UnsupportedClient(registry)
    assert client.registry is registry
    with respx.mock(assert_all_mocked=True):  # any request would fail the test
        outcomes = await client.verify_many([identifier, identifier])
    assert list(outcomes) == [identifier]
    outcome = outcomes[identifier]
    assert outcome.kind is OutcomeKind.UNSUPPORTED
    assert outcome.registry is registry and outcome.requested_id == identifier
    assert outcome.url == url
    assert outcome.reason is not None and "no public API" in outcome.reason
    assert outcome.record is None and outcome.verified


@pytest.mark.parametrize(
    "registry", [Registry.CTGOV, Registry.ISRCTN, Registry.EUCTR, Registry.CTIS]
)
def test_registries_with_clients_are_refused(registry: Registry) -> None:
    with pytest.raises(ValueError, match="client of its own"):
        UnsupportedClient(registry)


def test_registry_is_per_instance() -> None:
    assert UnsupportedClient(Registry.DRKS).registry is Registry.DRKS
    assert UnsupportedClient(Registry.ANZCTR).registry is Registry.ANZCTR
    assert UnsupportedClient.needs_network is False
