"""Settings files and path overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from glutetui.config import DEFAULT_THEME, Settings, load_settings, save_setting
from glutetui.errors import ConfigError
from glutetui.paths import default_config_path, default_db_path, resolve


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "none.toml") == Settings(theme=DEFAULT_THEME)


def test_saving_keeps_the_users_comments(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# my settings\ntheme = "nord"  # cool colours\n')
    save_setting(path, "theme", "gruvbox")
    text = path.read_text()
    assert "# my settings" in text and "# cool colours" in text
    assert load_settings(path).theme == "gruvbox"


def test_saving_creates_the_folder(tmp_path):
    path = tmp_path / "a" / "b" / "config.toml"
    save_setting(path, "theme", "nord")
    assert load_settings(path).theme == "nord"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('theme = "nord"\nwhat = = 1\n', "not valid TOML.*line 2"),
        ('theme = "nord', "not valid TOML"),
        ("theme = 3", "'theme' must be text in quotes"),
        ('bell = "yes"', "'bell' must be true or false, for example: bell = true"),
        ('theem = "nord"', "unknown setting 'theem'.*known settings: bell, break_min, .*theme, units, voice"),
        ('working_hours = "Mon-Fri 18:00-08:00"', 'working_hours .* ends at or before it starts.*Mon-Fri 08:00'),
        ('working_hours = "weekdays"', 'working_hours .*not like .*always'),
        ('working_hours = 9', "'working_hours' must be text in quotes"),
        ('remind_after = 5', "'remind_after' must be a whole number from 10 to 120"),
        ('units = "miles"', 'units must be "km" or "mi"'),
        ('remind_after = 30.5', "'remind_after' must be a whole number"),
        ('break_min = true', "'break_min' must be a whole number from 1 to 30"),
        ('sitting_goal_hours = 0', "'sitting_goal_hours' must be a number from 1 to 16"),
        ('sitting_goal_hours = nan', "'sitting_goal_hours' must be a number"),
        ('idle_after = "5"', "'idle_after' must be a whole number from 1 to 120, for example: idle_after = 5"),
    ],
)
def test_bad_files_name_the_file_and_the_fix(tmp_path, text, match):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff"')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path)


def test_a_broken_file_is_never_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord\n# half typed')
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        save_setting(path, "theme", "gruvbox")
    assert path.read_bytes() == before


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_either_loads_or_says_why(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_settings(path)
    except ConfigError as error:
        assert str(path) in str(error)
    else:
        assert isinstance(loaded.theme, str)


def test_defaults_live_in_the_platform_dirs(isolated_dirs, monkeypatch):
    monkeypatch.delenv("GLUTETUI_DB")
    monkeypatch.delenv("GLUTETUI_CONFIG")
    where = resolve()
    assert where.db == default_db_path() and where.db_is_default
    assert where.config == default_config_path()
    # the autouse fixture points XDG at a temporary home, so this is not the user's
    assert isolated_dirs in where.db.parents and isolated_dirs in where.config.parents


def test_environment_beats_default_and_flag_beats_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GLUTETUI_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("GLUTETUI_CONFIG", str(tmp_path / "env.toml"))
    assert resolve().db == tmp_path / "env.db"
    assert resolve().config == tmp_path / "env.toml"
    flagged = resolve(db=tmp_path / "flag.db", config=tmp_path / "flag.toml")
    assert flagged.db == tmp_path / "flag.db" and flagged.config == tmp_path / "flag.toml"
    assert not flagged.db_is_default


def test_relative_and_home_paths_expand(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert resolve(db="rel.db").db == tmp_path / "rel.db"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve(db="~/x.db").db == Path(tmp_path) / "x.db"


def test_tracker_settings_load_with_their_units(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('working_hours = "Mon,Wed 09:00-17:30"\nsitting_goal_hours = 5.5\nbreak_min = 2\n'
                    "remind_after = 45\ngap_after = 3\nidle_after = 10\n")
    settings = load_settings(path)
    assert str(settings.hours) == "Mon,Wed 09:00-17:30"
    assert (settings.sitting_goal_hours, settings.break_min, settings.remind_after) == (5.5, 2, 45)
    assert (settings.gap_after, settings.idle_after) == (3, 10)
    assert load_settings(tmp_path / "absent.toml").working_hours == "Mon-Fri 08:00-18:00"


XDG_CASES = [
    {},
    {"XDG_DATA_HOME": "/srv/d", "XDG_CONFIG_HOME": "/srv/c", "XDG_STATE_HOME": "/srv/s"},
    {"XDG_DATA_HOME": "relative/d", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "~/s"},
    {"HOME": "not/absolute"},
]


@pytest.mark.parametrize("environment", XDG_CASES, ids=["defaults", "absolute", "relative or empty", "relative home"])
def test_the_folders_are_the_ones_platformdirs_gives(monkeypatch, environment):
    """paths.py works the XDG folders out itself, so `status` need not import platformdirs; a
    user's database must stay where platformdirs put it."""
    from platformdirs import PlatformDirs

    from glutetui import paths

    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    theirs = PlatformDirs("glutetui", appauthor=False)
    assert str(paths.default_db_path()) == f"{theirs.user_data_dir}/glutetui.db"
    assert str(paths.default_config_path()) == f"{theirs.user_config_dir}/config.toml"
    assert str(paths.log_dir()) == theirs.user_log_dir
    assert str(paths.lock_dir()) == f"{theirs.user_state_dir}/locks"


