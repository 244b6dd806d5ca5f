"""Output folders and byte-stable files.

One home for "may I write here?" (`check_output`, called by every command before any heavy work, and again by
`atomic_folder` just before it replaces anything): a command writes a new folder, or replaces a folder only when
this tool wrote it, of the same kind, holding nothing else; never a folder that holds an input. A run either
leaves the complete new folder or the old one untouched, readable by its owner only.
"""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from models.problems import UserError

try:
    import fcntl
except ImportError:  # not POSIX: runs into one folder are not serialised there
    fcntl = None  # type: ignore[assignment]

# In every folder this tool writes: its kind and the files it wrote. Names starting with "." are no part of a
# plan or a dataset (the loader and the plan's commitment skip them).
MARKER = ".inspection-planner"
KIND_WORDS = {"plan": "方案文件夹", "export": "导出文件夹", "dataset": "数据集文件夹", "many": "多县方案文件夹",
              "annual": "年度抽查计划文件夹"}
LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<what>partial|replaced)-[a-z0-9_]{8}")  # what a killed run may leave
SHOWN = 5  # names listed in a message


def check_output(out: str | os.PathLike, inputs: Iterable[str | os.PathLike | None] = (), *, kind: str) -> Path:
    """The resolved output folder if a command may write its `kind` of folder there; a UserError saying why
    not and what to do otherwise. `inputs` (dataset, previous plan …) may be neither the folder nor inside it."""
    try:
        return _checked(out, inputs, kind)
    except OSError as error:  # a name too long, a loop of links …
        raise UserError(f"无法使用输出位置 {out}：{os_reason(error)}。请换一个输出位置。") from None


def os_reason(error: OSError) -> str:
    """What the operating system said, in words a coordinator reads."""
    return OS_REASONS.get(error.errno or 0, error.strerror or str(error))


OS_REASONS = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "位置只读", errno.ENOSPC: "磁盘空间不足",
              errno.EDQUOT: "超出磁盘配额", errno.ENAMETOOLONG: "文件名过长", errno.ENOENT: "找不到该文件或文件夹",
              errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹，不是文件", errno.ELOOP: "链接循环"}


def _checked(out, inputs, kind: str) -> Path:
    if not str(out).strip():
        raise UserError("未指定输出文件夹（--out）。")
    target = Path(out).expanduser().resolve()
    for given in filter(None, inputs):
        source = Path(given).expanduser().resolve()
        if target == source or target in source.parents:
            relation = "就是" if target == source else "包含"
            raise UserError(f"输出位置 {out} {relation}输入 {given}：写出会替换整个文件夹，输入将被删除。"
                            f"请另指定一个新的文件夹，例如 {target.parent / (target.name + '-输出')}。")
    if target == Path.cwd() or target in Path.cwd().parents:
        raise UserError(f"输出位置 {out} 是当前所在的文件夹（或包含它）：写出会替换整个文件夹。请指定其中的一个新文件夹。")
    if target.exists() or target.is_symlink():
        _check_replaceable(out, target, kind)
    _check_writable(out, target.parent)
    return target


def _check_replaceable(out, target: Path, kind: str) -> None:
    if not target.is_dir():
        raise UserError(f"输出位置 {out} 是一个已有的文件，不是文件夹；为免覆盖它，请指定一个新的文件夹。")
    present = _files_under(target)
    if not present and not any(target.iterdir()):
        return  # an empty folder
    wrote = _marker(target)
    word = KIND_WORDS.get(kind, "文件夹")
    if wrote is None:
        raise UserError(f"输出文件夹 {out} 已存在，且不是本程序写出的{word}（其中有 {_names(present or _entries(target))}；"
                        f"本程序写出的文件夹带有标记文件 {MARKER}）。写出会替换整个文件夹，为免删除这些文件，请指定一个新的文件夹，或先自行移走其中的文件。")
    if wrote.get("kind") != kind:
        written = KIND_WORDS.get(str(wrote.get("kind")), "文件夹")
        raise UserError(f"输出文件夹 {out} 是本程序写出的{written}，不是{word}；为免替换它，请指定一个新的文件夹。")
    strangers = sorted(set(present) - set(wrote.get("files", [])))
    if strangers:
        raise UserError(f"输出文件夹 {out} 中有不是本程序写出的文件（{_names(strangers)}）。写出会替换整个文件夹，"
                        f"为免删除它们，请先移走这些文件，或指定一个新的文件夹。")


