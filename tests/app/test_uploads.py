"""An uploaded dataset (the county's confidential lists) is readable by its owner only, and kept no longer than
it takes to read it."""
from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path

from app import state
from models.loader import load_dataset

ROOT = Path(__file__).resolve().parents[2]


def test_an_upload_is_private_and_removed_once_read(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the app's temporary files go
    archive = tmp_path / "county.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((ROOT / "fixtures" / "tiny").glob("*.*")):
            z.write(path, path.name)
    seen = {}

    def load_and_look(path):
        seen["file"] = stat.S_IMODE(Path(path).stat().st_mode)
        seen["folder"] = stat.S_IMODE(Path(path).parent.stat().st_mode)
        return load_dataset(path)

    monkeypatch.setattr(state, "load_dataset", load_and_look)
    state.load_bytes.clear()
    dataset = state.load_bytes("digest", "county.zip", archive.read_bytes())
    assert len(dataset.businesses) == 80
    assert seen == {"file": 0o600, "folder": 0o700}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["county.zip"]  # nothing of the upload left behind
