"""The demo's sample web: every page fetch of the demo answered in the process, no network.

The socket guard refuses every ``connect`` and every name lookup; the demo's analysis and
vetting still fetch and read pages (through ``SafeFetcher`` and its checks), and the
relevance check scores an on-topic and an off-topic prospect differently.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli import main
from bot.errors import FetchRefused
from bot.services.placements import page_links_to
from bot.web.fetcher import SafeFetcher
from bot.web.fetchers import fetcher_for
from bot.web.html import parse_html
from bot.web.sample_web import SampleWeb, topic_words

from . import ConnectionSpy

TARGET = "https://www.example.com/trail-shoes"
RUNNING = "https://www.runnersweekly.com/trail-running-shoes-review"
RECIPE = "https://sourdoughkitchen.com/recipes/starter"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> ConnectionSpy:
    """Refuse (and record) every socket connect and every DNS lookup."""
    spy = ConnectionSpy()
    spy.install(monkeypatch)

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        spy.attempts.append(f"dns:{host}")
        raise socket.gaierror(socket.EAI_NONAME, "the test refused a DNS lookup")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return spy


@pytest.fixture
def local_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.delenv("LINKGAP_PROVIDER", raising=False)


def sample_fetcher() -> SafeFetcher:
    fetcher = fetcher_for(True, lambda: [TARGET])
    assert isinstance(fetcher, SafeFetcher)
    return fetcher


def test_a_url_s_words_are_its_topic() -> None:
    assert topic_words(RECIPE) == ["recipes", "starter", "sourdough", "kitchen"]
    assert topic_words(RUNNING)[:3] == ["trail", "running", "shoes"]


def test_a_site_name_splits_into_words_only_when_known_words_cover_it() -> None:
    # "runnersweekly" is runners + weekly; "example" is not an "exam" and a "ple".
    assert topic_words("https://www.runnersweekly.com/")[-2:] == ["runners", "weekly"]
    assert topic_words("https://www.example.com/") == ["example"]


def test_an_article_s_menu_is_the_homepage_and_sections_not_other_articles(
    no_network: ConnectionSpy,
) -> None:
    """Only an article's text links to another article, so some on-topic pages do not link
    to the target: the internal link opportunities a demo report shows."""
    web = SampleWeb(lambda: [TARGET], lambda: ["trail running shoes"])
    pages = web.site_pages("https://www.example.com")
    assert TARGET in pages[:10]  # a menu of the first ten pages would link every page to it
    with httpx.Client(transport=web) as client:
        article = client.get(next(p for p in pages if "/blog/" in p)).text
        home = client.get("https://www.example.com/").text
    menu = article[article.index("<nav>") : article.index("</nav>")]
    assert re.findall(r'href="([^"]+)"', menu)
    assert all(href.endswith("/") for href in re.findall(r'href="([^"]+)"', menu))
    assert TARGET in home[home.index("<nav>") : home.index("</nav>")]
    assert no_network.attempts == []


def test_pages_are_about_their_url_and_the_same_in_every_fetch(no_network: ConnectionSpy) -> None:
    fetcher = sample_fetcher()
    recipe = parse_html(fetcher.fetch(RECIPE).text, RECIPE)
    assert "Recipes Starter Sourdough Kitchen" in recipe.title
    assert "sourdough" in recipe.main_text
    assert "running" not in recipe.main_text
    assert recipe.word_count > 300
    assert fetcher.fetch(RECIPE).text == sample_fetcher().fetch(RECIPE).text
    assert "Sample data" in fetcher.fetch(RECIPE).text
    assert no_network.attempts == []


def test_on_topic_pages_link_to_the_target_and_off_topic_ones_do_not(
    no_network: ConnectionSpy,
) -> None:
    assert page_links_to(sample_fetcher(), RUNNING, TARGET)[0] is True
    found, links = page_links_to(sample_fetcher(), RECIPE, TARGET)
    assert found is False
    assert links > 3  # it has links, just none to the target
    assert no_network.attempts == []


def test_every_site_has_robots_and_a_sitemap_listing_the_target(no_network: ConnectionSpy) -> None:
    web = SampleWeb(lambda: [TARGET])
    with httpx.Client(transport=web) as client:
        robots = client.get("https://www.example.com/robots.txt")
        sitemap = client.get("https://www.example.com/sitemap.xml")
    assert "Sitemap: https://www.example.com/sitemap.xml" in robots.text
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"<loc>{TARGET}</loc>" in sitemap.text
    assert sitemap.text.count("<loc>") >= 8
    assert no_network.attempts == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://www.example.com/x", "must start with http"),
        ("https://www.example.com:8080/x", "port 8080"),
        ("https://user:secret@www.example.com/x", "user name or password"),
    ],
)
def test_the_fetcher_s_url_checks_still_apply(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match=reason):
        sample_fetcher().fetch(url)


def test_real_data_keeps_the_network_fetcher() -> None:
    fetcher = fetcher_for(False)
    assert isinstance(fetcher, SafeFetcher)
    assert fetcher._transport is None


def test_the_demo_analysis_and_vetting_open_no_socket(
    no_network: ConnectionSpy, local_database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", "trail running shoes", TARGET]) == 0
    report = capsys.readouterr().out
    assert "could not be fetched" not in report

    fits = {}
    for prospect in (RUNNING, RECIPE):
        args = ["vet", prospect, TARGET, "--anchor", "trail shoes guide"]
        assert main([*args, "--keyword", "trail running shoes", "--json"]) == 0
        checks = json.loads(capsys.readouterr().out)["checks"]
        fits[prospect] = next(c for c in checks if c["name"] == "topical-fit")
    assert fits[RUNNING]["verdict"] == "pass"
    assert fits[RECIPE]["verdict"] == "fail"
    assert "Relevance 0.00" in fits[RECIPE]["reason"]
    assert no_network.attempts == []


def test_a_private_address_is_refused_even_by_the_sample_web() -> None:
    with pytest.raises(FetchRefused, match="private or reserved"):
        sample_fetcher().fetch("http://169.254.169.254/latest/meta-data/")
