"""The merge: meetings rows in, the events table and each meeting's event_id out, a block (one
set of sides) at a time, the rows held compact in Arrow between blocks."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pyarrow as pa

from kaidan import schemas
from kaidan.extract.dates import dates_agree
from kaidan.extract.events.assign import merge_block
from kaidan.extract.events.candidates import side_blocks
from kaidan.extract.events.when import adjacent_days
from kaidan.reference import Reference, parse_day

# the meetings columns that merging reads
MERGE_COLUMNS = ("article_id", "meeting_id", "date", "date_text", "city", "host_country", "countries", "participants",
                 "mode", "series", "session", "status", "forum", "reported_as")
# and all that `merge_reports` reads: the evidence goes into the events
REPORT_COLUMNS = (*MERGE_COLUMNS, "evidence")
PRECISION_OF = {10: "day", 7: "month", 4: "year"}
# Events are turned into the table this many at a time (their evidence is most of the memory).
EVENT_BATCH_ROWS = 20_000
EVENT_ID_DTYPE = schemas.empty("meetings")["event_id"].dtype


def _most_precise(dates: list[str]) -> str | None:
    """The most precise date every report agrees with (reports that contradict it are
    outvoted); of two next-door days, the earlier (the local date west of Japan)."""
    known = sorted({d for d in dates if d}, key=lambda d: (-len(d), d))
    for candidate in known:
        if all(dates_agree(candidate, other) or adjacent_days(candidate, other) for other in known):
            return candidate
    return known[-1][:4] if known else None


def _first(values) -> str | None:
    return next((v for v in values if v), None)


def event_id(meeting_ids: list[str]) -> str:
    return "E" + hashlib.sha1(min(meeting_ids).encode("utf-8")).hexdigest()[:10]


def _event(group: list[dict], evidence: list[str]) -> dict:
    """One events row from its reports (in meeting_id order)."""
    ids = [r["meeting_id"] for r in group]
    date = _most_precise([r["date"] for r in group])
    participants: list[str] = []
    for r in group:
        participants += [p for p in r["participants"] if p not in participants]
    sessions = [r["session"] for r in group if r["session"] is not None]
    return {
        "event_id": event_id(ids),
        "date": date,
        "date_precision": PRECISION_OF.get(len(date)) if date else None,
        "city": _first(r["city"] for r in group),
        "host_country": _first(r["host_country"] for r in group),
        "countries": sorted(set(group[0]["countries"])),
        "participants": participants,
        "mode": _first(r["mode"] for r in group),
        "series": _first(r["series"] for r in group if r["series"] != "summit") or _first(r["series"] for r in group),
        "session": sessions[0] if sessions else None,
        "status": "held" if any(r["status"] == "held" for r in group) else "scheduled",
        "forum": _first(r["forum"] for r in group),
        "article_ids": sorted({r["article_id"] for r in group}),
        "meeting_ids": sorted(ids),
        "n_articles": len({r["article_id"] for r in group}),
        "evidence": evidence,
    }


def article_dates(articles: pd.DataFrame) -> dict[str, dt.date | None]:
    """Each article's publication day (None when it has none), which places its undated reports."""
    found = {}
    for record in articles[["article_id", "published"]].itertuples():
        try:
            found[record.article_id] = parse_day(record.published) if isinstance(record.published, str) \
                and record.published else None
        except ValueError:
            found[record.article_id] = None
    return found


def people_countries(reference: Reference | None) -> dict[str, str | None]:
    """Each person's country, to tell the sides a report's people stand for."""
    return dict(reference.people_country) if reference else {}


def report_table(meetings: pd.DataFrame) -> pa.Table:
    """The columns merging reads, in meeting_id order, as one Arrow table: a tenth of the
    memory of the same rows as dicts, which are made a block at a time."""
    columns = [c for c in REPORT_COLUMNS if c in meetings.columns]
    order = meetings["meeting_id"].argsort(kind="stable").to_numpy()
    table = pa.Table.from_pandas(meetings[columns], preserve_index=False).take(order)
    if "date_text" not in columns:
        table = table.append_column("date_text", pa.nulls(len(table), pa.string()))
    return table


