"""The extractor stays in modules a reader can hold in mind: a module that grows past the limit is split along its
own sections (as page/ and roles/outcome/compound were), not left to grow."""

from __future__ import annotations

from pathlib import Path

import articles

_MAX_LINES = 500


def test_no_extractor_module_is_over_the_limit() -> None:
    root = Path(articles.__file__).parent
    sizes = {str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines()) for p in root.rglob("*.py")}
    assert sizes  # the package was found
    assert {name: size for name, size in sizes.items() if size > _MAX_LINES} == {}
