"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary cluster on a free localhost port.

Started once per test session (about two seconds), stopped and deleted at the end. As root the server runs
as the `postgres` user (PostgreSQL refuses to run as root). scripts/setup.sh test installs Debian's
`postgresql`; without it the PostgreSQL tests fail, never skip.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SUPERUSER = "planner_test"


class PostgresMissing(RuntimeError):
    pass


def binary(name: str) -> str:
    """Debian keeps the server programs in /usr/lib/postgresql/<version>/bin, off the PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise PostgresMissing(f"找不到 PostgreSQL 的 {name}：请运行 bash scripts/setup.sh test（安装 Debian 的 postgresql）")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    folder: Path
    port: int
    password: str
    as_user: list[str]

    @property
    def admin_url(self) -> sa.URL:
        return self.url("postgres")

    def url(self, database: str) -> sa.URL:
        return sa.URL.create("postgresql+psycopg", username=SUPERUSER, password=self.password, host="127.0.0.1",
                             port=self.port, database=database)

    def create_database(self, name: str) -> sa.URL:
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as db:
                db.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def stop(self) -> None:
        subprocess.run([*self.as_user, binary("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """initdb into a temporary folder and start the server; raises PostgresMissing with the reason."""
    initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresMissing("没有 postgres 系统用户：请安装 Debian 的 postgresql 软件包") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Server(folder, 0, secrets.token_hex(16), as_user)
    password_file = folder / "password"
    password_file.write_text(server.password + "\n")
    if as_user:
        os.chown(password_file, owner.pw_uid, owner.pw_gid)
    try:
        _run([*as_user, initdb, "-D", str(folder / "data"), "-U", SUPERUSER, f"--pwfile={password_file}",
              "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        for attempt in range(3):  # a free port may be taken before the server binds it: try another
            server.port = free_port()
            # a test server: no durability needed, nothing but localhost, its socket in its own folder
            options = (f"-p {server.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            try:
                _run([*as_user, pg_ctl, "-D", str(folder / "data"), "-l", str(folder / "log"), "-o", options, "-w",
                      "-t", "30", "start"])
                break
            except PostgresMissing:
                if attempt == 2:
                    raise
    except PostgresMissing as error:
        log = folder / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        server.stop()
        raise PostgresMissing(f"{error}\n{detail}") from None
    return server


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise PostgresMissing(f"{' '.join(command)} 失败：{done.stdout}{done.stderr}")
