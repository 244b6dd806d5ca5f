"""Domain records of a county dataset and the loader (models.loading) that reads and validates them."""
from models.dataset import Dataset
from models.loading import load_dataset
from models.problems import DatasetError, Problem, UserError
from models.records import (
    RISK_LEVELS,
    Absence,
    Business,
    Category,
    Conflict,
    Department,
    Inspector,
    Item,
    PastInspection,
    Town,
    Zone,
)
from models.settings import Settings

__all__ = [
    "RISK_LEVELS", "Absence", "Business", "Category", "Conflict", "Dataset", "DatasetError", "Department",
    "Inspector", "Item", "PastInspection", "Problem", "Settings", "Town", "UserError", "Zone", "load_dataset",
]
