"""Kamailio's configuration is rendered from the settings."""

from __future__ import annotations

from pathlib import Path

from officeline.telephony.kamailio import KamailioConfig, kamailio_db_url
from officeline.telephony.rtpengine import RtpengineConfig


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


def test_rtpengine_is_loaded_only_when_its_control_socket_is_set(tmp_path):
    base = KamailioConfig(
        "127.0.0.1", 5999, "officeline.test", "postgres://postgres@127.0.0.1:5432/ol", tmp_path
    )
    assert "rtpengine.so" not in base.render()
    assert base.environment()["OFFICELINE_RTPENGINE"] == ""
    with_media = KamailioConfig(
        "127.0.0.1",
        5999,
        "officeline.test",
        "postgres://postgres@127.0.0.1:5432/ol",
        tmp_path,
        rtpengine_control="udp:127.0.0.1:2223",
    )
    cfg = with_media.render()
    assert 'loadmodule "rtpengine.so"' in cfg
    assert 'modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:2223")' in cfg
    assert with_media.environment()["OFFICELINE_RTPENGINE"] == "1"


def test_rtpengine_runs_in_userspace_with_its_control_on_loopback(tmp_path):
    command = RtpengineConfig("127.0.0.1", 2223, 30000, 30999, tmp_path).command()
    assert "--table=-1" in command and "--listen-ng=127.0.0.1:2223" in command
    assert "--interface=127.0.0.1" in command and "--foreground" in command


def test_registrations_are_kept_in_the_database(tmp_path):
    cfg = KamailioConfig(
        "127.0.0.1", 5999, "officeline.test", "postgres://postgres@127.0.0.1:5432/ol", tmp_path
    ).render()
    assert 'modparam("usrloc", "db_mode", 3)' in cfg
    assert 'modparam("usrloc", "db_url", "postgres://postgres@127.0.0.1:5432/ol")' in cfg


def test_flood_and_load_protection_are_rendered_and_can_be_turned_off(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/ol"
    on = KamailioConfig("127.0.0.1", 5999, "officeline.test", url, tmp_path, invite_limit=50)
    cfg = on.render()
    assert 'loadmodule "pike.so"' in cfg and 'loadmodule "ratelimit.so"' in cfg
    assert 'modparam("pike", "reqs_density_per_unit", 60)' in cfg
    assert 'modparam("ratelimit", "pipe", "0:TAILDROP:50")' in cfg
    assert on.environment()["OFFICELINE_SIP_PIKE"] == "1"
    off = KamailioConfig(
        "127.0.0.1",
        5999,
        "officeline.test",
        url,
        tmp_path,
        flood_requests=0,
        invite_limit=0,
        register_limit=0,
    )
    assert "pike" not in off.render() and "ratelimit" not in off.render()
    assert off.environment()["OFFICELINE_SIP_PIKE"] == ""


def test_on_sqlite_kamailio_waits_for_other_writers_in_wal_mode(tmp_path):
    sqlite = KamailioConfig(
        "127.0.0.1", 5999, "officeline.test", f"sqlite:///{tmp_path}/ol.sqlite3", tmp_path
    )
    assert f'modparam("db_sqlite", "db_set_journal_mode", "{tmp_path}/ol.sqlite3=WAL")' in (
        sqlite.render()
    )
    assert sqlite.environment()["OFFICELINE_SQLITE_BUSY_TIMEOUT_MS"] == "2000"

    postgres = KamailioConfig(
        "127.0.0.1", 5999, "officeline.test", "postgres://postgres@127.0.0.1:5432/ol", tmp_path
    )
    assert "db_sqlite" not in postgres.render()
    assert postgres.environment()["OFFICELINE_SQLITE_BUSY_TIMEOUT_MS"] == ""
