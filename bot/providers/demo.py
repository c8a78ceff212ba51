"""The ``demo`` provider: believable sample data for any keyword, with no keys and no network.

It is the embedded default, so a team can try linkgap before buying an API
plan. Every answer is generated from seeds taken through hashlib (never
Python's per-process ``hash()``) from the keyword, country, language and URLs:
the same inputs give the same report in any process. The numbers follow the
niche the keyword hints at (page-one medians from ~76 referring domains in
apparel to ~3,000 in finance), and the data carries what real exports carry:
platforms and gov/edu pages among the results, junk and spam among the links,
and domains shared between competitors so the link intersect finds prospects.

Counts are drawn per page from a log-normal around the niche median (a long
right tail, softly compressed above 2.5 times the median so a list stays a few
thousand domains), site ratings follow the page's referring domains (as they do
in real data: strong pages sit on strong sites), and no two pages of one results
page share a count, by construction: a drawn count already taken moves to the
next free one.

A results page cannot know the user's page from the keyword alone, so the
target comes from ``SerpQuery.target_url`` when the query has one, else from
``DemoProvider.target_url``. Referring-domain answers follow the last results
page generated (its niche and its pool of shared linking domains).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.gap.domains import registrable_domain
from bot.gap.junk_names import JunkNames
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.settings import DEFAULT_JUNK_PATTERNS
from bot.gap.urls import host_of, is_homepage, normalise_url
from bot.providers import demo_data as data
from bot.providers.base import ProviderUsage, SerpQuery

_MAX_DEPTH = 100
_JUNK_NAMES = JunkNames(DEFAULT_JUNK_PATTERNS)
_HINTS = {
    n.name: re.compile(r"\b(?:" + "|".join(re.escape(h) for h in n.hints) + r")(?:s|es)?\b")
    for n in data.NICHES
}
_FIRST_PARTS = data.LINKER_WORDS + data.FIRST_NAMES
_SECOND_PARTS = data.LINKER_WORDS + data.LINKER_TAILS


def _seed(*parts: str) -> int:
    """A stable 64-bit seed: identical in every process, unlike the built-in ``hash()``."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _rng(*parts: str) -> random.Random:
    return random.Random(_seed(*parts))


def niche_for(text: str) -> data.Niche:
    """The niche a keyword (or URL) hints at; ties go to the niche listed first; else general."""
    words = " ".join(re.split(r"[^a-z0-9]+", text.casefold()))
    best, best_hits = data.GENERAL, 0
    for niche in data.NICHES:
        hits = len(_HINTS[niche.name].findall(words))
        if hits > best_hits:
            best, best_hits = niche, hits
    return best


@dataclass(frozen=True, slots=True)
class _Context:
    """What every answer about one results page depends on."""

    keyword: str
    country: str
    niche: data.Niche


@dataclass(frozen=True, slots=True)
class _Plan:
    """How many quality referring domains one page gets, and how many come from the shared pool."""

    quality: int
    pool_share: float


@dataclass(frozen=True, slots=True)
class _Pool:
    """Linking domains shared by one results page: popular hubs, the long tail, link farms."""

    core: tuple[str, ...]
    rest: tuple[str, ...]
    farms: tuple[str, ...]


@lru_cache(maxsize=16)
def _suffix_slots(country: str) -> tuple[str, ...]:
    """The country's site suffixes, each repeated by its weight: one index picks by weight."""
    key = data.SUFFIX_ALIASES.get(country, country)
    pairs = data.SUFFIX_WEIGHTS.get(key) or data.SUFFIX_WEIGHTS["us"]
    return tuple(suffix for suffix, weight in pairs for _ in range(weight))


@lru_cache(maxsize=1 << 18)
def _profile(name: str) -> tuple[float | None, bool, float | None]:
    """Rating, spam flag and spam score of a linking domain: a function of its name alone,
    so a domain looks the same on every page and in every process."""
    h = zlib.crc32(name.encode("utf-8"))
    bucket, u = h % 100, ((h >> 8) % 10007) / 10007
    if bucket < 3:
        return float(round(4 + 40 * u)), True, None
    if bucket < 6:
        return float(round(3 + 30 * u)), False, float(60 + (h >> 4) % 40)
    if bucket < 20:
        return float((h >> 8) % 10), False, None
    if bucket < 24:
        return None, False, None
    score = float((h >> 4) % 35) if bucket < 40 else None
    return float(round(10 + 85 * u**1.8)), False, score


