"""Linking pages as a backlinks export names them, for the link plan's benchmark.

The plan reads the topical fit of every prospect that could make its cut: the
vetting relevance of each linking page's title, anchor and URL words against
the keyword and the campaign's topic terms. How fast that is depends on what
the texts look like, so they are shaped after real exports (Ahrefs, DataForSEO,
Semrush backlinks), not after what any implementation finds easy:

* every link has its own linking URL (a path with a slug, sometimes an id,
  a date, a query string or a percent-encoded character), except that a site
  linking to several comparable pages does so from ONE roundup page in 60 %
  of cases, as "best trail running shoes" roundups do: one URL and title, an
  anchor per competitor;
* 85 % of links carry the linking page's title (Ahrefs' "Referring page
  title"; it is missing for some rows and for providers that do not give it);
* anchors are what sites write: the competitor's brand, a naked URL, "click
  here", "this review", a partial match ("trail shoes"), the exact keyword,
  and no anchor at all for image links (8 %);
* a quarter of the linking sites are about the topic (running and trail
  sites: their slugs and titles name trail running shoes, models, heel drop,
  cushioning), a fifth are near it (fitness, hiking, general running: marathon
  plans, hiking boots, running watches, which share words such as "running",
  "trail" or "shoes" with the keyword) and the rest are not (recipes, travel,
  software, finance, directories, scraper and aggregator pages, forum threads).
  A competitor's referring domains are mostly not topical: directories,
  aggregators, scrapers and general blogs link to whatever ranks, which is why
  the plan weighs topical fit at all. The shares are an assumption, not a
  measurement; ``ON_TOPIC_SHARE`` and ``NEAR_TOPIC_SHARE`` change them.

Every choice is drawn from a generator seeded by the domain (and the page), so
a domain keeps its site kind and roundup page across the ten tables and the
data is the same on every run.
"""

from __future__ import annotations

import random

#: What the benchmark's campaign is about (a real keyword, with topic terms as users set them).
KEYWORD = "trail running shoes"
TOPIC_TERMS = ("heel drop", "rock plate", "cushioning")
ON_TOPIC_SHARE = 0.25
NEAR_TOPIC_SHARE = 0.20
#: A site linking to several comparable pages links from one roundup page this often.
ROUNDUP_SHARE = 0.6
TITLE_SHARE = 0.85
IMAGE_LINK_SHARE = 0.08

BRANDS = (
    "RunRepeat",
    "Believe in the Run",
    "Trail Runner Magazine",
    "iRunFar",
    "REI Co-op",
    "Outside Online",
    "Runner's World",
    "Road Trail Run",
    "Doctors of Running",
    "Gear Lab",
)
MODELS = (
    "hoka speedgoat 6",
    "salomon sense ride 5",
    "la sportiva bushido iii",
    "altra lone peak 8",
    "brooks cascadia 18",
    "nike pegasus trail 5",
    "saucony peregrine 14",
    "inov-8 trailfly",
    "on cloudultra 2",
    "merrell agility peak 5",
    "new balance hierro v8",
    "topo mtn racer 3",
)
ON_TOPIC = (
    "best trail running shoes",
    "trail running shoes for beginners",
    "{model} review",
    "{model} vs {model2}",
    "how to choose trail shoes",
    "heel drop explained",
    "rock plate or not",
    "cushioned trail shoes tested",
    "best waterproof trail runners",
    "trail shoe rotation",
    "zero drop running shoes",
    "ultra running gear list",
    "road to trail transition",
    "trail running tips",
    "most comfortable running shoes",
    "running shoe cushioning guide",
    "wide toe box trail shoes",
    "trail racing flats",
)
NEAR_TOPIC = (
    "marathon training plan",
    "couch to 5k",
    "best running watches",
    "hiking boots guide",
    "knee pain after running",
    "best hiking trails in colorado",
    "gym shoes for lifting",
    "yoga for runners",
    "camping checklist",
    "running nutrition basics",
    "best walking shoes",
    "mountain biking for beginners",
    "half marathon pacing",
    "trail etiquette",
    "plantar fasciitis stretches",
    "ultralight backpacking",
    "strength training for runners",
)
OFF_TOPIC = (
    "easy weeknight recipes",
    "budget travel tips",
    "best vpn services",
    "seo tools compared",
    "wedding ideas",
    "home office setup",
    "crypto news today",
    "small business loans",
    "kitchen remodel cost",
    "dog training tips",
    "best laptops for students",
    "gift guide",
    "useful links",
    "resources",
    "partners",
    "sports directory",
    "weekly link roundup",
    "top 100 websites",
    "fashion week recap",
    "local news",
    "podcast episode {n}",
    "how to start a blog",
    "product hunt alternatives",
    "sneaker culture history",
)
GENERIC_ANCHORS = (
    "click here",
    "here",
    "this review",
    "read more",
    "source",
    "this article",
    "website",
    "link",
    "this guide",
    "learn more",
)
PARTIAL_ANCHORS = (
    "trail shoes",
    "these running shoes",
    "shoe reviews",
    "trail runners",
    "running shoe guide",
    "best trail running shoes",
    "trail running shoes",
    "heel drop",
    "cushioned shoes",
    "trail running",
)
SECTIONS = ("blog", "reviews", "gear", "news", "articles", "posts", "", "en/blog", "p", "stories")


