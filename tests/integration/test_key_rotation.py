"""Rotating the signing key signs no one out; `pingan token` and `pingan keys` at the command
line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from pingan.auth.keys import KeyFiles, Keyring, create_signing_key, rotate
from pingan.auth.principal import Role
from pingan.auth.runtime import token_policy
from pingan.auth.tokens import issue, verify
from pingan.run.settings import Settings

POLICY = token_policy(Settings())


def _token(files: KeyFiles) -> str:
    return issue(
        files.signing_key(),
        POLICY,
        subject="s",
        name="s",
        role=Role.VIEWER,
        ttl=timedelta(hours=1),
    ).token


def test_tokens_signed_before_a_rotation_stay_valid_and_new_ones_use_the_new_kid(
    tmp_path: Path,
) -> None:
    files = KeyFiles.in_dir(tmp_path / "keys")
    create_signing_key(files)
    verifier = Keyring(files)
    before = _token(files)
    old_kid = files.signing_key().kid

    new_kid = rotate(files)
    after = _token(files)

    assert new_kid != old_kid
    assert jwt.get_unverified_header(after)["kid"] == new_kid
    # The verifier started before the rotation reads the new key when a token names it.
    assert verify(before, verifier, POLICY).principal.subject == "s"
    assert verify(after, verifier, POLICY).principal.subject == "s"
    assert set(Keyring(files).kids) == {old_kid, new_kid}
    assert (files.signing.stat().st_mode & 0o777) == 0o600  # type: ignore[union-attr]


def _pingan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pingan", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    create_signing_key(KeyFiles.in_dir(tmp_path / "keys"))
    return tmp_path


def test_pingan_token_prints_one_line_with_the_chinese_name_and_township(data_dir: Path) -> None:
    run = _pingan(
        "token",
        "--data-dir",
        str(data_dir),
        "--role",
        "township_officer",
        "--township",
        "玉泉",
        "--name",
        "王芳",
        "--ttl",
        "2",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.count("\n") == 1
    principal = verify(run.stdout.strip(), Keyring(KeyFiles.in_dir(data_dir / "keys")), POLICY)
    assert principal.principal.name == "王芳"
    assert principal.principal.township == "玉泉镇"
    assert principal.principal.role is Role.TOWNSHIP_OFFICER


def test_pingan_token_takes_the_key_from_the_settings_without_a_data_dir(
    data_dir: Path,
) -> None:
    files = KeyFiles.in_dir(data_dir / "keys")
    env = {
        **os.environ,
        "AUTH_SIGNING_KEY_FILE": str(files.signing),
    }

    run = _pingan("token", "--role", "service", env=env)

    assert run.returncode == 0, run.stderr
    assert verify(run.stdout.strip(), Keyring(files), POLICY).principal.role is Role.SERVICE


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--role", "emperor"), "emperor"),
        (("--role", "township_officer", "--township", "火星镇"), "火星镇"),
        (("--role", "township_officer"), "--township"),
    ],
)
def test_pingan_token_refuses_an_unknown_role_or_township(
    data_dir: Path, args: tuple[str, ...], says: str
) -> None:
    run = _pingan("token", "--data-dir", str(data_dir), *args)

    assert run.returncode != 0
    assert run.stdout == ""
    assert says in run.stderr


def test_pingan_keys_rotate_keeps_the_old_key_in_the_list(data_dir: Path) -> None:
    before = _pingan("keys", "list", "--data-dir", str(data_dir)).stdout.split()
    rotated = _pingan("keys", "rotate", "--data-dir", str(data_dir))
    after = _pingan("keys", "list", "--data-dir", str(data_dir)).stdout

    assert rotated.returncode == 0, rotated.stderr
    assert f"* {rotated.stdout.strip()}" in after
    assert f"  {before[-1]}" in after


def test_pingan_keys_new_prints_a_pem_private_key() -> None:
    run = _pingan("keys", "new")

    assert run.stdout.startswith("-----BEGIN PRIVATE KEY-----")
