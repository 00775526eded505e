"""The public wizard in Spanish (issue 16): /es/ beside today's paths, the same answers in the same query
string, every word from text/es.yaml, one cached page per address.

The English each Spanish page must NOT show is taken from text/en.yaml itself: every English sentence of
four words or more, so a page that falls back to English anywhere in <main> fails."""
from __future__ import annotations

import html
import re

import pytest
import yaml
from helpers import Wizard
from page_addresses import canonical_query, page_address, version_of
from routes import TO

from wizard.core.reference_codes import code_for
from wizard.core.flow import CONTENT_DIR, ContentLoader, read_content
from wizard.core.translations import walk

MAIN = re.compile(r"<main\b.*?</main>", re.S)
TAGS = re.compile(r"<[^>]+>")
ADDRESS = re.compile(r"https?://\S+")
SENTENCE_END = re.compile(r"(?<=[.?!:])\s+")
MIN_WORDS = 4  # shorter runs are screen names that stay English on purpose ("DS Logon Premium", "CAC (Common Access Card)")
GLOSSARY = yaml.load((CONTENT_DIR / "glossary.yaml").read_text(encoding="utf-8"), Loader=ContentLoader)
# Names that stay as they are in every language: the glossary's screen names, and the names of the desks
# and offices (contacts' `name` in text/en.yaml, said that way on the phone).
NAMES = re.compile("|".join(re.escape(term) for term in sorted(
    [*GLOSSARY["keep"], "DHA Global Service Center", "Common Access Card", "Defense Manpower Data Center",
     "RAPIDS ID card office", "MHS GENESIS Patient Portal"], key=len, reverse=True)))


def english_sentences() -> set[str]:
    """Every public sentence of text/en.yaml with MIN_WORDS words or more (web addresses left out)."""
    english = read_content(CONTENT_DIR).texts["en"]
    found = set()
    for difference in walk(english, None, ()):
        for sentence in SENTENCE_END.split(ADDRESS.sub(" ", difference.english or "")):
            words = re.sub(r"\{[a-z_]+\}", " ", sentence).split()
            if len(re.findall(r"[A-Za-z']+", NAMES.sub(" ", sentence))) >= MIN_WORDS - 1 and len(words) >= MIN_WORDS:
                found.add(" ".join(words))
    return found


ENGLISH = english_sentences()


IN_ENGLISH = re.compile(r'<(span|a|p|li)\b[^>]*\blang="en"[^>]*>.*?</\1>', re.S)


def main_text(page: str, keep_english: bool = False) -> str:
    """The words of the page's <main>, leaving out what is marked lang="en" (the English names of the
    sources cited, public pages in English; the screen names explained) unless ``keep_english``."""
    main = MAIN.search(page)
    assert main, "the page has no <main>"
    words = main.group(0) if keep_english else IN_ENGLISH.sub(" ", main.group(0))
    return " ".join(html.unescape(TAGS.sub(" ", words)).split())


def spanish_pages(client, every_outcome) -> dict[str, str]:
    """Every Spanish page a person can reach: start, each question and outcome, answers, a saved result,
    and the pages that refuse something."""
    app = client.application
    longest = max(every_outcome.values(), key=len)
    pages = {"start": client.get("/es/")}
    for node, answers in [*TO.items(), *every_outcome.items()]:
        pages[node] = client.get("/es" + page_address(app, node, answers))
    pages.update({
        "answers": client.get(f"/es/answers?{canonical_query(app, longest)}"),
        "no answers yet": client.get(f"/es/answers?{canonical_query(app, {})}"),
        "saved result": client.get(f"/es/r/{code_for(version_of(app), every_outcome['dsl_forgot'])}"),
        "unknown code": client.get("/es/r/K7PM4QX2"),
        "malformed code": client.get("/es/r/hello"),
        "nothing chosen": client.get(f"/es/a/method?{canonical_query(app, TO['method'])}"),
        "not on that question": client.get(
            f"/es/a/new_who?{canonical_query(app, {**TO['method'], 'new_who': 'veteran'})}"),
        "not found": client.get("/es/q/nowhere"),
    })
    return pages


