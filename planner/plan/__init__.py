"""The plan: its object, folder, typed record, metrics, and the pipeline that makes it from a dataset."""