def _check_writable(out, parent: Path) -> None:
    """The nearest existing folder above the output must be a folder this user may write in."""
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"无法创建输出文件夹 {out}：{existing} 是一个文件，不是文件夹。请换一个输出位置。")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"无法创建输出文件夹 {out}：没有在 {existing} 中写入的权限（或该位置只读）。请换一个有写权限的位置。")


def _files_under(folder: Path) -> list[str]:
    """Every file (and link) below `folder`, as relative POSIX paths, the marker left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        found += [(here / name).as_posix() for name in files + [d for d in dirs if Path(root, d).is_symlink()]]
    return sorted(f for f in found if f != MARKER)


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _names(names: list[str]) -> str:
    return "、".join(names[:SHOWN]) + (f" 等 {len(names)} 项" if len(names) > SHOWN else "")


def _marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextmanager
def atomic_folder(target: str | os.PathLike, *, kind: str, inputs: Iterable[str | os.PathLike | None] = ()):
    """Yield a temporary folder beside `target`; on success it replaces `target` whole, marked as this tool's
    `kind` of folder, its files readable by their owner only. Runs into one folder are serialised by the
    folder's lock (folder_lock; a writer already holding it, to re-read and change the folder, keeps it); what
    a killed run left beside it is cleaned up first."""
    inputs = list(inputs)
    path = check_output(target, inputs, kind=kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"无法创建输出文件夹 {target}：{os_reason(error)}（{error.filename}）。请换一个输出位置。") from None
    with folder_lock(path):
        _clean_leftovers(path)
        check_output(target, inputs, kind=kind)  # again: another run may have written it meanwhile
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
        try:
            yield tmp
            _seal(tmp, kind)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _replace(path, tmp)


def _seal(folder: Path, kind: str) -> None:
    """Write the marker last (a partial folder has none) and make everything private: folders 0700 and files
    0600, or stricter where the user's umask already took more away."""
    write_json(folder / MARKER, {"kind": kind, "files": _files_under(folder), "written_by": "inspection-planner"})
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            _restrict(Path(root, name), 0o700)
        for name in files:
            _restrict(Path(root, name), 0o600)
    _restrict(folder, 0o700)


def _restrict(path: Path, allowed: int) -> None:
    path.chmod(path.stat().st_mode & allowed)