@pytest.fixture(scope="module")
def pages(app, every_outcome):
    return spanish_pages(app.test_client(), every_outcome)


def test_the_english_sentences_looked_for_are_real_ones():
    assert len(ENGLISH) > 500
    assert "Select the blue CREATE ACCOUNT tab at the bottom of the page." in ENGLISH


def test_every_spanish_page_is_marked_spanish_and_served(pages):
    expected = {"unknown code": 404, "malformed code": 404, "nothing chosen": 400, "not on that question": 409,
                "not found": 404}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
        assert '<html lang="es">' in response.text, name


def test_no_english_sentence_from_en_yaml_is_left_in_main(pages):
    left = [f"{name}: {sentence!r}" for name, response in pages.items() for text in [main_text(response.text)]
            for sentence in ENGLISH if sentence in text]
    assert left == []


def test_the_no_english_check_finds_english(app, every_outcome):
    """The check above would see an English page: every English page of the flow holds some of them."""
    client = app.test_client()
    for node, answers in list(every_outcome.items())[:5]:
        text = main_text(client.get(page_address(app, node, answers)).text)
        assert any(sentence in text for sentence in ENGLISH), node


def test_spanish_pages_name_both_languages_for_search_engines(pages, app, every_outcome):
    query = canonical_query(app, every_outcome["dsl_locked"])
    page = pages["dsl_locked"].text
    assert f'<link rel="alternate" hreflang="en" href="/q/dsl_locked?{html.escape(query)}">' in page
    assert f'<link rel="alternate" hreflang="es" href="/es/q/dsl_locked?{html.escape(query)}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="/q/dsl_locked?{html.escape(query)}">' in page


def test_the_language_link_keeps_the_answers(app, every_outcome):
    client = app.test_client()
    answers = every_outcome["dsl_deactivated"]
    english = client.get(page_address(app, "dsl_deactivated", answers)).text
    link = re.search(r'<a href="([^"]+)" hreflang="es" lang="es"', english)
    assert link and html.unescape(link.group(1)) == "/es" + page_address(app, "dsl_deactivated", answers)
    spanish = client.get(html.unescape(link.group(1)))
    assert spanish.status_code == 200 and "Cree una cuenta DS Logon nueva" in spanish.text
    back = re.search(r'<a href="([^"]+)" hreflang="en" lang="en"', spanish.text)
    assert back and html.unescape(back.group(1)) == page_address(app, "dsl_deactivated", answers)
    # ... and the answers page in Spanish lists the same answers, in Spanish.
    rows = client.get(f"/es/answers?{canonical_query(app, answers)}").text
    assert "Su problema con DS Logon" in rows and "Mi cuenta venció o fue desactivada" in rows


def test_answering_in_spanish_stays_in_spanish(client):
    start = client.get("/es/").text
    first = re.search(r'href="(/es/q/topic\?[^"]+)"', start)
    assert first, "the Spanish start page starts the Spanish questions"
    wizard = Wizard(client)
    response = client.get(f"/es/a/topic?{html.unescape(first.group(1).split('?', 1)[1])}&topic=cannot_sign_in")
    assert response.status_code == 303 and response.location.startswith("/es/q/method?")
    page = client.get(response.location).text
    assert "¿Cómo intenta entrar?" in page and 'action="/es/a/method"' in page
    assert wizard  # the same GET forms as in English: no cookie, nothing stored


def test_a_refused_answer_is_explained_in_spanish(pages):
    page = pages["nothing chosen"].text
    assert "Hay un problema" in page and "Elija cómo intenta entrar" in page
    assert "Esa respuesta era para una pregunta en la que usted no está" in pages["not on that question"].text


def test_the_same_answers_give_the_same_code_in_both_languages(app, every_outcome):
    client = app.test_client()
    code = re.compile(r'href="(?:/es)?/r/([2-9A-HJ-NP-Z]{8})"')
    for outcome in ("dsl_locked", "create_with_email", "child_record"):
        answers = every_outcome[outcome]
        english = code.search(client.get(page_address(app, outcome, answers)).text)
        spanish = code.search(client.get("/es" + page_address(app, outcome, answers)).text)
        assert english and spanish and english.group(1) == spanish.group(1), outcome


