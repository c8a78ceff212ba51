"""Write a realistic Ahrefs backlinks export for the import benchmark.

One million rows in the column layout of Ahrefs' Site Explorer → Backlinks →
Export (the 36 columns of current exports, in their order: see ``HEADER``),
written the way Ahrefs writes it: every cell quoted (titles with commas and
doubled quotes), CRLF line ends, both lost columns (``Lost status`` and the
``Lost`` date, with rows where only the date is set, as for drop reasons
``tooold`` and ``nxdomain``), nofollow / UGC / sponsored marks, left and right
context text. 2,000 target pages on 200 sites (written with the http/https,
``www.``, trailing-slash and ad-click parameter variants real exports mix:
6,000 distinct target cells), sources on ~130,000 distinct hosts over ~90,000
registrable domains with subdomains and multi-part suffixes (``.co.uk``,
``.com.au``). UTF-8 with a BOM (Ahrefs' "UTF-8" choice, comma-separated) or
UTF-16 LE with a BOM (the "For Excel" choice, tab-separated). Seeded, so every
run writes the same file.

Run: ``python -m benchmarks.generate_ahrefs_export [--rows N] [--out PATH] [--utf16]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "ahrefs_backlinks_1m.csv"
DEFAULT_UTF16_PATH = DATA_DIR / "ahrefs_backlinks_1m_for_excel.csv"
DEFAULT_ROWS = 1_000_000

#: The columns of a Site Explorer → Backlinks export (2024-2025), in the order Ahrefs
#: writes them; the names and order as real exports carry them (published importers of
#: real files list the same set: the redirect chain after the context, ``Is spam`` after
#: ``Type``, ``Author``/``Page type``/``Page category`` last).
HEADER = (
    "Referring page title",
    "Referring page URL",
    "Language",
    "Platform",
    "Referring page HTTP code",
    "Domain rating",
    "UR",
    "Domain traffic",
    "Referring domains",
    "Linked domains",
    "External links",
    "Page traffic",
    "Keywords",
    "Target URL",
    "Left context",
    "Anchor",
    "Right context",
    "Redirect Chain URLs",
    "Redirect Chain status codes",
    "Type",
    "Is spam",
    "Content",
    "Nofollow",
    "UGC",
    "Sponsored",
    "Rendered",
    "Raw",
    "Lost status",
    "Drop reason",
    "Discovered status",
    "First seen",
    "Last seen",
    "Lost",
    "Author",
    "Page type",
    "Page category",
)

_WORDS = (
    "trail",
    "running",
    "shoes",
    "best",
    "review",
    "guide",
    "how",
    "to",
    "pick",
    "cheap",
    "top",
    "rated",
    "women",
    "men",
    "hiking",
    "boots",
    "gear",
    "outdoor",
    "blog",
    "news",
    "tips",
    "2024",
    "budget",
    "lightweight",
    "waterproof",
    "comfort",
    "race",
    "marathon",
    "ultra",
    "training",
    "plan",
    "beginner",
    "advanced",
    "store",
    "deals",
    "sale",
    "compare",
    "versus",
    "which",
    "buy",
    "fit",
    "size",
    "width",
    "cushion",
    "grip",
    "mud",
    "road",
    "track",
    "forum",
)
_SUFFIXES = ("com",) * 8 + ("net", "org", "co.uk", "co.uk", "com.au", "de", "fr", "io", "info")
_SUBDOMAINS = ("www.",) * 6 + ("", "", "", "blog.", "m.", "news.", "en.", "shop.")
_PLATFORMS = ("Blogs", "Blogs", "CMS", "E-commerce", "Wiki", "Messages", "")
_LANGUAGES = ("en", "en", "en", "en", "de", "fr", "es")
_TYPES = ("text", "text", "text", "text", "image", "redirect")
_PAGE_TYPES = ("Article", "Article", "Article", "Category", "Home page", "Product", "")
_CATEGORIES = (
    "/Sports/Running",
    "/Sports/Outdoor Recreation",
    "/Shopping/Apparel/Footwear",
    "/News",
    "",
)
#: (Lost status, Drop reason, Lost date set): live, removed, and dropped with only a date.
_LOST = (("", "", False),) * 17 + (
    ("removed", "", True),
    ("notfound", "", True),
    ("", "tooold", True),
    ("", "nxdomain", True),
)
#: Ad-click and analytics parameters real exports carry on some target URLs.
_TRACKING = ("",) * 12 + ("?gclid=Cj0KCQ", "?utm_source=news&utm_medium=email", "?srsltid=AfmB")
#: (Nofollow, UGC, Sponsored): mostly followed links.
_MARKS = (("false", "false", "false"),) * 14 + (
    ("true", "false", "false"),
    ("true", "false", "false"),
    ("false", "true", "false"),
    ("false", "false", "true"),
)
_DATES = tuple(
    f"2024-{month:02d}-{day:02d} 0{day % 10}:1{day % 6}:3{month % 10}"
    for month in range(1, 13)
    for day in range(1, 29)
)


def _name(rng: random.Random) -> str:
    return "".join(
        rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
    )


def _pools(rng: random.Random) -> tuple[list[str], list[tuple[str, int]], list[str]]:
    domains = [
        f"{_name(rng)}{rng.choice(('', '-', ''))}{_name(rng)}.{rng.choice(_SUFFIXES)}"
        for _ in range(90_000)
    ]
    hosts: list[tuple[str, int]] = []
    for domain in domains:
        rating = min(100, int(rng.expovariate(1 / 22)))
        for prefix in rng.sample(_SUBDOMAINS, rng.choice((1, 1, 1, 2, 3))):
            hosts.append((prefix + domain, rating))
    sites = [
        f"{_name(rng)}{_name(rng)}.{rng.choice(('com', 'co.uk', 'com.au'))}" for _ in range(200)
    ]
    targets: list[str] = []
    for site in sites:
        for page in range(10):
            path = "-".join(rng.sample(_WORDS, 3)) + f"-{page}"
            for variant in ("https://www.{s}/{p}", "https://{s}/{p}/", "http://www.{s}/{p}/"):
                targets.append(variant.format(s=site, p=path) + rng.choice(_TRACKING))
    return domains, hosts, targets


def target_pages(seed: int = 7) -> list[str]:
    """The export's target pages, one URL each (the most linked first), as a SERP lists them."""
    _, _, targets = _pools(random.Random(seed))
    return [target.split("?", 1)[0] for target in targets[::3]]


