from tests.quarter.workbooks import received  # noqa: F401 (a fixture for every test here)