def test_a_spanish_code_link_opens_in_spanish_and_the_english_one_in_english(app, every_outcome):
    client = app.test_client()
    answers = every_outcome["dsl_locked"]
    spanish_page = client.get("/es" + page_address(app, "dsl_locked", answers)).text
    link = re.search(r'href="(/es/r/[2-9A-HJ-NP-Z]{8})"', spanish_page)
    assert link, "a Spanish outcome's saved-result link is a Spanish address"
    saved = client.get(link.group(1))
    assert saved.status_code == 200 and '<html lang="es">' in saved.text
    assert "Pida al DMDC que desbloquee su cuenta DS Logon" in saved.text and "Código de referencia:" in saved.text
    english = client.get(link.group(1)[3:])
    assert english.status_code == 200 and "Unlock your DS Logon account" in english.text


@pytest.mark.parametrize("path", ["/es/", "/es/q/topic?v={v}", "/es/answers?v={v}"])
def test_spanish_pages_are_cached_by_address_and_never_vary(client, path, app):
    response = client.get(path.format(v=version_of(app)))
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    assert "Vary" not in response.headers


def test_the_browser_language_never_changes_or_redirects_a_page(client):
    plain = client.get("/")
    asked = client.get("/", headers={"Accept-Language": "es-PR,es;q=0.9"})
    assert asked.status_code == 200 and asked.text == plain.text and "Vary" not in asked.headers
    # The English start page carries the Spanish suggestion, hidden: the script shows it (static/wizard.js).
    assert re.search(r'<p class="js-language-suggestion notice" data-language="es" lang="es" hidden>'
                     r'<a href="/es/" hreflang="es">Esta ayuda también está en español.</a></p>', plain.text)


def test_other_spellings_of_a_spanish_address_are_sent_to_the_canonical_one(client, app):
    assert client.get("/es").status_code == 308  # the start page is /es/
    shuffled = client.get(f"/es/q/method?v={version_of(app)}&topic=cannot_sign_in")
    assert shuffled.status_code == 303
    assert shuffled.location == f"/es/q/method?{canonical_query(app, {'topic': 'cannot_sign_in'})}"
    assert client.get("/en/").status_code == 404  # English has one address: no /en/ copy
    assert client.get("/xx/").status_code == 404  # not a language of the content


def test_the_error_pages_of_spanish_addresses_are_in_spanish(pages):
    assert "No se encontró la página" in pages["not found"].text
    assert "No encontramos ese código" in pages["unknown code"].text


# ---------------------------------------------------------------- help in Spanish, honestly

def test_every_contact_card_on_a_spanish_page_says_what_is_known_about_help_in_spanish(pages):
    cards = [card for response in pages.values() for card in re.findall(r'<section class="contact".*?</section>',
                                                                       response.text, re.S)]
    assert cards and all('class="language-help"' in card for card in cards)


def test_where_nothing_is_known_the_page_says_so_and_gives_no_number(pages):
    dmdc = re.search(r'<section class="contact" aria-labelledby="contact-dmdc">.*?</section>', pages["dsl_locked"].text, re.S)
    line = re.search(r'<li class="language-help">([^<]+)</li>', dmdc.group(0)).group(1)
    assert line.startswith("Ayuda en español: no encontramos ninguna página oficial")
    assert not re.search(r"\d{3}-\d{4}", line)


def test_the_va_card_gives_the_spanish_interpreter_line_with_its_source(pages):
    page = pages["va_records"].text
    assert ('llame a MyVA411 al <a class="phone" href="tel:+18006982411">1-800-698-2411</a> (TTY: 711), marque 0 y '
            'pida un intérprete de español').lower() in page.lower()  # the number a tap calls
    assert "https://www.va.gov/coronavirus-veteran-frequently-asked-questions-esp/" in page  # in the sources list


def test_english_pages_show_no_language_help_line(app, every_outcome):
    page = app.test_client().get(page_address(app, "va_records", every_outcome["va_records"])).text
    assert "language-help" not in page and "1-800-698-2411" not in page


