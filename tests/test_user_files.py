"""The files a user points glutetui at, as people really have them: settings and routines
written by Windows editors (a byte-order mark), a config.toml linked into place by a
dotfile manager, or a path that is not a file at all (a pipe, a device) given as settings,
routine or database. Each is read or refused in one line, never hung on."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from glutetui import cli
from glutetui.config import load_settings, save_setting
from glutetui.errors import ConfigError
from glutetui.paths import MAX_TEXT_FILE_BYTES
from glutetui.services.routines import load_routines

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and file modes are POSIX")
ROUTINE = '[[steps]]\nname = "March"\ncue = "Knees up."\nseconds = 30\n'


def test_a_byte_order_mark_is_accepted_and_saving_keeps_the_settings(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbftheme = "nord"\nbell = false\n')
    assert load_settings(path).theme == "nord"
    save_setting(path, "theme", "gruvbox")
    saved = load_settings(path)
    assert (saved.theme, saved.bell) == ("gruvbox", False)


def test_a_routine_with_a_byte_order_mark_loads(tmp_path):
    (tmp_path / "hills.toml").write_bytes(b"\xef\xbb\xbf" + ROUTINE.encode())
    book = load_routines(tmp_path)
    assert "hills" in book.routines and not book.problems


@pytest.mark.parametrize(("encoded", "named"), [
    ('theme = "nord"\n'.encode("utf-16"), "is UTF-16 text, not UTF-8; save it as UTF-8"),
    ('theme = "nord"\n'.encode("utf-32"), "is UTF-32 text, not UTF-8; save it as UTF-8"),
    (b'theme = "nord"\nbell = "\xe9t\xe9"\n', "is not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8"),
], ids=["utf-16", "utf-32", "latin-1"])
def test_another_encoding_is_named_with_the_fix(tmp_path, encoded, named):
    path = tmp_path / "config.toml"
    path.write_bytes(encoded)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: {named}")


def test_a_file_over_the_size_cap_is_refused_by_name_without_reading_it_all(tmp_path):
    path = tmp_path / "config.toml"
    with path.open("w") as handle:
        handle.write("# padding\n" * (MAX_TEXT_FILE_BYTES // 10 + 1))
    with pytest.raises(ConfigError, match=r"is larger than 1 MiB") as caught:
        load_settings(path)
    assert str(path) in str(caught.value)


@posix_only
def test_config_dev_zero_is_refused_at_once(tmp_path, capsys):
    # Before: read until MemoryError. /dev/zero is a device, so it is never even opened.
    code = cli.main(["status", "--db", str(tmp_path / "g.db"), "--config", "/dev/zero"])
    assert code == 2
    err = capsys.readouterr().err
    assert err == ("glutetui: /dev/zero: is not a regular file (a pipe, a device or a socket); only a plain file "
                   "is read. Pass a settings file with --config.\n")
    assert "Traceback" not in err


@posix_only
def test_a_fifo_among_the_routines_is_skipped_with_a_warning_and_the_rest_load(tmp_path):
    # Before: reading the FIFO waited for a writer, so doctor and start-up hung for good.
    (tmp_path / "hills.toml").write_text(ROUTINE)
    os.mkfifo(tmp_path / "pipe.toml")
    book = load_routines(tmp_path)
    assert "hills" in book.routines and "pipe" not in book.routines
    assert book.problems == [f"{tmp_path / 'pipe.toml'}: is not a regular file (a pipe, a device or a socket); "
                             "only a plain file is read. It is skipped; the other routines still work."]


@posix_only
def test_saving_through_a_linked_config_keeps_the_link_and_the_files_mode(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "glutetui.toml"
    real.write_text('# from my dotfiles\ntheme = "nord"\n')
    real.chmod(0o640)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.symlink_to(os.path.relpath(real, config.parent))  # relative, as stow makes them
    link_text = os.readlink(config)
    save_setting(config, "theme", "gruvbox")
    assert config.is_symlink() and os.readlink(config) == link_text
    assert "# from my dotfiles" in real.read_text() and load_settings(real).theme == "gruvbox"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(dotfiles)) == ["glutetui.toml"] and sorted(os.listdir(config.parent)) == ["config.toml"]


@posix_only
def test_saving_a_plain_config_keeps_its_mode_and_a_new_one_is_private(tmp_path):
    shared = tmp_path / "config.toml"
    shared.write_text('theme = "nord"\n')
    shared.chmod(0o644)
    save_setting(shared, "bell", False)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    fresh = tmp_path / "new" / "config.toml"
    save_setting(fresh, "bell", False)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


@posix_only
def test_a_fifo_given_as_the_database_is_refused_not_waited_on(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.db")
    assert cli.main(["status", "--db", str(tmp_path / "pipe.db"), "--config", str(tmp_path / "none.toml")]) == 2
    assert capsys.readouterr().err == (f"glutetui: {tmp_path / 'pipe.db'}: is not a regular file (a pipe, a device "
                                       "or a socket), so it cannot be a database. Pass a file path with --db.\n")
