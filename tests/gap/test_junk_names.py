"""Junk is judged by the words of a domain's name, on real domain names both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.gap.junk_names import JunkNames, name_words
from bot.gap.models import ReferringDomain
from bot.gap.quality import JunkFilter
from bot.gap.settings import DEFAULT_JUNK_PATTERNS, GapSettings, merge_settings

#: Real sites whose names hold a junk pattern's letters inside another word
#: (museo, Seoul, house of, Chelsea, ...) or are ordinary referring domains.
NOT_JUNK = (
    "museodelprado.es",
    "museoreinasofia.es",
    "museothyssen.org",
    "museodelnovecento.org",
    "museoegizio.it",
    "museopicassomalaga.org",
    "museobilbao.com",
    "museoscienza.org",
    "visitseoul.net",
    "seobythesea.com",
    "seoultech.ac.kr",
    "seoulsemicon.com",
    "seoul.go.kr",
    "chelseafc.com",
    "houseoffraser.co.uk",
    "houseofbruar.com",
    "houseofcolour.co.uk",
    "statista.com",
    "statnews.com",
    "webstaurantstore.com",
    "similarweb.com",
    "directline.com",
    "whoi.edu",
    "linkedin.com",
    "runnersworld.com",
    "theguardian.com",
    "bbc.co.uk",
    "nytimes.com",
    "wikipedia.org",
    "reddit.com",
    "outsideonline.com",
    "irunfar.com",
    "trailrunnermag.com",
    "rei.com",
    "wired.com",
    "verywellfit.com",
    "strava.com",
    "ultrarunning.com",
    "podiumrunner.com",
    "fellrunner.org.uk",
    "abc.net.au",
    "elpais.com",
    "lemonde.fr",
    "spiegel.de",
)

#: Real link farms, link directories and SEO-tool mirrors seen in backlink exports.
JUNK = (
    "seo-backlinks-directory.net",
    "best-seo-links.net",
    "freebacklinks4u.com",
    "websiteworth.info",
    "statshow.com",
    "siteprice.org",
    "webstatsdomain.org",
    "webstatsdomain.net",
    "hypestat.com",
    "cutestat.com",
    "statscrop.com",
    "statvoo.com",
    "similarsites.com",
    "similarsitesearch.com",
    "sitelike.org",
    "siteslike.com",
    "websiteoutlook.com",
    "websiteinformer.com",
    "siteworthtraffic.com",
    "worthofweb.com",
    "sitedossier.com",
    "markosweb.com",
    "trafficestimate.com",
    "estibot.com",
    "robtex.com",
    "whois.com",
    "whoisxmlapi.com",
    "whoisdatacenter.com",
    "backlinkwatch.com",
    "backlinktest.com",
    "smallseotools.com",
    "prepostseo.com",
    "seositecheckup.com",
    "seomastering.com",
    "seoprofiler.com",
    "seoreviewtools.com",
    "openlinkprofiler.org",
    "dmoztools.net",
    "jasminedirectory.com",
    "freeprwebdirectory.com",
    "a1webdirectory.org",
    "backlinks.com",
    "whois.net",
    "seo.com",
)


def test_the_tables_hold_forty_names_each_way() -> None:
    assert len(set(NOT_JUNK)) >= 40
    assert len(set(JUNK)) >= 40
    assert not set(NOT_JUNK) & set(JUNK)


@pytest.mark.parametrize("domain", NOT_JUNK)
def test_letters_inside_another_word_are_not_junk(domain: str) -> None:
    page = JunkFilter(GapSettings()).page_domains([ReferringDomain(domain, 50)])
    assert page.quality_domains == {domain}
    assert page.junk == {}


@pytest.mark.parametrize("domain", JUNK)
def test_junk_words_and_known_tool_names_are_junk(domain: str) -> None:
    page = JunkFilter(GapSettings()).page_domains([ReferringDomain(domain, 50)])
    assert page.quality_domains == frozenset()
    assert page.junk == {"junk-pattern": 1}


def test_names_are_cut_on_dots_and_hyphens_only() -> None:
    assert name_words("Seo-Backlinks-Directory") == ["seo", "backlinks", "directory"]
    assert name_words("freebacklinks4u") == ["freebacklinks4u"]
    assert name_words("blog.best-seo--links") == ["blog", "best", "seo", "links"]


@pytest.mark.parametrize(
    ("patterns", "name", "hit"),
    [
        (("seo",), "best-seo-links", "seo"),
        (("seo",), "seobythesea", None),
        (("seo",), "SEO-Tools", "seo"),
        (("*backlink*",), "freebacklinks4u", "*backlink*"),
        (("webstat*",), "webstatsdomain", "webstat*"),
        (("webstat*",), "mywebstats", None),
        (("*directory",), "jasminedirectory", "*directory"),
        (("*directory",), "directoryofthings", None),
        (("casino",), "bestcasinos", None),
        (("*casino*",), "bestcasinos", "*casino*"),
        # A dotted pattern names a domain (the blocklist's job); a lone * matches nothing.
        (("spam.com", "*", ""), "spam", None),
    ],
)
def test_a_pattern_is_a_whole_word_and_star_stands_for_letters(
    patterns: tuple[str, ...], name: str, hit: str | None
) -> None:
    assert JunkNames(patterns).match(name) == hit


def test_a_workspace_word_with_a_star_catches_compound_names() -> None:
    links = [ReferringDomain("bestcasinos.com", 50), ReferringDomain("casino-bonus.net", 50)]
    words = merge_settings(GapSettings(), {"junk_patterns": "casino"})
    assert JunkFilter(words).page_domains(links).quality_domains == {"bestcasinos.com"}
    stars = merge_settings(GapSettings(), {"junk_patterns": "*casino*"})
    assert JunkFilter(stars).page_domains(links).quality_domains == frozenset()


METHOD = Path(__file__).resolve().parents[2] / "docs" / "method.md"


def test_the_method_docs_table_and_default_list_hold() -> None:
    text = METHOD.read_text(encoding="utf-8")
    table = text.split("| domain | junk? | why |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    judged = JunkFilter(GapSettings())
    for cell, verdict in rows:
        for domain in re.findall(r"`([^`]+)`", cell):
            page = judged.page_domains([ReferringDomain(domain, 50)])
            assert (page.junk == {"junk-pattern": 1}) is (verdict.strip() == "yes"), domain
    listed = text.split("The default list:", 1)[1].split("A workspace can replace", 1)[0]
    assert tuple(re.findall(r"`([^`]+)`", listed)) == DEFAULT_JUNK_PATTERNS
