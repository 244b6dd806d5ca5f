"""A plan folder kept whole as one zip: the same folder gives the same bytes."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def zip_folder(folder: Path) -> bytes:
    """The folder's files, sorted, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buffer.getvalue()


def unzip_into(blob: bytes, folder: Path) -> None:
    """Write a zipped folder's files into `folder` (which exists); names leading outside it are refused."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        for info in z.infolist():
            name = PurePosixPath(info.filename)
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"unsafe name in a stored plan: {info.filename}")
            target = Path(folder, *name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
