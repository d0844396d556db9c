"""read_text: every unusable file becomes an ArticleError naming the file and a short reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from articles import reader
from articles.model import ArticleError
from articles.reader import MAX_BYTES, decode_text, read_text

STORY = "Waffenruhe verlängert\n\nStand: 03.05.2025 09:10 Uhr\n\nDie Feuerpause gilt weiter, sagte ein Sprecher.\n"


def reason_for(path: str | os.PathLike[str]) -> str:
    with pytest.raises(ArticleError) as caught:
        read_text(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STORY, encoding="utf-8")
    assert read_text(path) == STORY
    assert read_text(str(path)) == STORY


def test_drops_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode())
    assert read_text(path) == STORY


def test_missing_file(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "nope.txt") == "file not found"


def test_missing_parent_directory(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "nope" / "a.txt") == "file not found"


def test_path_through_a_file_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    assert reason_for(tmp_path / "plain" / "a.txt") == "file not found"


def test_directory(tmp_path: Path) -> None:
    assert reason_for(tmp_path) == "is a directory"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files despite chmod 000")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(STORY)
    path.chmod(0)
    try:
        assert reason_for(path) == "cannot read file: permission denied"
    finally:
        path.chmod(0o644)


def test_permission_error_from_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Works as root too: the OS refusal is simulated where the file is opened."""
    path = tmp_path / "secret.txt"
    path.write_text(STORY)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader, "open", refuse, raising=False)
    assert reason_for(path) == "cannot read file: permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    assert reason_for(path) == "not a regular file"


def test_other_os_error_keeps_the_system_reason(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 5000)
    assert reason_for(path) == "cannot read file: file name too long"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\xef\xbb\xbf \n\r\n\t\n", "empty file"),
        (
            "photo.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
            "binary file, not text",
        ),
        ("utf16.txt", STORY.encode("utf-16"), "binary file, not text"),
        ("ctrl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20, "binary file, not text"),
        ("latin1.txt", b"Waffenruhe \xff gilt", "not valid UTF-8 (byte 0xff at offset 11)"),
        ("latin1.txt", "Gespräch".encode("latin-1"), "not valid UTF-8 (byte 0xe4 at offset 5)"),
        ("bom-latin1.txt", b"\xef\xbb\xbfab\xfe", "not valid UTF-8 (byte 0xfe at offset 5)"),
    ],
    ids=[
        "empty_file",
        "whitespace_or_bom_only_is_empty",
        "binary_file",
        "utf16_is_binary",
        "control_bytes_without_nul_are_binary",
        "invalid_utf8_names_byte_and_offset",
        "latin1_umlaut_is_not_utf8",
        "invalid_utf8_offset_counts_the_bom",
    ],
)
def test_unusable_content_is_refused(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert reason_for(path) == reason


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(int(6.2 * 1024 * 1024))  # sparse: no real 6 MB written
    assert reason_for(path) == "file too large (6.2 MB, limit 5 MB)"


def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * MAX_BYTES)
    assert len(read_text(path)) == MAX_BYTES


def test_file_that_grows_after_stat_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only MAX_BYTES + 1 bytes are ever read, even when the size check was fooled."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 100))
    real_stat = os.stat
    sizes: list[int] = []

    def small_stat(target: str | os.PathLike[str]) -> os.stat_result:
        result = real_stat(target)
        fields = list(result)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    class CountingFile:
        def __init__(self, target: str | os.PathLike[str], mode: str) -> None:
            self._handle = Path(target).open(mode)  # noqa: SIM115 - closed in __exit__

        def __enter__(self) -> CountingFile:
            return self

        def __exit__(self, *_exc: object) -> None:
            self._handle.close()

        def read(self, size: int) -> bytes:
            data: bytes = self._handle.read(size)
            sizes.append(len(data))
            return data

    monkeypatch.setattr(os, "stat", small_stat)
    monkeypatch.setattr(reader, "open", CountingFile, raising=False)
    assert reason_for(path) == "file too large (over 5 MB)"
    assert sizes == [MAX_BYTES + 1]


# --- decode_text: the same checks for bytes that come from a chat upload -----------------------------------------


def decode_reason(data: bytes) -> str:
    with pytest.raises(ArticleError) as caught:
        decode_text("upload.txt", data)
    assert caught.value.path == "upload.txt"
    return caught.value.reason


def test_decode_text_accepts_utf8_with_bom() -> None:
    assert decode_text("upload.txt", b"\xef\xbb\xbf" + STORY.encode()) == STORY


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n", "empty file"),
        (b"GIF89a\x00\x01\x00", "binary file, not text"),
        (b"caf\xe9", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"a" * (6 * 1024 * 1024), "file too large (6.0 MB, limit 5 MB)"),
    ],
)
def test_decode_text_reasons(data: bytes, reason: str) -> None:
    assert decode_reason(data) == reason


def test_a_nul_byte_after_the_first_kilobytes_is_refused_too() -> None:
    page = ("Published 3 May 2025\n\n" + "A truce was agreed. " * 600).encode() + b"\x00tail"
    with pytest.raises(ArticleError, match="binary"):
        decode_text("late-nul.txt", page)