def test_no_spanish_page_links_or_names_an_address_off_the_allow_list(pages):
    """The address allow-list (addresses.yaml) holds on every Spanish page, as on the English ones."""
    from wizard.core.addresses import AllowList, unlisted_addresses

    allowed = AllowList.from_entries(yaml.load((CONTENT_DIR / "addresses.yaml").read_text(), Loader=ContentLoader))
    problems = []
    for name, response in pages.items():
        links = [url for url in map(html.unescape, re.findall(r'href="([^"]+)"', response.text)) if url.startswith("http")]
        problems += [f"{name}: links {url}" for url in links if not allowed.allows(url)]
        text = html.unescape(TAGS.sub(" ", response.text))
        problems += [f"{name}: names {address}" for address in unlisted_addresses(text, allowed)]
    assert problems == []
    assert any("https://my.mhsgenesis.health.mil" in response.text for response in pages.values())


def test_the_feedback_reasons_are_in_the_language_of_the_page_whichever_was_shown_first(client, every_outcome):
    """The reasons are rendered once and kept: once per language, not once for whichever page came first."""
    from wizard.core.flow import load_flow

    version = load_flow().version
    query = {**every_outcome["dsl_forgot"], "v": version}
    english = client.get("/q/dsl_forgot", query_string=query, follow_redirects=True).text
    spanish = client.get("/es/q/dsl_forgot", query_string=query, follow_redirects=True).text
    assert "The steps did not work" in english and "Los pasos no funcionaron" in spanish
    assert "The steps did not work" not in spanish


def test_a_vote_from_a_spanish_page_is_counted_and_thanked_in_spanish(client, every_outcome):
    from wizard.core.flow import load_flow

    version = load_flow().version
    query = {**every_outcome["dsl_forgot"], "v": version}
    page = client.get("/es/q/dsl_forgot", query_string=query, follow_redirects=True).text
    assert 'action="/es/feedback/dsl_forgot"' in page
    thanks = client.post("/es/feedback/dsl_forgot", data={**query, "vote": "no", "reason": "steps_failed"})
    assert thanks.status_code == 200 and "Gracias" in thanks.text and 'lang="es"' in thanks.text
    assert "Set-Cookie" not in thanks.headers


def test_a_desk_reads_with_its_own_article_and_dates_in_spanish(app, every_outcome):
    """Each desk's Spanish wording after "llame" comes from text/es.yaml (`called`: "al DMDC", "a la oficina
    de ayuda de DEERS"), and source dates use the month names of text/es.yaml; English keeps its own."""
    client = app.test_client()
    spanish = TAGS.sub(" ", client.get("/es" + page_address(app, "deers_data", every_outcome["deers_data"])).text)
    assert "Llame a la oficina de ayuda de DEERS" in spanish and "Llame a DEERS" not in spanish
    dmdc = TAGS.sub(" ", client.get("/es" + page_address(app, "dsl_forgot", every_outcome["dsl_forgot"])).text)
    assert "llame al DMDC" in dmdc and "Si llama al DMDC" in dmdc and "llame a DMDC" not in dmdc.lower()
    assert re.search(r"Revisado por última vez el \d{1,2} de [a-z]+ de \d{4}\.", dmdc)
    assert not re.search(r"Revisado por última vez el \d{4}-", dmdc)
    english = TAGS.sub(" ", client.get(page_address(app, "dsl_forgot", every_outcome["dsl_forgot"])).text)
    assert "call DMDC" in english and re.search(r"Last checked \d{4}-\d{2}-\d{2}\.", english)


def test_spanish_steps_that_give_an_address_say_it_leads_to_english(pages, app, every_outcome):
    line = "Las direcciones web de estos pasos llevan a páginas oficiales en inglés."
    assert line in pages["va_records"].text  # its steps link VA.gov
    assert line not in pages["child_record"].text  # its steps give no address: nothing to warn about
    english = app.test_client().get(page_address(app, "va_records", every_outcome["va_records"])).text
    assert "official pages in English" not in english