def _kind(rng: random.Random) -> int:
    """0 on topic, 1 near it, 2 not."""
    draw = rng.random()
    return 0 if draw < ON_TOPIC_SHARE else 1 if draw < ON_TOPIC_SHARE + NEAR_TOPIC_SHARE else 2


def _topic(rng: random.Random, kind: int) -> str:
    phrase = rng.choice((ON_TOPIC, NEAR_TOPIC, OFF_TOPIC)[kind])
    models = rng.sample(MODELS, 2)
    return phrase.format(model=models[0], model2=models[1], n=rng.randrange(1, 400))


def _page(rng: random.Random, domain: str, kind: int) -> tuple[str, str | None]:
    """A linking page of a site of ``kind``: its URL and (usually) its title."""
    topic = _topic(rng, kind)
    slug = "-".join(topic.replace("'", "").split())
    if rng.random() < 0.2:
        slug += f"-{rng.choice(('2024', '2025', '2026'))}"
    shape = rng.random()
    section = rng.choice(SECTIONS)
    host = f"www.{domain}" if rng.random() < 0.5 else domain
    if shape < 0.08:
        path = f"/?p={rng.randrange(10**5)}"
    elif shape < 0.16:
        path = f"/{rng.randrange(2015, 2027)}/{rng.randrange(1, 13):02d}/{slug}/"
    elif shape < 0.22:
        path = f"/t/{slug}/{rng.randrange(10**6)}"
    elif shape < 0.25:
        path = f"/{section}/{slug.replace('-', '%20', 1)}"
    elif shape < 0.30:
        path = f"/{section}/{slug}?utm_source=newsletter&ref={rng.randrange(999)}"
    else:
        path = f"/{section}/{slug}".replace("//", "/")
    url = f"https://{host}{path}"
    if rng.random() >= TITLE_SHARE:
        return url, None
    site = domain.split(".")[0].replace("-", " ").title()
    title = topic.title() if rng.random() < 0.7 else topic.capitalize()
    if rng.random() < 0.3:
        title = f"The {rng.randrange(5, 25)} {title}"
    return url, f"{title} | {site}" if rng.random() < 0.6 else title


def _anchor(rng: random.Random, kind: int, page: int, competitor_url: str) -> str | None:
    draw = rng.random()
    if draw < IMAGE_LINK_SHARE:
        return None
    partial = (0.45, 0.2, 0.05)[kind]
    if draw < IMAGE_LINK_SHARE + partial:
        return rng.choice(PARTIAL_ANCHORS)
    draw = rng.random()
    if draw < 0.35:
        return BRANDS[page % len(BRANDS)]
    if draw < 0.55:
        return competitor_url if rng.random() < 0.5 else competitor_url.split("//")[1]
    return rng.choice(GENERIC_ANCHORS)


def linking_page(domain: str, page: int, competitor_url: str) -> tuple[str, str | None, str | None]:
    """(linking URL, anchor, title) of ``domain``'s link to comparable page number ``page``."""
    site = random.Random(domain)
    kind = _kind(site)
    roundup = site.random() < ROUNDUP_SHARE
    own = random.Random(f"{domain} {page}")
    url, title = _page(site if roundup else own, domain, kind)
    return url, _anchor(own, kind, page, competitor_url), title
