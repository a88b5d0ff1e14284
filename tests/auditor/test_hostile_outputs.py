"""Hostile and careless ``-o`` targets: nothing destroyed, every refusal a message with exit 2.

Covers the output side of the hostile-inputs suite: an input named as the output (by any name),
character devices and FIFOs (written into), symbolic links (followed, never replaced), folders,
missing and read-only folders, an output the next run would read as a case log.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from auditor.atomic import OutputError, atomic_writer, check_target, part_dir_for
from tests.auditor.cli_helpers import run_check

EXAMPLE = Path(__file__).parent / "data" / "spec-examples" / "pre-briefing-and-missed-follow-up.yaml"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


_check = run_check


def test_output_onto_its_input_is_refused(capsys, log):
    before = log.read_bytes()
    status, _, err = _check(capsys, log, "-o", log)
    assert status == 2
    assert "one of the inputs" in err and str(log) in err
    assert log.read_bytes() == before


def test_output_onto_an_input_through_a_symlink_or_hard_link_is_refused(capsys, log, tmp_path):
    before = log.read_bytes()
    (tmp_path / "alias.txt").symlink_to(log)
    os.link(log, tmp_path / "hard.txt")
    for target in ("alias.txt", "hard.txt"):
        status, _, err = _check(capsys, log, "-o", tmp_path / target)
        assert status == 2 and "one of the inputs" in err
    assert log.read_bytes() == before
    assert (tmp_path / "alias.txt").is_symlink()


def test_output_onto_the_rubric_is_refused(capsys, log, tmp_path):
    rubric = tmp_path / "ours.yaml"
    rubric.write_text("format: rtw-rubric/1\nname: ours\nextends: default\n", encoding="utf-8")
    before = rubric.read_bytes()
    status, _, err = _check(capsys, log, "--rubric", rubric, "-o", rubric)
    assert status == 2 and "one of the inputs" in err
    assert rubric.read_bytes() == before


def test_output_to_dev_null_writes_into_it(capsys, log):
    before = os.stat(os.devnull)
    status, _, _ = _check(capsys, log, "-o", os.devnull)
    assert status == 1
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_dev, after.st_ino, after.st_rdev) == (before.st_dev, before.st_ino, before.st_rdev)


def test_output_to_a_fifo_writes_into_it(capsys, log, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    status, _, _ = _check(capsys, log, "-o", fifo)
    reader.join(10)
    assert status == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file
    assert b"case C-EX-002" in got[0]


def test_output_through_a_symlink_follows_it_and_keeps_the_link(capsys, log, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    status, _, _ = _check(capsys, log, "-o", link)
    assert status == 1
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "case C-EX-002" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # an existing file keeps its permissions


@pytest.mark.parametrize("kind", ["folder", "missing", "readonly"])
def test_unwritable_places_are_a_message(capsys, log, tmp_path, kind):
    if kind == "folder":
        target, words = tmp_path, "is a folder"
    elif kind == "missing":
        target, words = tmp_path / "no" / "such" / "out.txt", "does not exist"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target, words = ro / "out.txt", "cannot write in the folder"
    status, _, err = _check(capsys, log, "-o", target)
    assert status == 2
    assert words in err and str(target) in err


def test_readonly_folder_message_even_as_root(tmp_path, monkeypatch):
    """mkstemp refusing (as it does in a read-only folder for a non-root user) becomes OutputError."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="cannot write in the folder"):
        with atomic_writer(tmp_path / "out.txt"):
            pass


def test_output_inside_the_audited_folder_is_refused_when_it_would_be_read(capsys, log, tmp_path):
    status, _, err = _check(capsys, tmp_path, "--format", "json", "-o", tmp_path / "report.json")
    assert status == 2 and "audited folder" in err
    assert not (tmp_path / "report.json").exists()
    # A name the reader does not pick up is fine, and the next run still reads the same cases.
    status, _, _ = _check(capsys, tmp_path, "-o", tmp_path / "report.txt")
    assert status == 1
    status, _, err = _check(capsys, tmp_path)
    assert status == 1, err


def test_a_refused_output_leaves_no_temporary_file(capsys, log, tmp_path):
    _check(capsys, log, "-o", log)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_part_files_go_beside_a_regular_output_and_to_the_temp_folder_for_a_device(tmp_path):
    assert part_dir_for(tmp_path / "out.txt") == str(tmp_path)
    assert part_dir_for(os.devnull) is None
    assert part_dir_for(None) is None


def test_block_devices_are_refused(tmp_path):
    blocks = [p for p in Path("/dev").glob("*") if p.exists() and stat.S_ISBLK(p.stat().st_mode)] if Path("/dev").is_dir() else []
    if not blocks:
        pytest.skip("no block device to try")
    with pytest.raises(OutputError, match="block device"):
        check_target(blocks[0])


def test_writer_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
