"""The app's store (SQLite by default, PostgreSQL by URL) and its accounts; one database per county.

    store.py      Store: datasets, draws, plans and every version of them, the audit log
    accounts.py   users, roles, argon2 password hashes, authenticate() with lockout
    access.py     what each role may see and do: may(), require(), visible_plan()
    location.py   the data folder (PLANNER_DATA_DIR) and the database URL (PLANNER_DB_URL)
    schema.py     the tables (SQLAlchemy Core), one schema for both engines
    blobs.py      a plan folder zipped whole, byte-stable
"""
