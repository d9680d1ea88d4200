"""The user's configuration folder is found without Click (Click stays under the CLI)
and is where Click's ``get_app_dir`` says, on every platform."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import click.utils
import pytest

from rxprint.config import find_config, user_config_dir


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_the_user_folder_is_clicks_app_dir(platform: str, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(click.utils, "WIN", platform == "win32")  # set when Click loads
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    for xdg in (None, str(tmp_path / "xdg")):
        if xdg is None:
            monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        assert user_config_dir() == Path(click.get_app_dir("rxprint"))


def test_a_config_in_the_user_folder_is_found(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    work = tmp_path / "work"
    work.mkdir()
    assert find_config(None, work) is None
    user = tmp_path / "xdg" / "rxprint" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("[defaults]\n")
    assert find_config(None, work) == user
    (work / "rxprint.toml").write_text("[defaults]\n")
    assert find_config(None, work) == work / "rxprint.toml"  # the folder's comes first
