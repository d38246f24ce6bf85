"""The gazetteers load, validate, and a broken one is reported by file and entry."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from kaidan.reference import ReferenceError, load_reference, parse_day

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "lib" / "kaidan" / "reference"


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def test_codebook_identifiers_are_present(reference):
    forums = set(reference.forums["id"])
    assert {"UN", "UNSC", "SCO", "BRICS", "ASEAN", "EAS", "ARF", "APEC", "G20", "G7", "NATO", "CSTO",
            "EAEU", "EU", "IAEA", "QUAD", "AUKUS"} <= forums
    assert {"ukraine", "taiwan", "korean_peninsula", "iran_nuclear", "middle_east", "afghanistan",
            "asia_pacific", "military_cooperation", "nuclear_arms_control", "maritime", "un_world_order",
            "economy_energy", "japan", "sanctions_west"} == set(reference.topics["id"])
    assert {"china_russia_strategic_security_consultation", "japan_russia_2plus2",
            "china_russia_strategic_dialogue", "summit"} <= set(reference.series["id"])


def test_every_un_member_is_a_country(reference):
    members = reference.countries[reference.countries["un_member"] == True]  # noqa: E712
    assert len(members) == 193


def test_short_forms_expand(reference):
    assert reference.short_countries["露"] == "RUS"
    assert reference.short_countries["ロ"] == "RUS"
    assert reference.short_countries["豪"] == "AUS"


def test_people_have_dated_roles(reference):
    shoigu = reference.people["Sergei Shoigu"]
    assert "defence_minister" in shoigu.roles_on(dt.date(2017, 3, 20))
    assert "security_council_secretary" in shoigu.roles_on(dt.date(2025, 12, 2))
    assert len(reference.people) >= 300


def test_people_ids_are_ascii_as_wire_services_write_them(reference):
    assert [pid for pid in reference.people if not pid.isascii()] == []
    assert {"Recep Tayyip Erdogan", "Mevlut Cavusoglu", "Antonio Guterres"} <= set(reference.people)


@pytest.mark.parametrize("venue, city", [
    ("首相官邸", "Tokyo"), ("迎賓館", "Tokyo"), ("飯倉公館", "Tokyo"), ("ホワイトハウス", "Washington"),
    ("国連本部", "New York"), ("人民大会堂", "Beijing"), ("釣魚台", "Beijing"), ("クレムリン", "Moscow"),
    ("青瓦台", "Seoul"), ("ドルマバフチェ宮殿", "Istanbul"),
])
def test_venues_are_placed_in_their_cities(reference, venue, city):
    assert reference.venues[venue] == city


def test_every_capital_has_coordinates(reference):
    places = reference.places
    capitals = places[places["capital"] == True]  # noqa: E712
    assert len(capitals) >= 180
    assert places["lat"].between(-90, 90).all() and places["lon"].between(-180, 180).all()


def test_parse_day_precisions():
    assert parse_day("2025-12-02") == dt.date(2025, 12, 2)
    assert parse_day("2025-02", end=True) == dt.date(2025, 2, 28)
    assert parse_day("2024", end=True) == dt.date(2024, 12, 31)


def _copy_reference(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    return folder


def test_a_bad_entry_is_named(tmp_path):
    folder = _copy_reference(tmp_path)
    places = folder / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "\n- id: Nowhere\n  names_ja: [どこにもない]\n"
                      "  country: XX\n  lat: 200\n  lon: 0\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="places"):
        load_reference(str(folder))


def test_an_alias_claimed_twice_is_refused(tmp_path):
    folder = _copy_reference(tmp_path)
    forums = folder / "forums.yaml"
    forums.write_text(forums.read_text(encoding="utf-8") + "\n- id: FAKE\n  name_en: Fake\n"
                      "  names_ja: [上海協力機構]\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="claimed by both"):
        load_reference(str(folder))


def test_broken_yaml_names_the_file(tmp_path):
    folder = _copy_reference(tmp_path)
    (folder / "titles.yaml").write_text("- title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="titles.yaml"):
        load_reference(str(folder))


# --- the quick check and pandera agree --------------------------------------------------------

def _shipped(name: str) -> list[dict]:
    """The entries of one gazetteer as shipped."""
    from kaidan.reference import _files, _read_yaml

    return [entry for gazetteer, file_name, data in _files(REFERENCE_DIR) if gazetteer == name
            for entry in _read_yaml(file_name, data)]


@pytest.mark.parametrize("name", ["countries", "places", "people", "forums", "series", "topics", "treaties", "titles"])
def test_shipped_gazetteers_keep_the_rules_as_pandera_reads_them(name):
    """Each shipped gazetteer passes the quick check, and is the frame pandera would make of it."""
    import pandas as pd

    from kaidan.reference import _FIELDS, _frame, _holds, _through_pandera

    frame = _frame(name, _shipped(name), name)
    assert _holds(_FIELDS[name], frame)
    pd.testing.assert_frame_equal(frame, _through_pandera(_FIELDS[name], frame.copy(), name))


# (gazetteer, entry added or changed, what the message names): each breaks one rule
BROKEN = [
    ("countries", {"id": "JP", "name_en": "Japan2", "names_ja": ["日本二"]}, "str_matches"),
    ("countries", {"id": "JPN", "name_en": "Japan again", "names_ja": ["日本二"]}, "unique"),
    ("countries", {"id": "XXA", "name_en": "Numbers", "names_ja": [1, 2]}, "non-empty strings"),
    ("countries", {"id": "XXB", "name_en": "One name", "names_ja": "一つ"}, "non-empty strings"),
    ("countries", {"id": "XXC", "name_en": "Empty name", "names_ja": ["", "空"]}, "non-empty strings"),
    ("countries", {"id": "XXD", "name_en": None, "names_ja": ["名無し"]}, "name_en"),
    ("places", {"id": "Nowhere", "names_ja": ["どこ"], "country": "JPN", "lat": 95.0, "lon": 0.0}, "in_range"),
    ("places", {"id": "Nowhere", "names_ja": ["どこ"], "country": "JPN", "lat": "north", "lon": 0.0}, "lat"),
    ("people", {"id": "Someone", "country": "JPN", "names_ja": ["某"], "roles": "minister"}, "roles"),
    ("treaties", {"id": "Pact", "names_ja": ["協定"], "kind": "deal"}, "isin"),
    ("titles", {"title": "外相", "role": "foreign minister"}, "unique"),
]


@pytest.mark.parametrize("name, entry, named", BROKEN)
def test_an_entry_that_breaks_a_rule_fails_the_quick_check_and_pandera_names_it(name, entry, named):
    from kaidan.reference import _FIELDS, _filled, _frame, _holds

    entries = _shipped(name) + [entry]
    assert not _holds(_FIELDS[name], _filled(_FIELDS[name], entries))
    with pytest.raises(ReferenceError, match=named):
        _frame(name, entries, f"reference/{name}")


def test_whole_degrees_are_coerced_to_float_as_pandera_does():
    from kaidan.reference import _frame

    entries = [{"id": "A", "names_ja": ["甲"], "country": "JPN", "lat": 35, "lon": 139},
               {"id": "B", "names_ja": ["乙"], "country": "CHN", "lat": 40, "lon": 116}]
    frame = _frame("places", entries, "reference/places")
    assert str(frame["lat"].dtype) == "float64" and frame["lat"].tolist() == [35.0, 40.0]