def _arrow_type(column: schemas.Column) -> pa.DataType:
    return {"str": pa.string(), "int": pa.int64(), "list": pa.list_(pa.string())}[column.kind]


# the events while they wait to be sorted: compact, with the same values as the dicts
EVENTS_ARROW = pa.schema([(column.name, _arrow_type(column)) for column in schemas.EVENTS])


def merge_blocks(table: pa.Table, dates: dict[str, dt.date | None],
                 people_country: dict[str, str | None]) -> tuple[pa.Table, dict[str, str]]:
    """The events of the report table (unsorted, in Arrow), and each meeting_id's event_id.
    The reports of each set of sides are one block, merged on its own (blocks never merge with
    each other): they are dicts one block at a time, the events until `EVENT_BATCH_ROWS` of
    them are made."""
    merge_columns, evidence_column = table.select(list(MERGE_COLUMNS)), table.column("evidence")
    found, waiting, assignment = [], [], {}
    for positions in side_blocks(table.column("countries").to_pylist()).values():
        rows = merge_columns.take(positions).to_pylist()
        evidence = evidence_column.take(positions).to_pylist()
        block_events = [_event([rows[i] for i in members], [evidence[i] for i in members])
                        for members in merge_block(rows, dates, people_country)]
        for event in block_events:
            assignment.update(dict.fromkeys(event["meeting_ids"], event["event_id"]))
        waiting += block_events
        if len(waiting) >= EVENT_BATCH_ROWS:
            found.append(pa.Table.from_pylist(waiting, schema=EVENTS_ARROW))
            waiting = []
    found.append(pa.Table.from_pylist(waiting, schema=EVENTS_ARROW))
    # one chunk: `events_frame` takes its rows in date order, slow across many chunks
    return pa.concat_tables(found).combine_chunks(), assignment


def events_frame(table: pa.Table) -> pd.DataFrame:
    """The events table from `merge_blocks`' events, sorted by date (undated last) and id, made
    a batch at a time."""
    dates, ids = table.column("date").to_pylist(), table.column("event_id").to_pylist()
    order = sorted(range(len(table)), key=lambda k: (dates[k] or "9999", ids[k]))
    del dates, ids
    frames = [schemas.from_records("events", table.take(order[start:start + EVENT_BATCH_ROWS]).to_pylist())
              for start in range(0, len(order), EVENT_BATCH_ROWS)]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def merge_reports(meetings: pd.DataFrame, articles: pd.DataFrame,
                  reference: Reference | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The events table, and each meeting_id's event_id. Reads only `REPORT_COLUMNS`, so a
    caller streaming the meetings to disk can hand over just those and put the event ids on
    the rest itself (`assign_events`). Memory holds the reports compact, and as dicts one
    block (one set of sides) at a time: blocks never merge with each other."""
    if meetings.empty:
        return schemas.empty("events"), {}
    table = report_table(meetings)
    del meetings  # a caller that passed only these columns lets them go here
    found, assignment = merge_blocks(table, article_dates(articles), people_countries(reference))
    del table
    return events_frame(found), assignment


def assign_events(meetings: pd.DataFrame, assignment: dict[str, str]) -> pd.DataFrame:
    """The meetings (the whole table, or any run of its rows, validated) with their event_id
    filled in, in the column's dtype: the rest is as valid as it was, so it is not checked
    again (pandera's whole schema cost a third of the merge and write)."""
    ids = pd.Series([assignment.get(m) for m in meetings["meeting_id"].tolist()], index=meetings.index,
                    dtype=EVENT_ID_DTYPE)
    return meetings.assign(event_id=ids)


def merge_events(meetings: pd.DataFrame, articles: pd.DataFrame,
                 reference: Reference | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events table, and the meetings table with its event_id filled in."""
    if meetings.empty:
        return schemas.empty("events"), meetings
    events, assignment = merge_reports(meetings, articles, reference)
    return events, assign_events(meetings, assignment)