def generate(
    path: Path = DEFAULT_PATH, rows: int = DEFAULT_ROWS, seed: int = 7, *, utf16: bool = False
) -> Path:
    """Write the export to ``path`` and return it (the parent folder is created)."""
    rng = random.Random(seed)
    _, hosts, targets = _pools(rng)
    titles = [" ".join(rng.sample(_WORDS, rng.randint(3, 6))).capitalize() for _ in range(5_000)]
    # Titles carry commas and quotes (written doubled inside the quoted cell).
    titles += [f'{title}, "{rng.choice(_WORDS)}" edition' for title in titles[:500]]
    slugs = ["-".join(rng.sample(_WORDS, rng.randint(2, 5))) for _ in range(5_000)]
    anchors = [" ".join(rng.sample(_WORDS, rng.randint(1, 4))) for _ in range(2_000)]
    contexts = [""] * 2_000 + [
        " ".join(rng.sample(_WORDS, rng.randint(3, 8))) for _ in range(3_000)
    ]
    authors = [""] * 3 + [
        f"{_name(rng).capitalize()} {_name(rng).capitalize()}" for _ in range(997)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    rand = rng.random
    randrange = rng.randrange
    choice = rng.choice
    n_hosts, n_targets = len(hosts), len(targets)
    encoding, delimiter = ("utf-16", "\t") if utf16 else ("utf-8-sig", ",")
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        batch: list[tuple[object, ...]] = []
        for number in range(rows):
            host, rating = hosts[int(n_hosts * rand() ** 1.3)]
            first_seen = choice(_DATES)
            lost_status, drop_reason, lost = choice(_LOST)
            nofollow, ugc, sponsored = choice(_MARKS)
            batch.append(
                (
                    choice(titles),
                    f"https://{host}/{choice(slugs)}-{number % 9973}/",
                    choice(_LANGUAGES),
                    choice(_PLATFORMS),
                    200,
                    rating,
                    randrange(40),
                    randrange(100_000),
                    randrange(5_000),
                    randrange(300),
                    randrange(120),
                    randrange(2_000),
                    randrange(500),
                    targets[int(n_targets * rand() ** 1.3)],
                    choice(contexts),
                    choice(anchors),
                    choice(contexts),
                    "",
                    "",
                    choice(_TYPES),
                    "false" if rand() < 0.97 else "true",
                    "true",
                    nofollow,
                    ugc,
                    sponsored,
                    "true",
                    "true",
                    lost_status,
                    drop_reason,
                    "",
                    first_seen,
                    "2024-12-30 04:05:06",
                    "2024-12-01 00:00:00" if lost else "",
                    choice(authors),
                    choice(_PAGE_TYPES),
                    choice(_CATEGORIES),
                )
            )
            if len(batch) == 10_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--utf16", action="store_true", help='UTF-16 "For Excel" (tabs)')
    args = parser.parse_args()
    started = time.perf_counter()
    out = args.out or (DEFAULT_UTF16_PATH if args.utf16 else DEFAULT_PATH)
    path = generate(out, args.rows, utf16=args.utf16)
    size = path.stat().st_size / 1024 / 1024
    print(
        f"wrote {path} ({args.rows:,} rows, {size:,.0f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
