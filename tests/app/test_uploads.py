"""An uploaded dataset (the county's confidential lists) is read in memory: nothing of it touches the disk."""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from app import state

ROOT = Path(__file__).resolve().parents[2]


def test_an_upload_is_read_in_memory_and_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the app's temporary files would go
    archive = tmp_path / "county.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((ROOT / "fixtures" / "tiny").glob("*.*")):
            z.write(path, path.name)
    monkeypatch.setattr(state, "load_dataset", lambda path: (_ for _ in ()).throw(AssertionError(path)))
    state.load_bytes.clear()
    dataset = state.load_bytes("digest", "county.zip", archive.read_bytes())
    assert len(dataset.businesses) == 80
    assert sorted(p.name for p in tmp_path.iterdir()) == ["county.zip"]  # nothing of the upload written
