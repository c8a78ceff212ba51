"""The demo's sample web: every page fetch answered inside the process, never by the network.

With the ``demo`` provider, the own-page audit, vetting's relevance check, live checks and
crawls of your own site still fetch pages, through ``SafeFetcher`` and all its checks, but the
fetcher's transport is ``SampleWeb``: no DNS lookup, no socket. Pages are generated from the
URL with the demo's seeds, so the same URL is the same page in every process:

- a page's topic follows the words of its URL (``sourdoughkitchen.com/recipes/starter`` is a
  recipe page, ``runnersweekly.com/trail-running-shoes-review`` a running page), so a user can
  try on- and off-topic prospects by choosing the URL, and topical fit gives a real score;
- a page links to the known target pages (the pages being analysed or vetted, and tracked
  campaigns' pages) that share a topic word with it, and not to the others, so a live check
  of an on-topic page finds its link and one of an off-topic page does not;
- every site has ``/robots.txt`` and ``/sitemap.xml`` listing its pages, a known target on
  that site among them;
- the site of a known target also has pages about the keywords being analysed
  (``/blog/trail-running-shoes-care``), and a page of that site links to the target only
  when it shares a topic word with it and a coin seeded by the two addresses says so, so a
  crawl of the site finds pages that link to the target and pages that mention the keyword
  without linking (internal support and its opportunities).

Every page says in its footer that it is sample data.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import urlsplit

import httpx

from bot.providers import demo_data as data
from bot.providers.demo import niche_for

#: URL words that say nothing about a page's topic.
_NOISE = frozenset(
    {
        "www", "com", "org", "net", "co", "uk", "io", "html", "htm", "php", "index", "page",
        "blog", "post", "posts", "article", "articles", "review", "reviews", "guide", "guides",
        "best", "top", "the", "and", "for", "how", "to", "of", "in", "a", "my", "your", "our",
        "news", "amp", "en", "us", "p", "id", "vs",
    }
)  # fmt: skip
#: Known words a run-together host label is split into (``sourdoughkitchen`` → sourdough kitchen).
_VOCABULARY = tuple(
    sorted(
        {
            word
            for niche in (*data.NICHES, data.GENERAL)
            for phrase in (*niche.hints, *niche.words, *niche.sections)
            for word in re.split(r"[^a-z0-9]+", phrase)
            if len(word) >= 3
        }
        | {"sourdough", "runners", "running", "weekly", "daily", "kitchen", "trail", "shoes"},
        key=len,
        reverse=True,
    )
)
_SENTENCES = (
    "{Topic} is what our readers ask about most, so we tested it the slow way.",
    "We compared {a}, {b} and {c} over several weeks before writing a word about {topic}.",
    "If you are new to {topic}, start with {a}; the rest follows once that is settled.",
    "Most guides to {topic} skip {b}, which is where people usually go wrong.",
    "Our {section} team keeps this page on {topic} up to date as {c} changes.",
    "Prices and details for {a} vary by region, so check locally before you decide.",
    "Here is what we would do differently with {b} next time, and why {c} matters more.",
    "Readers who care about {topic} also told us what they think of {a} and {b}.",
)


#: The pages a target's site has about each keyword being analysed (``/blog/<keyword>-care``).
_TOPIC_PAGES = ("care", "buying-guide", "mistakes", "faq", "sizing", "history")


def _rng(*parts: str) -> random.Random:
    """A generator seeded through hashlib, identical in every process (not ``hash()``)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _split_label(label: str) -> list[str]:
    """A host label as words: on hyphens, then known words run together (greedy, longest).

    A part splits only when known words cover all of it (``runnersweekly`` is
    runners + weekly); ``example`` stays one word rather than an *exam* and a
    *ple* that would make the site look like a school's.
    """
    words: list[str] = []
    for part in label.split("-"):
        pieces: list[str] = []
        rest = part
        while rest:
            found = next((w for w in _VOCABULARY if rest.startswith(w)), None)
            if found is None:
                pieces = [part]
                break
            pieces.append(found)
            rest = rest[len(found) :]
        words.extend(pieces)
    return words


def topic_words(url: str) -> list[str]:
    """The words that say what a page is about: its path first, then its site's name."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").removeprefix("www.")
    path_words = [w for w in re.split(r"[^a-z0-9]+", parts.path.casefold()) if w]
    host_words = _split_label(host.split(".", 1)[0]) if host else []
    words = [w for w in (*path_words, *host_words) if w not in _NOISE and not w.isdigit()]
    return list(dict.fromkeys(words))


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def shares_topic(first: str, second: str) -> bool:
    """Whether two pages' URLs share a topic word (plural or not)."""
    return bool({_stem(w) for w in topic_words(first)} & {_stem(w) for w in topic_words(second)})


