"""Events in the formats other event data uses, for researchers who combine sources.

`plover` writes PLOVER-style JSON Lines (`kaidan export --format plover`), checked by the
JSON Schema beside it (`plover.schema.json`).
"""
from kaidan.export.plover import FORMATS, plover_records, read_plover, schema, write_plover, write_plover_file

__all__ = ["FORMATS", "plover_records", "read_plover", "schema", "write_plover", "write_plover_file"]
