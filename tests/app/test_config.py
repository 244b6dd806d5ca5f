"""The project's Streamlit configuration, as Streamlit itself reads it when started from the project folder:
no usage statistics leave the server, it listens on localhost, uploads stop at the loader's size."""
from __future__ import annotations

from pathlib import Path

from streamlit import config

from models.loading.limits import MAX_FILE_MB

ROOT = Path(__file__).resolve().parents[2]


def test_no_usage_statistics_and_localhost_only(monkeypatch):
    monkeypatch.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("browser.gatherUsageStats") is False
        assert config.get_option("server.address") == "localhost"
        assert config.get_option("server.maxUploadSize") == MAX_FILE_MB  # one file, as the loader allows
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)
