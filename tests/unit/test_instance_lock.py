"""The lock that keeps a second `pingan up` off a data directory in use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pingan.run.instance import DataDirInUse, InstanceInfo, InstanceLock


def test_a_second_lock_on_the_same_dir_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    with InstanceLock(tmp_path) as held:
        held.record(InstanceInfo(pid=os.getpid(), url="http://127.0.0.1:8000"))
        with pytest.raises(DataDirInUse) as refused:
            InstanceLock(tmp_path).acquire()

    assert refused.value.holder == InstanceInfo(pid=os.getpid(), url="http://127.0.0.1:8000")
    assert f"pid {os.getpid()}, http://127.0.0.1:8000" in str(refused.value)


def test_a_released_lock_can_be_taken_again(tmp_path: Path) -> None:
    with InstanceLock(tmp_path):
        pass

    with InstanceLock(tmp_path) as again:
        assert again.path.exists()


def test_a_leftover_lock_file_without_a_holder_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "pingan.lock").write_text('{"pid": 1, "url": "http://127.0.0.1:1"}')

    with InstanceLock(tmp_path) as lock:
        assert lock.path.read_text() == f'{{"pid": {os.getpid()}, "url": null}}'