FLAT_FILES = [
    "",
    'theme = "textual-dark"\nbell = true\n',
    '# my settings\r\nremind_after = 45  # a bit longer\r\n\r\nsitting_goal_hours = 5.5\r\nvoice = false',
    'quiet_hours = "12:00-13:00, 16:30-17:00"\n\t# indented comment\nidle_after=10\n',
    'working_hours = "Mon-Fri 08:00-18:00"\nunits = "mi"\nname = "Zoë #1"\n',
]


@pytest.mark.parametrize("text", FLAT_FILES)
def test_plain_settings_files_are_read_without_tomllib(text):
    import tomllib

    from glutetui.config import flat_settings

    assert flat_settings(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", [
    'a = "tab\\there"', "a = 'literal'", "a = 1_000", "a = +1", "a = 1e3", "a = inf", "a = [1]", "[table]",
    'a = 1\na = 2', "a.b = 1", '"quoted" = 1', "a = 01", "a = 1.", 'a = """x"""', "a = 1\rb = 2",
    "a = 2026-11-16", 'a = "x" # bell\x07',
])
def test_anything_else_is_left_to_tomllib(text):
    from glutetui.config import flat_settings

    assert flat_settings(text) is None


_SPACE = st.sampled_from(["", " ", "\t", "  "])
_KEYS, _BAD_KEYS = ["a", "b", "key_2", "b-c", "1", "true", "theme", "bell", "units"], ['"q"', "a.b", "", "é"]
_VALUES = ['"x"', '"a b#c"', '"Zoë"', '""', '"\u2028"', "true", "false", "0", "-0", "12", "-3.25", "-0.0", "7.50"]
_BAD_VALUES = ['"tab\\t"', '"\x07"', '"tab\t"', "1.", "01", "+1", "1_0", "1e3", "inf", "nan", "'lit'", "[1]", "x"]
_COMMENTS, _BAD_COMMENTS = ["", "", "# c", "#", "#é", "#\t", " # x"], ["# \x07", "#\x7f"]


def _line(keys, values, comments, equals=("=",)):
    return st.tuples(_SPACE, st.sampled_from(keys), _SPACE, st.sampled_from(equals), _SPACE, st.sampled_from(values),
                     _SPACE, st.sampled_from(comments)).map("".join)


_LINE = st.one_of(
    _line(_KEYS, _VALUES, _COMMENTS),  # first, so that most examples shrink towards a file both read
    _line(_KEYS + _BAD_KEYS, _VALUES + _BAD_VALUES, _COMMENTS + _BAD_COMMENTS, ("=", ":", "==")),
    st.sampled_from(["", "# note", "[table]", "\x00", "\r", " "]),
)


def _read_alike(text: str) -> bool:
    import tomllib

    from glutetui.config import flat_settings

    flat = flat_settings(text)
    return flat is None or repr(flat) == repr(tomllib.loads(text))


def test_every_token_is_read_as_tomllib_reads_it():
    for key in _KEYS + _BAD_KEYS:
        for value in _VALUES + _BAD_VALUES:
            for comment in _COMMENTS + _BAD_COMMENTS:
                text = f"units = \"km\"\n{key} = {value}{comment}\n"
                assert _read_alike(text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=5), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_fast_reader_never_disagrees_with_tomllib(lines, newline, final_newline):
    """Whatever flat_settings reads, tomllib reads the same; what it gives up on, tomllib may
    read or refuse (with its line and column)."""
    assert _read_alike(newline.join(lines) + (newline if final_newline else ""))
