"""Quote matching: spans found in the collapsed text map back to the original."""

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.quotes import SearchableText, find_quote, fold

# No "..." inside a word: in a quote it is an omission mark, which this test does not write.
WORD = st.text(alphabet=st.sampled_from("abcé’“”—-.,"), min_size=1, max_size=6).filter(lambda w: "..." not in w)
SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", " \n "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=30), st.data())
def test_a_quote_taken_from_the_text_is_found_where_it_stands(words, data):
    text = "".join(w + s for w, s in words)
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    quote = " ".join(w for w, _ in words[first : last + 1])
    spans = find_quote(quote, SearchableText(text))
    assert spans is not None
    (span,) = spans
    found = text[span.start : span.end]
    assert " ".join(fold(found).split()) == " ".join(fold(quote).split())


def test_typographic_marks_and_omissions():
    text = "He said: \u201cWe are\u00a0ready \u2014 now.\u201d\n\nLater, he left."
    spans = find_quote('"We are ready - now." \u2026 he left', SearchableText(text))
    assert [text[s.start : s.end] for s in spans] == ["\u201cWe are\u00a0ready \u2014 now.\u201d", "he left"]


def test_parts_out_of_order_are_not_found():
    assert find_quote("he left … We are", SearchableText("We are ready. Later he left.")) is None
