"""The report's own sections, one module per source, each `report_section(province, start, end)` returning
{"title", "figures": [{"key", "label", "value", "unit", "query"}], "tables": [{"title", "columns", "rows"}]}
— the shape of the other apps' `report_section` (programme, feedback, inspections, commendations).
A section reads its source's selectors only; it computes no statistic of its own.
"""


def figure(key: str, label: str, value, unit: str, query: str) -> dict:
    return {"key": key, "label": label, "value": value, "unit": unit, "query": query}
