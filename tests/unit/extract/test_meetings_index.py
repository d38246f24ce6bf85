"""The meetings context's position indexes answer as a scan of the whole article would:
they are what keeps a long document's cost linear in its length."""
from hypothesis import given, settings, strategies as st

from kaidan.extract.dates import DateMention
from kaidan.extract.meetings.context import Context

KINDS = ("person", "country", "forum", "organisation")
PEOPLE = ("a", "b", "c", "d", "e")
mention = st.tuples(st.integers(0, 60), st.integers(1, 5), st.sampled_from(KINDS), st.sampled_from(PEOPLE))


def _context(raw) -> Context:
    mentions = sorted(({"start": s, "end": s + n, "kind": k, "id": i} for s, n, k, i in raw),
                      key=lambda m: m["start"])
    dates = [DateMention(s, s + n, "x", k, None, None) for s, n, k, _ in sorted(raw)]
    return Context("", None, mentions, dates, None, False)


@settings(max_examples=200, deadline=None)
@given(st.lists(mention, max_size=25), st.integers(-5, 70), st.integers(0, 20))
def test_a_segment_takes_the_mentions_and_dates_that_start_in_it(raw, start, width):
    ctx = _context(raw)
    end = start + width
    assert ctx.mentions_in(start, end) == [m for m in ctx.mentions if start <= m["start"] < end]
    assert ctx.dates_in(start, end) == [d for d in ctx.dates if start <= d.start < end]
    assert ctx.forum_ends(start, end) == sorted(m["end"] for m in ctx.mentions
                                               if m["kind"] in ("forum", "organisation") and start <= m["end"] <= end)
    assert ctx.forum_over(start) == any(m["kind"] in ("forum", "organisation") and m["start"] <= start < m["end"]
                                        for m in ctx.mentions)


def _last_per_country(named, country, kept):
    """What 両外相 reads from the people named before it: each country's last person, the
    countries in the order first named."""
    by_country = {}
    for person_id in named:
        if person_id in kept:
            by_country[country[person_id]] = person_id
    return list(by_country.items())


@settings(max_examples=300, deadline=None)
@given(st.lists(mention, max_size=25), st.integers(0, 70),
       st.fixed_dictionaries({p: st.sampled_from("XYZ") for p in PEOPLE}), st.sets(st.sampled_from(PEOPLE)))
def test_first_and_last_mentions_tell_each_countrys_last_person(raw, pos, country, kept):
    ctx = _context(raw)
    every = [m["id"] for m in ctx.mentions if m["kind"] == "person" and m["start"] < pos]
    compact = ctx.people_before(pos)
    assert len(compact) <= 2 * len(PEOPLE)
    assert _last_per_country(compact, country, kept) == _last_per_country(every, country, kept)
