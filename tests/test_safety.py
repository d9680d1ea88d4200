"""ReportLab hardening and text cleaning."""

from __future__ import annotations

import os
import subprocess
import sys

from rxprint.files.textsafety import clean_text, escape, one_line


def test_safe_settings_hold_against_environment_overrides() -> None:
    env = dict(os.environ, RL_toColorCanUse="rl_safe_eval",
               RL_trustedHosts="evil.example", RL_trustedSchemes="['https','file']")
    code = ("import rxprint.render.rlsetup; from reportlab import rl_config as c; "
            "print(c.toColorCanUse, c.trustedHosts, c.trustedSchemes)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "rl_extended_literal_eval None []"


def test_rendering_modules_import_the_hardened_setup() -> None:
    code = ("from reportlab import rl_config as c; import rxprint.render.handout; "
            "print(c.trustedSchemes, c.toColorCanUse)")
    env = dict(os.environ, RL_trustedSchemes="['https']")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[] rl_extended_literal_eval"


def test_clean_text() -> None:
    assert clean_text("a\x00b\x07c") == "abc"
    assert clean_text("line1\r\nline2\rline3") == "line1\nline2\nline3"
    assert clean_text("tab\there") == "tab here"
    assert clean_text("evil\u202egnp.exe") == "evilgnp.exe"
    assert clean_text("Nguye\u0302\u0303n") == "Nguyễn"  # NFC
    assert escape("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert one_line("  Jane\n  Doe ") == "Jane Doe"
