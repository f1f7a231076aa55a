import pytest

from services.config import DEFAULT_BROKER_URL, Origin, load_settings, redact_url
from services.domain.errors import InvalidInput


@pytest.fixture
def config_file(tmp_path):
    return tmp_path / "config.toml"


def env(config_file, **values):
    return {"VIGIE_CONFIG": str(config_file), **values}


def test_defaults(config_file):
    s = load_settings({}, env(config_file))
    assert s.db.startswith("sqlite:///") and s.db.endswith("vigie.db")
    assert s.broker == DEFAULT_BROKER_URL
    assert s.root == "vigie"
    assert s.operator
    assert set(s.origins.values()) == {Origin.DEFAULT}
    assert not s.broker_configured


def test_flag_over_environment_over_file_over_default(config_file):
    config_file.write_text(
        'db = "sqlite:///from-file.db"\nroot = "file-root"\nbroker = "mqtt://file:1883"\n'
    )
    s = load_settings(
        {"db": "sqlite:///from-flag.db", "operator": None},
        env(config_file, VIGIE_DB_URL="sqlite:///from-env.db", VIGIE_MQTT_ROOT="env-root"),
    )
    assert (s.db, s.origins["db"]) == ("sqlite:///from-flag.db", Origin.FLAG)
    assert (s.root, s.origins["root"]) == ("env-root", Origin.ENVIRONMENT)
    assert (s.broker, s.origins["broker"]) == ("mqtt://file:1883", Origin.FILE)
    assert s.origins["operator"] is Origin.DEFAULT
    assert s.broker_configured


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('colour = "red"\n', "config.unknown_key"),
        ("db = 3\n", "config.not_text"),
        ("db = [unclosed\n", "config.unreadable"),
    ],
)
def test_a_bad_file_says_what_is_wrong(config_file, text, key):
    config_file.write_text(text)
    with pytest.raises(InvalidInput) as err:
        load_settings({}, env(config_file))
    assert err.value.key == key
    assert err.value.params["path"] == str(config_file)


def test_redaction_hides_passwords_only():
    assert redact_url("mqtts://vigie:s3cret@broker:8883") == "mqtts://vigie:***@broker:8883"
    assert redact_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_the_map_settings_are_checked(config_file):
    s = load_settings({}, env(config_file))
    assert (s.tile_url, s.coverage_gap.total_seconds()) == ("", 20 * 60)  # no tile server
    assert s.watched_communes(["21231", "21617"]) == {"21231", "21617"}
    config_file.write_text(
        'tile_url = "https://tiles.example.org/{z}/{x}/{y}.png"\ncoverage_minutes = "45"\n'
        'coverage_communes = "21231, 21617"\n'
    )
    s = load_settings({}, env(config_file))
    assert s.coverage_gap.total_seconds() == 45 * 60
    assert s.watched_communes(["21231", "21617", "21003"]) == {"21231", "21617"}
    with pytest.raises(InvalidInput) as err:
        s.watched_communes(["21231"])
    assert (err.value.key, err.value.params["value"]) == ("config.unknown_commune", "21617")
    for bad in ("0", "soon"):
        s = load_settings({}, env(config_file, VIGIE_COVERAGE_MINUTES=bad))
        with pytest.raises(InvalidInput) as err:
            s.coverage_gap  # noqa: B018 (a property that checks)
        assert err.value.key == "config.not_minutes"


def test_the_desks_idle_lock_is_the_citys_setting(config_file):
    assert load_settings({}, env(config_file)).lock_after.total_seconds() == 15 * 60
    config_file.write_text('lock_minutes = "5"\n')
    assert load_settings({}, env(config_file)).lock_after.total_seconds() == 5 * 60
    s = load_settings({}, env(config_file, VIGIE_LOCK_MINUTES="never"))
    with pytest.raises(InvalidInput) as err:
        s.lock_after  # noqa: B018 (a property that checks)
    assert (err.value.key, err.value.params["key"]) == ("config.not_minutes", "lock_minutes")


def test_the_rooms_time_zone_is_a_setting_and_a_wrong_one_is_named(config_file):
    assert str(load_settings({}, env(config_file)).zone) == "Europe/Paris"
    config_file.write_text('timezone = "America/Cayenne"\n')  # a room in Guyane
    assert str(load_settings({}, env(config_file)).zone) == "America/Cayenne"
    s = load_settings({}, env(config_file, VIGIE_TIMEZONE="Europe/Dijon"))
    with pytest.raises(InvalidInput) as err:
        s.zone  # noqa: B018 (a property that checks)
    assert (err.value.key, err.value.params["value"]) == ("config.bad_timezone", "Europe/Dijon")