def _replace(target: Path, tmp: Path) -> None:
    """`tmp` becomes `target`; a run killed between the two renames is repaired by the next command that
    finds what it left (_clean_leftovers, from atomic_folder or holding_folder)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.replaced-{os.urandom(4).hex()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _leftovers(target: Path) -> list[tuple[str, Path]]:
    """(partial | replaced, path) of the temporary folders runs into `target` made beside it."""
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    return [(m["what"], p) for p in entries
            if (m := LEFTOVER.fullmatch(p.name)) and m["name"] == target.name and p.is_dir() and not p.is_symlink()]


def _clean_leftovers(target: Path) -> None:
    """Temporary folders of killed runs into `target` (called under its lock, so no live run owns them): a
    replaced folder whose replacement never arrived is put back (the replacement is rolled back: the run that
    made it never reported success), everything else removed."""
    found = _leftovers(target)
    replaced = sorted((p for what, p in found if what == "replaced"), key=lambda p: p.stat().st_mtime)
    if replaced and not target.exists():
        replaced.pop().rename(target)
    for _, leftover in found:
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


# --- the folder lock --------------------------------------------------------------------------------
# One lock per folder this tool replaces whole: the file .<name>.lock beside it (not inside: the folder itself
# is replaced by a rename), held with flock(2), so the kernel releases it when its holder dies. Every writer of
# a plan folder (results import, 公示 recording, store writes, the app) holds it while it reads the folder,
# changes it and writes it whole; readers hold it while they read, so they never see half of one version and
# half of the next. A holder that nests (a writer calling a reader, or atomic_folder) keeps the lock it has.

LOCK_WAIT_S = 60.0  # how long a command waits for another one holding the folder before it gives up, unchanged
_POLL_S = (0.01, 0.2)  # first and longest pause between attempts to take the lock
_held = threading.local()  # lock files this thread holds, with how deep it nests them


class FolderBusy(UserError):
    """Another command held the folder for longer than LOCK_WAIT_S: nothing was changed."""


def lock_file(folder: str | os.PathLike) -> Path:
    """The lock of `folder`: .<name>.lock beside it (the folder resolved, as atomic_folder resolves it)."""
    path = Path(folder).expanduser().resolve()
    return path.parent / f".{path.name}.lock"


@contextmanager
def folder_lock(folder: str | os.PathLike, *, wait_s: float | None = None) -> Iterator[None]:
    """Hold `folder`'s exclusive lock, waiting at most `wait_s` (default LOCK_WAIT_S) for another holder; then
    FolderBusy, in words. An OSError when the lock file cannot be made (no folder there, read-only) is raised."""
    lock_path = lock_file(folder)
    depth = _held.__dict__.setdefault("depth", {})
    key = str(lock_path)
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    fd = _acquire(lock_path, LOCK_WAIT_S if wait_s is None else wait_s, folder)
    depth[key] = 1
    try:
        yield
    finally:
        del depth[key]
        with suppress(FileNotFoundError):
            lock_path.unlink()  # the next holder sees the file gone (or replaced) and opens it afresh
        os.close(fd)


def _acquire(lock_path: Path, wait_s: float, folder) -> int:
    """An open descriptor of `lock_path` holding its flock; the file is still the one at that path."""
    if fcntl is None:  # not POSIX: no lock (commands on one folder are not serialised there)
        return os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline, pause = time.monotonic() + wait_s, _POLL_S[0]
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(fd), os.stat(lock_path)):
                return fd  # still the lock file in place (the previous holder did not remove it meanwhile)
        except (BlockingIOError, FileNotFoundError):
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() >= deadline:
            raise FolderBusy(f"{folder} 正被另一个操作使用（结果导入、公示记录、重新排程、应用中的保存或写出），"
                             f"等待 {wait_s:.0f} 秒后仍未结束；本次没有做任何改动，请稍后重试。") from None
        time.sleep(pause)
        pause = min(pause * 2, _POLL_S[1])


@contextmanager
def holding_folder(folder: str | os.PathLike) -> Iterator[None]:
    """Hold a folder this tool replaces whole — to read it as one version, or to read, change and write it
    (atomic_folder inside keeps the lock) — after repairing what a run killed while replacing it left beside
    it. Where no lock file can be made (a read-only place, no such folder) nobody can be writing there
    either: the read goes ahead without one."""
    path = Path(folder).expanduser()
    with ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(path))
        except OSError as error:
            if error.filename != str(lock_file(path)):
                raise
        else:
            if _leftovers(path.resolve()):
                _clean_leftovers(path.resolve())
        yield


def repair_folder(folder: str | os.PathLike) -> None:
    """For a command about to look at `folder`: a replacement a killed run left half done is rolled back first
    (the folder put back in its place), under the folder's lock; nothing happens when there is none."""
    if _leftovers(Path(folder).expanduser().resolve()):
        with holding_folder(folder):
            pass


def csv_bytes(header: list[str], rows) -> bytes:
    """UTF-8 CSV with '\\n' line ends, so the same rows give the same bytes on every platform."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, header: list[str], rows) -> None:
    path.write_bytes(csv_bytes(header, rows))


def write_new_file(path: str | os.PathLike, data: bytes) -> Path:
    """One new file, whole or not at all, never over an existing one (a file the tool did not create is never
    replaced): written beside it under a temporary name, then linked in place (which fails if it exists)."""
    target = Path(path)
    if target.exists():
        raise UserError(f"{target} 已存在，不会覆盖。请换一个文件名，或先移走原文件")
    if not target.parent.is_dir():
        raise UserError(f"文件夹 {target.parent} 不存在")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise UserError(f"{target} 已存在，不会覆盖。请换一个文件名，或先移走原文件") from None
    finally:
        os.unlink(tmp)
    return target


def read_csv_rows(path: Path) -> list[dict]:
    """Rows of a plan-folder CSV (a BOM, as Excel writes it, is accepted); [] when the file is absent."""
    if not Path(path).exists():
        return []
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def package_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("inspection-planner")
    except PackageNotFoundError:
        import tomllib
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal or a spreadsheet: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def printable(text: str) -> str:
    """`text` with every character that is not printable (line breaks, other control characters, bidi overrides,
    zero-width characters) written as its escape (`\\n`, `\\u202e`), so a logged or shown name can never
    forge a line or hide what it is."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