class SampleWeb(httpx.BaseTransport):
    """An ``httpx`` transport that answers every request with a generated page of the demo.

    ``targets`` returns the target pages known now (read on every request, so campaigns
    tracked later count); a page links to those that share a topic word with it.
    ``topics`` returns the keywords being analysed: a target's site has pages about them.
    """

    def __init__(
        self,
        targets: Callable[[], Iterable[str]] = tuple,
        topics: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        self._targets = targets
        self._topics = topics

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None, fragment=None))
        path = request.url.path
        if path == "/robots.txt":
            body = f"User-agent: *\nAllow: /\nSitemap: {self._origin(request)}/sitemap.xml\n"
            return _answer(body, "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return _answer(self.sitemap(request), "application/xml; charset=utf-8")
        return _answer(self.page(url), "text/html; charset=utf-8")

    @staticmethod
    def _origin(request: httpx.Request) -> str:
        return f"{request.url.scheme}://{request.url.host}"

    def site_pages(self, origin: str) -> list[str]:
        """The pages of one site, in its sitemap's order: the homepage, section pages and
        articles in the site's topic, and any known target page on the site."""
        words = topic_words(origin)
        niche = _niche(words)
        rng = _rng("sample-site", origin)
        topics = list(dict.fromkeys([*words, *niche.hints]))[:12]
        pages = [f"{origin}/"] + [f"{origin}/{section}/" for section in niche.sections]
        for topic in rng.sample(topics, min(len(topics), 8)):
            section = rng.choice(niche.sections)
            pages.append(f"{origin}/{section}/{topic.replace(' ', '-')}-guide")
        host = urlsplit(origin).hostname
        own_targets = [t for t in self._targets() if urlsplit(t).hostname == host]
        pages += [t for t in own_targets if t not in pages]
        if own_targets:
            for topic in self._topics():
                slug = "-".join(re.findall(r"[a-z0-9]+", topic.casefold()))[:60]
                pages += [f"{origin}/blog/{slug}-{suffix}" for suffix in _TOPIC_PAGES if slug]
        return list(dict.fromkeys(pages))

    def sitemap(self, request: httpx.Request) -> str:
        entries = "".join(
            f"<url><loc>{escape(page)}</loc></url>"
            for page in self.site_pages(self._origin(request))
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )

    def page(self, url: str) -> str:
        """One HTML page whose title, headings and text are about the words of its URL."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.hostname}"
        words = topic_words(url) or ["home"]
        niche = _niche(words)
        rng = _rng("sample-page", url)
        topic = " ".join(words[:4])
        vocabulary = [*words, *niche.hints] or [topic]
        fields = {
            "topic": topic,
            "Topic": topic[:1].upper() + topic[1:],
            "section": rng.choice(niche.sections).replace("-", " "),
        }
        paragraphs = []
        for _ in range(rng.randint(18, 40)):
            sentences = []
            for template in rng.sample(_SENTENCES, 4):
                a, b, c = (rng.choice(vocabulary) for _ in range(3))
                sentences.append(template.format(a=a, b=b, c=c, **fields))
            paragraphs.append(f"<p>{escape(' '.join(sentences))}</p>")
        title = f"{fields['Topic'].title()} | {(parts.hostname or '').removeprefix('www.')}"
        links = self._links(url, origin, rng)
        is_home = parts.path in ("", "/")
        kind = "website" if is_home else "article"
        return (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            f'<meta property="og:type" content="{kind}"></head><body>'
            f"<nav>{links['nav']}</nav><main><article>"
            f"<h1>{escape(fields['Topic'])}</h1>"
            f"<h2>What to know about {escape(topic)}</h2>{''.join(paragraphs)}"
            f"<p>Further reading: {links['out']}</p></article></main>"
            "<footer>Sample data: a page of linkgap's demo sample web, not a real site.</footer>"
            "</body></html>"
        )

    def _links(self, url: str, origin: str, rng: random.Random) -> dict[str, str]:
        """Navigation inside the site, and links out: to the known targets on the page's
        topic, and to a few other sample sites."""
        internal = [p for p in self.site_pages(origin) if p != url]
        if urlsplit(url).path not in ("", "/"):
            # Past the homepage the menu is the homepage and the sections, as on a real
            # site: an article reaches another article only through its text.
            internal = [p for p in internal if p.endswith("/")]
        nav = " ".join(f'<a href="{escape(p)}">{escape(p.rsplit("/", 2)[-2] or "home")}</a>'
                       for p in internal[:10])  # fmt: skip
        host = urlsplit(url).hostname
        out = [
            t
            for t in self._targets()
            if t != url
            and shares_topic(t, url)
            and (urlsplit(t).hostname != host or _rng("sample-internal", url, t).random() < 0.5)
        ]
        others = [f"https://www.{rng.choice(data.LINKER_WORDS)}{rng.choice(data.LINKER_TAILS)}.com/"
                  for _ in range(3)]  # fmt: skip
        anchors = " ".join(f'<a href="{escape(t)}">{escape(" ".join(topic_words(t)) or t)}</a>'
                           for t in (*out, *others))  # fmt: skip
        return {"nav": nav, "out": anchors}


def _answer(text: str, content_type: str) -> httpx.Response:
    """A 200 whose body is a stream, as a network answer is (the fetcher reads it in chunks)."""
    body = text.encode("utf-8")
    headers = {"content-type": content_type, "content-length": str(len(body))}
    return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))


def _niche(words: list[str]) -> data.Niche:
    return niche_for(" ".join(words))