def _is_quality(profile: tuple[float | None, bool, float | None]) -> bool:
    rating, spam, score = profile
    return not spam and (score is None or score < 60) and (rating is None or rating >= 10)


def _fresh_names(rng: random.Random, ctx: _Context, count: int, taken: set[str]) -> list[str]:
    """``count`` new plausible site names (``mapleherald.co.uk``) not in ``taken``.

    One random draw is split into the name's parts: a finance results page needs
    tens of thousands of names, and per-part ``rng.choice`` calls were the hot spot.
    """
    firsts, seconds = _FIRST_PARTS + ctx.niche.words, _SECOND_PARTS
    ends = _suffix_slots(ctx.country)
    out: list[str] = []
    draw, junk = rng.getrandbits, _JUNK_NAMES.match
    for _ in range(count * 2 + 20):
        if len(out) >= count:
            break
        rest, i = divmod(draw(48), len(firsts))
        rest, j = divmod(rest, len(seconds))
        rest, k = divmod(rest, len(ends))
        first, second = firsts[i], seconds[j]
        name = f"{first}{'-' if rest % 10 == 0 else ''}{second}.{ends[k]}"
        if first == second or name in taken or junk(name):
            continue
        taken.add(name)
        out.append(name)
    return out


def _junk_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Link-farm and throwaway names: a junk pattern in the name, or a spam-prone suffix."""
    out: list[str] = []
    for _ in range(count * 3):
        if len(out) >= count:
            break
        word = rng.choice(data.LINKER_WORDS)
        if rng.random() < 0.55:
            name = f"{rng.choice(data.JUNK_PREFIXES)}-{word}.{rng.choice(('com', 'net', 'org'))}"
        else:
            name = f"{word}{rng.choice(data.LINKER_TAILS)}.{rng.choice(data.SPAM_SUFFIXES)}"
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


@lru_cache(maxsize=32)
def _pool(ctx: _Context) -> _Pool:
    """The linking domains of a niche's results page that several competitors share."""
    rng = _rng("pool", ctx.keyword, ctx.country, ctx.niche.name)
    size = max(40, round(ctx.niche.median * 1.1))
    taken: set[str] = set()
    names = [n for n in _fresh_names(rng, ctx, size * 3 // 2, taken) if _is_quality(_profile(n))]
    # Popular hubs first: the better-rated sites that link to many pages in a niche.
    names.sort(key=lambda n: -(_profile(n)[0] or 0.0) * rng.random())
    names = names[:size]
    core = max(8, size // 5)
    farms = list(data.JUNK_FARM_NAMES) + _junk_names(rng, 30, set(data.JUNK_FARM_NAMES))
    return _Pool(tuple(names[:core]), tuple(names[core:]), tuple(farms))


def _tail_limit(ctx: _Context) -> int:
    """Where the long right tail starts being compressed (logarithmically, never cut off)."""
    return max(600, round(ctx.niche.median * 2.5))


def _draw_count(ctx: _Context, expected: float) -> int:
    """A page's quality referring domains from its expected count: above ``_tail_limit`` the
    excess grows with half its logarithm, so the strongest finance page stays a list of some
    ten thousand domains while distinct draws stay distinct."""
    limit = _tail_limit(ctx)
    if expected <= limit:
        return max(0, round(expected))
    return round(limit * (1 + 0.5 * math.log(expected / limit)))


def _distinct(count: int, taken: set[int]) -> int:
    """``count``, or the next count up that no other page of the results page has."""
    while count in taken:
        count += 1
    taken.add(count)
    return count


def _rating_for(count: int, rng: random.Random) -> float:
    """A site rating that follows the page's referring domains, with the spread of real sites:
    about 38 for a page with 76, 64 for one with 3,000, rarely under 10 or over 90."""
    return float(min(92, max(4, round(8 + 16 * math.log10(count + 1) + rng.gauss(0, 6)))))


def _rating_weight(rating: float) -> float:
    """How a site's rating scales its pages' referring domains: ×1 at 50, ×0.1 at 10."""
    return float(10 ** ((rating - 50) / 40))


def page_links(ctx: _Context, key: str, plan: _Plan) -> tuple[list[str], list[ReferringDomain]]:
    """The referring domains of one page: ``plan.quality`` quality domains plus 15-35% junk,
    as registrable names and as the entries a tool would export."""
    rng = _rng("page", ctx.keyword, ctx.country, key)
    pool = _pool(ctx)
    wanted = max(round(plan.quality * plan.pool_share), min(plan.quality, 2))
    shared = min(wanted, len(pool.core) + len(pool.rest))
    from_core = min(max(1, round(shared * 0.4)), len(pool.core), shared)
    quality = rng.sample(pool.core, from_core) + rng.sample(pool.rest, shared - from_core)
    taken = set(quality)
    junk: list[str] = []
    while len(quality) < plan.quality:
        need = plan.quality - len(quality)
        for name in _fresh_names(rng, ctx, need + need // 4 + 2, taken):
            if not _is_quality(_profile(name)):
                junk.append(name)
            elif len(quality) < plan.quality:
                quality.append(name)
    share = rng.uniform(0.15, 0.35)
    junk_count = round(plan.quality * share / (1 - share)) + (1 if rng.random() < 0.5 else 0)
    farms = rng.sample(pool.farms, min(len(pool.farms), round(junk_count * 0.3)))
    taken.update(farms)
    junk = farms + junk[: max(0, round(junk_count * 0.45))]
    junk += _junk_names(rng, junk_count - len(junk), taken)
    names = quality + junk
    return names, _entries(rng, names, _LinkTexts(ctx.keyword, key), followed_first=len(quality))


#: Words of off-topic linking pages (a site's posts about something else).
_OFF_TOPIC = ("recipes", "travel", "budget", "garden", "parenting", "podcast", "events",
              "photography", "home-office", "weekend", "books", "local-news")  # fmt: skip
_ON_TOPIC_TAILS = ("guide", "review", "tested", "2026", "tips", "for-beginners", "compared")


class _LinkTexts:
    """The linking page, anchor and title a page's referring domain links with.

    About 60% of the links come from a post about the keyword (its words in the
    URL, so the sample web serves it on topic), the rest from posts about
    something else; about 85% are followed. Drawn from a generator of their
    own so the domains and counts stay what they were.
    """

    def __init__(self, keyword: str, page_key: str) -> None:
        self.rng = _rng("link-texts", keyword, page_key)
        self.words = _Words(keyword or "guide")

    def link(self, host: str) -> tuple[str, str, str, bool]:
        roll = self.rng.random()
        w = self.words
        if roll < 0.6:
            tail = _ON_TOPIC_TAILS[int(roll * 1000) % len(_ON_TOPIC_TAILS)]
            slug, title = f"{w.slug}-{tail}", f"{w.title}: {tail.replace('-', ' ')}"
            anchors = (w.lower, f"{w.topic.lower()} {tail.split('-')[0]}", host, "this review")
        else:
            topic = _OFF_TOPIC[int(roll * 1000) % len(_OFF_TOPIC)]
            slug, title = f"{topic}-roundup", f"{topic.replace('-', ' ').title()} roundup"
            anchors = (host, "here", f"https://{host}", w.lower)
        anchor = anchors[int(roll * 10_000) % len(anchors)]
        return f"https://{host}/blog/{slug}", anchor, title, self.rng.random() < 0.85


def _entries(
    rng: random.Random,
    names: list[str],
    texts: _LinkTexts | None = None,
    *,
    followed_first: int = 0,
) -> list[ReferringDomain]:
    """One entry per domain under a realistic host, a few domains twice (``www.`` and bare),
    sorted by rating, unrated last, as the tools export them. Written for speed: a finance
    results page asks for some 40,000 entries. With ``texts``, each entry names the page
    it links from (as a backlinks report does). The first ``followed_first`` names (the
    page's planned quality domains) link with a followed link, so the planned quality count
    is the count an analysis finds; the others are followed about 85% of the time."""
    profiles = [_profile(name) for name in names]
    keys = [-(p[0] if p[0] is not None else -1.0) for p in profiles]
    subs, entries, roll_of = data.SUBDOMAINS, list[ReferringDomain](), rng.random
    for i in sorted(range(len(names)), key=keys.__getitem__):
        name, (rating, spam, score), roll = names[i], profiles[i], roll_of()
        if roll < 0.5:
            host = name
        elif roll < 0.88:
            host = "www." + name
        else:
            host = f"{subs[int(roll * 1000) % len(subs)]}.{name}"
        if texts is None:
            entries.append(ReferringDomain(host, rating, spam, score))
        else:
            url, anchor, title, followed = texts.link(host)
            followed = followed or i < followed_first
            entries.append(
                ReferringDomain(host, rating, spam, score, followed=followed, linking_url=url,
                                anchor=anchor, linking_title=title)
            )  # fmt: skip
        if roll > 0.93:
            other = name if host.startswith("www.") else "www." + name
            entries.append(ReferringDomain(other, rating, spam, score))
    return entries


@dataclass(frozen=True, slots=True)
class _Slot:
    """One generated result before its position is final."""

    url: str
    title: str
    rating: float
    #: ``page`` and ``home`` follow the position curve; ``platform`` and ``gov-edu`` do not.
    kind: str
    #: Multiplier of the niche median (before the position factor).
    weight: float


def _position_factor(position: int) -> float:
    """Positions 1-3 carry about 3.8x the referring domains of positions 4-10 (seed guide).

    With the log-normal noise of ``_serp_slots`` this puts the median comparable page
    of a niche on the niche's median (within ~10%, simulated over hundreds of keywords).
    """
    if position <= 3:
        return 2.6
    if position <= 10:
        return 0.78 - 0.025 * (position - 4)
    return max(0.2, 0.6 - 0.03 * (position - 10))


def _title_case(words: list[str]) -> str:
    return " ".join(
        w.upper() if w in data.ACRONYMS
        else w if i and w in data.SMALL_WORDS
        else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )  # fmt: skip


class _Words:
    """The keyword in the shapes URLs and titles need."""

    def __init__(self, keyword: str) -> None:
        ascii_kw = unicodedata.normalize("NFKD", keyword).encode("ascii", "ignore").decode()
        self.tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_kw.casefold()) if t] or ["guide"]
        self.slug = "-".join(self.tokens)
        self.question = self.tokens[0] in data.QUESTION_WORDS
        lead = self.tokens[0] in {"best", "top"} and len(self.tokens) > 1
        core = self.tokens[1:] if lead else self.tokens
        self.title = _title_case(self.tokens if self.question else core)
        self.lower = " ".join(core)
        topic = [t for t in core if t not in data.QUESTION_WORDS and t not in data.SMALL_WORDS]
        self.topic = _title_case(topic[-3:] or core)


def _publisher_name(rng: random.Random, ctx: _Context, taken: set[str]) -> tuple[str, str]:
    """A fictional brand or publisher (``stridelab.co.uk``) and its display name."""
    for attempt in range(60):
        first = rng.choice(ctx.niche.words if attempt < 40 else data.LINKER_WORDS)
        second = rng.choice(data.NAME_TAILS)
        name = f"{first}{second}.{rng.choice(_suffix_slots(ctx.country))}"
        if name not in taken and not _JUNK_NAMES.match(name):
            break
    taken.add(name)
    return name, first.capitalize() + second.capitalize()


def _inner_slot(rng: random.Random, ctx: _Context, w: _Words, taken: set[str], home: bool) -> _Slot:
    name, brand = _publisher_name(rng, ctx, taken)
    host = ("www." if rng.random() < 0.55 else "") + name
    rating = 0.0  # set in ``serp`` from the page's drawn count (``_rating_for``)
    if home:
        title = rng.choice(data.HOME_TITLES).format(brand=brand, kw=w.title)
        return _Slot(f"https://{host}/", title, rating, "home", 1.0)
    on_topic = [s for s in ctx.niche.sections if any(t in s for t in w.tokens)]
    section = rng.choice(on_topic if on_topic and rng.random() < 0.6 else ctx.niche.sections)
    variants = [w.slug, w.slug, f"{w.slug}-guide"]
    if not w.question and w.tokens[0] not in {"best", "top"}:
        variants += [f"best-{w.slug}", f"how-to-choose-{w.slug}"]
    slug, shape = rng.choice(variants), rng.random()
    path = f"/{slug}/" if shape < 0.25 else f"/{section}/{slug}"
    if shape > 0.8 and w.tokens[-1] not in section:
        path = f"/{section}/{w.tokens[-1]}/{slug}"
    titles = data.QUESTION_TITLES if w.question else data.INNER_TITLES
    count = rng.choice((7, 8, 10, 11, 12, 15, 20))
    title = rng.choice(titles).format(n=count, kw=w.title, brand=brand)
    return _Slot(f"https://{host}{path}", title, rating, "page", 1.0)


def _platform_slot(rng: random.Random, ctx: _Context, w: _Words, platform: str) -> _Slot:
    url, title = data.PLATFORM_PAGES[platform]
    first = rng.choice(data.FIRST_NAMES)
    fields = {
        "amazon": data.AMAZON_HOSTS.get(ctx.country, "amazon.com"), "plus": "+".join(w.tokens),
        "sub": rng.choice(ctx.niche.subreddits), "rid": f"{rng.getrandbits(30):x}"[:6],
        "under": "_".join(w.tokens), "vid": "".join(rng.choices(_VIDEO_ID, k=11)),
        "wiki": w.topic.capitalize().replace(" ", "_"), "wikititle": w.topic.capitalize(),
        "dash": "-".join(t.capitalize() for t in w.lower.split()), "slug": w.slug,
        "num": rng.randint(900000000, 999999999), "num2": rng.randint(1000000, 9999999),
        "first": first, "First": first.capitalize(), "tail": rng.choice(data.LINKER_TAILS),
        "hexid": f"{rng.getrandbits(48):012x}", "kw": w.title, "lower": w.lower,
        "n": rng.choice((25, 30, 50)),
    }  # fmt: skip
    weight = data.PLATFORM_WEIGHT[platform] * math.exp(rng.gauss(0, 0.6))
    rating = data.PLATFORM_RATING[platform]
    return _Slot(url.format(**fields), title.format(**fields), rating, "platform", weight)


_VIDEO_ID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _gov_edu_slot(rng: random.Random, ctx: _Context, w: _Words) -> _Slot:
    uk, au = ctx.country in {"uk", "gb"}, ctx.country == "au"
    section = rng.choice(ctx.niche.sections)
    if rng.random() < 0.5:
        agency = rng.choice(data.AGENCY_WORDS) + rng.choice(("info", "facts", "advice"))
        suffix = "gov.uk" if uk else "gov.au" if au else "gov"
        url = f"https://www.{agency}.{suffix}/{section}/{w.slug}"
        title = f"{w.title} | {agency.capitalize()}"
        rating = 86.0 + rng.randint(0, 6)
    else:
        uni = rng.choice(data.UNIVERSITY_WORDS)
        host = f"www.{uni}.ac.uk" if uk else f"www.{uni}.edu.au" if au else f"extension.{uni}.edu"
        url = f"https://{host}/{section}/{w.slug}"
        title = f"{w.title} - {uni.capitalize()} University"
        rating = 78.0 + rng.randint(0, 10)
    return _Slot(url, title, rating, "gov-edu", 0.5 * math.exp(rng.gauss(0, 0.6)))


def _serp_slots(ctx: _Context, language: str, count: int, home_mode: bool) -> list[_Slot]:
    """``count`` results for the keyword: mostly publishers, one or two platforms, sometimes a
    gov/edu page, sometimes a homepage (inner pages when the target is a homepage).

    Page one is always drawn first and in order, so a deeper query only adds results
    below it: depth 5 is the top of depth 10, and depth 10 the top of depth 20.
    """
    rng = _rng("serp", ctx.keyword, ctx.country, language, "home" if home_mode else "inner")
    w, taken = _Words(ctx.keyword), set[str]()
    kinds = ["page"] * 11
    platforms = rng.sample(ctx.niche.platforms, rng.choice((1, 1, 2, 2, 2)))
    spots = rng.sample(range(10), len(platforms) + 2)
    for spot, platform in zip(spots, platforms, strict=False):
        kinds[spot] = platform
    extra = spots[len(platforms) :]
    if rng.random() < ctx.niche.gov_edu_chance:
        kinds[extra[0]] = "gov-edu"
    if rng.random() < 0.35 and not home_mode:
        kinds[extra[1]] = "home"
    mood = math.exp(rng.gauss(0, 0.35))  # some keywords are harder than their niche
    slots: list[_Slot] = []
    for index in range(count):
        kind = kinds[index] if index < len(kinds) else "page"
        if index >= len(kinds) and rng.random() < 0.1:
            kind = rng.choice(ctx.niche.platforms)
        if kind == "gov-edu":
            slot = _gov_edu_slot(rng, ctx, w)
        elif kind in data.PLATFORM_PAGES:
            slot = _platform_slot(rng, ctx, w, kind)
        else:
            home = kind == "home" or (home_mode and rng.random() < 0.85)
            slot = _inner_slot(rng, ctx, w, taken, home)
            # Homepages gather links site-wide; against a homepage target they are the norm.
            boost = (1.5 if home_mode else 2.5) if home else 1.0
            slot = _Slot(slot.url, slot.title, slot.rating, slot.kind,
                         mood * boost * math.exp(rng.gauss(0, 0.7)))  # fmt: skip
        slots.append(slot)
    return slots


class DemoProvider:
    """Generated sample data for any keyword: no keys, no network, no cost.

    ``target_url`` (or ``SerpQuery.target_url`` when the query carries one)
    lets the user's page rank on the generated results page some of the time,
    and turns the results into homepages when the target is a homepage.
    """

    name = "demo"
    sample_data = True

    def __init__(self, target_url: str | None = None) -> None:
        self.usage = ProviderUsage()
        self.target_url = target_url
        self._context: _Context | None = None
        self._plans: dict[str, tuple[_Context, _Plan]] = {}
        self._ratings: dict[str, float] = {}
        self._lists: dict[tuple[_Context, str], tuple[list[str], list[ReferringDomain]]] = {}
        #: The counts each results page's pages have, so a page outside it gets another one.
        self._counts: dict[_Context, set[int]] = {}

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        keyword = " ".join(query.keyword.casefold().split())
        country = query.country.strip().lower() or "us"
        ctx = _Context(keyword, country, niche_for(keyword))
        self._context = ctx
        depth = max(0, min(query.depth, _MAX_DEPTH))
        target = getattr(query, "target_url", None) or self.target_url
        target = target.strip() if isinstance(target, str) and target.strip() else None
        slots = _serp_slots(ctx, query.language.strip().lower(), depth + 1,
                            target is not None and is_homepage(target))  # fmt: skip
        if target is not None:
            rng = _rng("rank", keyword, country, normalise_url(target))
            if rng.random() < 0.45:
                position = rng.choice((6, 7, 8, 9) * 6 + (3, 4, 5, 10))
                w = _Words(keyword)
                title = f"{w.title} | {host_of(target).split('.')[0].capitalize()}"
                rating = self._site_rating(target)
                weight = 0.8 * _rating_weight(rating) * math.exp(rng.gauss(0, 0.4))
                slots.insert(position - 1, _Slot(target, title, rating, "target", weight))
        results: list[SerpResult] = []
        taken = self._counts[ctx] = set()
        for position, slot in enumerate(slots[:depth], start=1):
            ranked = slot.kind in {"page", "home", "target"}
            curve = _position_factor(position) if ranked else 1.0
            quality = _distinct(_draw_count(ctx, ctx.niche.median * slot.weight * curve), taken)
            rating = slot.rating
            if slot.kind in {"page", "home"}:
                rating = _rating_for(quality, _rng("rating", ctx.keyword, slot.url))
            share = 0.1 if slot.kind == "platform" else 0.3
            self._plans[normalise_url(slot.url)] = (ctx, _Plan(quality, share))
            if slot.kind != "target":
                self._ratings[registrable_domain(host_of(slot.url))] = rating
            results.append(SerpResult(position, slot.url, slot.title, rating))
        return results

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        return {url: list(self._page(url)[1]) for url in urls}

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """The page's own referring domains, part of the shared pool (so some prospects are
        warm) and a long tail sized by the site's rating."""
        ctx = self._context_for(url)
        site = registrable_domain(host_of(url))
        rng = _rng("site", ctx.keyword, ctx.country, site)
        linked, own = self._page(url)
        pool = _pool(ctx)
        everyone = pool.core + pool.rest
        warm = rng.sample(everyone, min(len(everyone), max(3, len(everyone) // 10)))
        taken = set(linked) | set(warm)
        size = min(5000, round(10 ** (0.9 + self._site_rating(url) / 28)))
        tail = _fresh_names(rng, ctx, max(0, size - len(taken)), taken)
        return own + _entries(rng, [n for n in warm if n not in linked] + tail)

    def domain_rating(self, url: str) -> float | None:
        return self._site_rating(url)

    def organic_traffic(self, url: str) -> float | None:
        """Monthly organic visits that grow with the site's rating, from its name alone.

        Junk names (a junk pattern or a spam-prone suffix) and very weak sites
        (rating under 10) get none, and about half of the weak ones (under 25)
        none either, as link farms and abandoned blogs do in real data; every
        established site gets some, so the zero-traffic warning shows up only
        where a reviewer would expect it.
        """
        domain = registrable_domain(host_of(url))
        if _JUNK_NAMES.match(domain) or domain.rsplit(".", 1)[-1] in data.SPAM_SUFFIXES:
            return 0.0
        rating = self._site_rating(url)
        rng = _rng("organic-traffic", domain)
        if rating < 10 or (rating < 25 and rng.random() < 0.5):
            return 0.0
        return float(round(10 ** (rating / 20 + rng.uniform(0.5, 1.5))))

    def _site_rating(self, url: str) -> float:
        """Competitors keep the rating shown in the results; the user's site gets a stable
        rating from its name, weak (under 30) about 40% of the time."""
        domain = registrable_domain(host_of(url))
        if domain in self._ratings:
            return self._ratings[domain]
        label = domain.split(".", 1)[0]
        if label in data.PLATFORM_RATING:
            return data.PLATFORM_RATING[label]
        rng = _rng("site-rating", domain)
        return float(round(rng.uniform(4, 28) if rng.random() < 0.4 else rng.uniform(30, 82)))

    def _context_for(self, url: str) -> _Context:
        """The last results page's context; without one, the niche the URL's words hint at."""
        if self._context is not None:
            return self._context
        return _Context("", "us", niche_for(url))

    def _page(self, url: str) -> tuple[list[str], list[ReferringDomain]]:
        key = normalise_url(url)
        ctx, plan = self._plans.get(key) or (self._context_for(url), None)
        if plan is None:
            # A page outside the results (the target when it does not rank): a weaker profile,
            # scaled by its site's rating, and a count no ranking page has.
            rng = _rng("offpage", ctx.keyword, ctx.country, key)
            weight = 0.4 * _rating_weight(self._site_rating(url)) * math.exp(rng.gauss(0, 0.6))
            expected = ctx.niche.median * weight
            count = _distinct(_draw_count(ctx, expected), self._counts.setdefault(ctx, set()))
            plan = _Plan(count, 0.3)
            self._plans[key] = (ctx, plan)
        cached = self._lists.get((ctx, key))
        if cached is None:
            cached = self._lists[(ctx, key)] = page_links(ctx, key, plan)
        return cached
