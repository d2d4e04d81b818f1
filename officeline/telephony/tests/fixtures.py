"""The SIP tests' fixtures (a pytest plugin, loaded by the project's conftest, so that the
SIP tests of the apps above telephony have them too): a Kamailio per test module, on a
free loopback port, against the test database, and the routing module outside Kamailio.

The modules that relay media give rtpengine and the project's endpoints fixed port
numbers of their own, one band each in 21000-22099: below the kernel's range of
ephemeral ports (32768-60999 on Linux), so no port the kernel hands out to a SIPp
or a Kamailio on a free port can take one, and no two modules running side by side
share one.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from officeline.telephony.kamailio import (
    KamailioConfig,
    KamailioProcess,
    free_port,
    kamailio_db_url,
    route_secret,
)


def kamailio_config(workdir: Path, **overrides: object) -> KamailioConfig:
    values: dict[str, object] = {
        "listen_host": "127.0.0.1",
        "listen_port": free_port(),
        "domain": settings.SIP_DOMAIN,
        "db_url": kamailio_db_url(connection.settings_dict),
        "workdir": workdir,
        "children": 2,
        # The tests' trunks are trusted by their address (test_sip_security tries digest).
        "trunk_auth": "ip",
        "route_secret": route_secret(settings.SECRET_KEY),
        **overrides,
    }
    return KamailioConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def gateway_port() -> int:
    """Where the module's Kamailio sends emergency calls (a SIPp answers there when asked)."""
    return free_port()


@pytest.fixture(scope="module")
def module_kamailio(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory, gateway_port: int
) -> Iterator[KamailioConfig]:
    """One Kamailio for the whole module: starting one costs more than most SIP tests."""
    config = kamailio_config(
        tmp_path_factory.mktemp("kamailio"), emergency_gateway=f"sip:127.0.0.1:{gateway_port}"
    )
    process = KamailioProcess(config)
    process.start()
    yield config
    process.stop()


@pytest.fixture
def routing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The routing module (``routing/kemi.py``) outside Kamailio, read with the environment
    the Django side renders for Kamailio (its KSR module stands empty: nothing calls it)."""
    config = kamailio_config(tmp_path, listen_port=5999)
    for name, value in config.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setitem(sys.modules, "KSR", sys.modules.get("KSR") or types.ModuleType("KSR"))
    module = importlib.import_module("officeline.telephony.routing.kemi")
    return importlib.reload(module)
