"""The quarter after the plan: results departments record, 结果公示 on time, and the progress figures.

results.py      read a department's workbook or a results CSV, check every row against the plan, merge
                into results.csv (all or nothing, idempotent) with a log entry and a commitment link
publication.py  the publication deadline of each result (working days), what goes on the publicity list
rechecks.py     集成改一次: open rectifications per business, the planned re-check, unresolved re-checks
status.py       progress figures for the county, each department and 片区, and by week
"""
