"""Kamailio's configuration is rendered from the settings."""

from __future__ import annotations

from pathlib import Path

from officeline.telephony.kamailio import KamailioConfig, kamailio_db_url


def test_database_urls_for_kamailio(tmp_path):
    assert (
        kamailio_db_url(
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "ol",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": 5432,
            }
        )
        == "postgres://postgres@127.0.0.1:5432/ol"
    )
    assert (
        kamailio_db_url(
            {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
        )
        == f"sqlite:///{tmp_path}/x.sqlite3"
    )


def test_rendered_configuration_loads_the_python_routing(tmp_path):
    cfg = KamailioConfig(
        "127.0.0.1",
        5999,
        "officeline.test",
        "postgres://postgres@127.0.0.1:5432/ol",
        Path(tmp_path),
    ).render()
    assert 'cfgengine "python"' in cfg and "listen=udp:127.0.0.1:5999" in cfg
    assert 'modparam("usrloc", "preload", "location")' in cfg
    assert 'loadmodule "db_postgres.so"' in cfg and "kemi.py" in cfg
