"""Word lists and niche tables behind the ``demo`` provider's generated sample data.

Kept apart from the generator so the numbers a reviewer may want to tune (niche
medians, platform mixes, name parts) sit in one readable table. Only three
medians are published figures (WebFX 2026, quoted in the seed guide: apparel 76,
overall 907, finance & insurance 3,027); the others are plausible values placed
between them so that the demo feels like the real spread between niches.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Niche:
    """A market whose page-one pages carry a typical number of referring domains."""

    name: str
    #: Median referring domains of a page-one result in this niche.
    median: int
    #: Keyword words (matched as whole words, plural ``s``/``es`` allowed) that hint at the niche.
    hints: tuple[str, ...]
    #: Name parts for the publishers and brands that rank, and for the sites linking to them.
    words: tuple[str, ...]
    #: First path segments of ranking inner pages.
    sections: tuple[str, ...]
    #: Platforms (from the default platform list) that show up in this niche's results.
    platforms: tuple[str, ...]
    #: Subreddits a Reddit thread in this niche lives in.
    subreddits: tuple[str, ...]
    #: Chance that one government or education page ranks on page one.
    gov_edu_chance: float = 0.25


# Ties between niches go to the one listed first, so the more specific (and the
# more competitive, e.g. "car insurance" is finance) comes first.
NICHES: tuple[Niche, ...] = (
    Niche(
        "finance & insurance", 3027,
        ("insurance", "loan", "mortgage", "credit card", "credit", "bank", "banking",
         "invest", "investing", "finance", "savings", "tax", "retirement", "ira",
         "stock", "crypto", "refinance", "debt", "apr", "401k"),
        ("money", "wallet", "ledger", "fund", "capital", "yield", "thrift", "cents",
         "asset", "vault", "dime", "penny"),
        ("personal-finance", "credit-cards", "loans", "insurance", "investing", "banking"),
        ("reddit", "wikipedia", "youtube", "quora"),
        ("personalfinance", "povertyfinance", "financialindependence", "CreditCards"),
        0.45,
    ),
    Niche(
        "legal", 1600,
        ("lawyer", "attorney", "legal", "lawsuit", "divorce", "custody", "injury", "dui",
         "probate", "visa", "immigration", "bankruptcy", "law firm"),
        ("counsel", "justice", "advocate", "statute", "verdict", "docket", "brief", "gavel"),
        ("legal", "practice-areas", "resources", "blog", "guides"),
        ("reddit", "quora", "wikipedia", "youtube"),
        ("legaladvice", "Ask_Lawyers"),
        0.45,
    ),
    Niche(
        "health", 1350,
        ("health", "symptom", "symptoms", "diet", "vitamin", "supplement", "doctor",
         "therapy", "pain", "anxiety", "diabetes", "sleep", "weight loss", "skin",
         "dental", "teeth", "pregnancy", "medicine", "treatment", "nutrition"),
        ("wellness", "vital", "care", "clinic", "pulse", "remedy", "nourish", "thrive"),
        ("health", "conditions", "wellness", "nutrition", "medicine"),
        ("wikipedia", "youtube", "reddit"),
        ("AskDocs", "Health", "nutrition"),
        0.6,
    ),
    Niche(
        "b2b software", 1900,
        ("software", "saas", "crm", "erp", "api", "app",
         "automation", "analytics", "hosting", "cloud", "cybersecurity", "vpn",
         "project management", "invoicing", "payroll", "helpdesk"),
        ("stack", "cloud", "data", "flow", "metric", "pipeline", "sprint", "byte", "logic",
         "ops"),
        ("blog", "software", "reviews", "compare", "resources", "learn"),
        ("reddit", "youtube", "medium", "linkedin", "github", "quora"),
        ("sales", "SaaS", "sysadmin", "smallbusiness"),
        0.1,
    ),
    Niche(
        "real estate", 690,
        ("real estate", "realtor", "home buying", "apartment", "rent", "renting",
         "property", "condo", "landlord", "mortgage broker"),
        ("realty", "estate", "property", "keys", "door", "move", "dwell", "parcel"),
        ("real-estate", "buying", "selling", "guides", "neighborhoods"),
        ("reddit", "youtube", "wikipedia", "quora"),
        ("RealEstate", "FirstTimeHomeBuyer"),
        0.3,
    ),
    Niche(
        "education", 820,
        ("course", "courses", "degree", "college", "university", "school", "learn",
         "learning", "tutor", "exam", "study", "scholarship", "online class", "teacher"),
        ("scholar", "campus", "study", "tutor", "class", "mentor", "academy", "quill"),
        ("learn", "courses", "study", "resources", "guides"),
        ("youtube", "reddit", "wikipedia", "quora", "medium"),
        ("college", "GetStudying", "learnprogramming"),
        0.6,
    ),
    Niche(
        "travel", 560,
        ("travel", "hotel", "hotels", "flight", "flights", "trip", "vacation", "itinerary",
         "beach", "resort", "cruise", "backpacking", "things to do", "visit"),
        ("voyage", "nomad", "passport", "compass", "wander", "atlas", "journey", "harbor"),
        ("travel", "destinations", "guides", "itineraries", "hotels"),
        ("reddit", "youtube", "wikipedia", "tiktok"),
        ("travel", "solotravel", "TravelHacks"),
        0.2,
    ),
    Niche(
        "automotive", 430,
        ("car", "cars", "truck", "suv", "tire", "tyre", "engine", "auto", "motorcycle",
         "ev", "electric vehicle", "oil change", "brake", "dash cam"),
        ("motor", "torque", "drive", "piston", "wheel", "garage", "road", "turbo"),
        ("cars", "reviews", "buying-guide", "maintenance", "news"),
        ("youtube", "reddit", "wikipedia", "ebay"),
        ("cars", "MechanicAdvice", "whatcarshouldIbuy"),
        0.15,
    ),
    Niche(
        "home & garden", 310,
        ("garden", "gardening", "plant", "lawn", "furniture", "sofa", "mattress", "kitchen",
         "bathroom", "decor", "paint", "diy", "vacuum", "grill", "patio", "bedding"),
        ("hearth", "nest", "porch", "bloom", "timber", "cottage", "yard", "haven"),
        ("garden", "home", "diy", "ideas", "reviews"),
        ("pinterest", "youtube", "reddit", "amazon", "etsy"),
        ("gardening", "HomeImprovement", "malelivingspace"),
        0.25,
    ),
    Niche(
        "food & recipes", 240,
        ("recipe", "recipes", "cooking", "bake", "baking", "bread", "cake", "vegan",
         "dinner", "chicken", "pasta", "coffee", "wine", "cocktail", "meal prep", "soup"),
        ("kitchen", "pantry", "spoon", "skillet", "harvest", "basil", "crumb", "oven"),
        ("recipes", "cooking", "food", "baking"),
        ("youtube", "pinterest", "reddit", "wikipedia"),
        ("Cooking", "Baking", "EatCheapAndHealthy"),
        0.15,
    ),
    Niche(
        "apparel", 76,
        ("shoe", "sneaker", "boot", "dress", "shirt", "jeans", "jacket", "hoodie",
         "fashion", "clothing", "clothes", "apparel", "outfit", "leggings", "sock",
         "trainer", "sandal", "coat", "swimsuit", "handbag"),
        ("stride", "thread", "sole", "runway", "closet", "denim", "stitch", "kicks"),
        ("gear", "reviews", "style", "shop", "guides"),
        ("amazon", "reddit", "youtube", "etsy", "ebay", "pinterest"),
        ("malefashionadvice", "RunningShoeGeeks", "femalefashionadvice"),
        0.05,
    ),
    Niche(
        "sports & outdoors", 190,
        ("running", "fitness", "gym", "yoga", "workout", "cycling", "bike", "hiking",
         "camping", "golf", "tennis", "marathon", "climbing", "fishing", "ski"),
        ("summit", "pace", "peak", "ridge", "cadence", "outdoor", "motion", "trail"),
        ("gear", "training", "reviews", "guides"),
        ("reddit", "youtube", "amazon", "wikipedia"),
        ("running", "trailrunning", "bicycling", "CampingandHiking"),
        0.15,
    ),
)  # fmt: skip

GENERAL = Niche(
    "general", 907, (),
    ("daily", "central", "insider", "point", "journal", "spot", "world", "beacon"),
    ("guides", "blog", "articles", "reviews", "learn"),
    ("reddit", "youtube", "wikipedia", "quora", "amazon"),
    ("AskReddit", "NoStupidQuestions", "explainlikeimfive"),
    0.25,
)  # fmt: skip

#: Second halves of brand and publisher names (``stride`` + ``lab``).
NAME_TAILS: tuple[str, ...] = (
    "lab", "hq", "journal", "mag", "hub", "daily", "review", "insider", "report", "central",
    "works", "digest", "post", "world", "today", "pro", "wise", "base", "nation", "list",
)  # fmt: skip

#: Parts of the names of sites that link out (blogs, magazines, local news, businesses).
LINKER_WORDS: tuple[str, ...] = (
    "maple", "cedar", "harbor", "summit", "river", "oak", "pine", "bright", "blue", "green",
    "silver", "golden", "north", "south", "west", "east", "urban", "rural", "coastal", "metro",
    "city", "valley", "prairie", "lake", "stone", "iron", "copper", "amber", "lumen", "nova",
    "pixel", "signal", "beacon", "anchor", "compass", "lantern", "orbit", "vector", "echo",
    "tribune", "gazette", "herald", "courier", "ledger", "chronicle", "times", "press",
    "weekly", "monthly", "daily", "morning", "evening", "local", "family", "modern", "simple",
    "smart", "honest", "curious", "happy", "busy", "frugal", "savvy", "tiny", "big", "little",
    "good", "better", "true", "real", "open", "clear", "fresh", "wild", "quiet", "bold",
    "craft", "maker", "studio", "atelier", "workshop", "field", "market", "corner", "street",
    "avenue", "bridge", "tower", "garden", "home", "life", "living", "notes", "stories",
    "insights", "review", "reviews", "guide", "tips", "talk", "chat", "voice", "view",
    "lens", "frame", "page", "paper", "ink", "quill", "byte", "cloud", "wave", "spark",
)  # fmt: skip

LINKER_TAILS: tuple[str, ...] = (
    "blog", "news", "mag", "media", "online", "hq", "hub", "co", "group", "network", "post",
    "times", "report", "journal", "today", "weekly", "notes", "life", "world", "central",
    "writes", "reads", "talks", "digest", "wire", "labs", "studio", "collective", "club",
)  # fmt: skip

FIRST_NAMES: tuple[str, ...] = (
    "emma", "liam", "olivia", "noah", "ava", "ethan", "mia", "lucas", "chloe", "owen",
    "grace", "leo", "ruby", "henry", "isla", "jack", "nora", "sam", "zoe", "max",
)  # fmt: skip

#: Suffixes of generated sites, with weights, by country (``us`` is the fallback).
SUFFIX_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "us": (("com", 60), ("net", 7), ("org", 7), ("co", 4), ("io", 3), ("co.uk", 8),
           ("com.au", 5), ("ca", 4), ("us", 2)),
    "uk": (("co.uk", 45), ("com", 35), ("org.uk", 5), ("net", 5), ("org", 5), ("com.au", 3),
           ("ie", 2)),
    "au": (("com.au", 45), ("com", 35), ("net.au", 5), ("org.au", 4), ("co.uk", 5),
           ("co.nz", 6)),
    "ca": (("ca", 40), ("com", 45), ("net", 5), ("org", 5), ("co.uk", 5)),
}  # fmt: skip
SUFFIX_ALIASES: dict[str, str] = {"gb": "uk", "nz": "au"}

#: Subdomains that a referring host may carry besides ``www.``.
SUBDOMAINS: tuple[str, ...] = ("blog", "news", "en", "shop", "community", "m", "forum")

#: Link farms and SEO-tool mirrors: a word of each name matches a default junk pattern.
JUNK_FARM_NAMES: tuple[str, ...] = (
    "seo-backlink-directory.net", "webstatsdomain.org", "siteprice.org", "websiteworth.info",
    "whoisdatacenter.com", "statshow.com", "similarsites-list.com", "linkdirectory.biz",
    "freebacklinks4u.com", "seoprofiler-tools.net", "websitevaluespy-seo.com",
    "backlinkfarm.net", "site-directory.org", "whoisxy.net", "seo-audit-online.com",
)  # fmt: skip
JUNK_PREFIXES: tuple[str, ...] = (
    "seo", "backlinks", "linkdir", "directory", "webstats", "siteprice", "websiteworth",
    "whois", "statshow", "similarsites", "free-seo", "seo-rank",
)  # fmt: skip
#: Spam-prone suffixes from the default list, used for throwaway linking sites.
SPAM_SUFFIXES: tuple[str, ...] = ("xyz", "top", "click", "buzz", "work", "tk", "ml", "gq")

#: Results-page quality-RD multiplier of a platform page relative to the niche median.
PLATFORM_WEIGHT: dict[str, float] = {
    "amazon": 0.05, "ebay": 0.02, "etsy": 0.03, "walmart": 0.03, "wikipedia": 1.4,
    "youtube": 0.08, "reddit": 0.04, "quora": 0.02, "pinterest": 0.02, "medium": 0.05,
    "linkedin": 0.03, "github": 0.3, "tiktok": 0.02,
}  # fmt: skip
PLATFORM_RATING: dict[str, float] = {
    "amazon": 96.0, "ebay": 93.0, "etsy": 92.0, "walmart": 91.0, "wikipedia": 96.0,
    "youtube": 98.0, "reddit": 92.0, "quora": 91.0, "pinterest": 94.0, "medium": 95.0,
    "linkedin": 98.0, "github": 96.0, "tiktok": 93.0,
}  # fmt: skip

AGENCY_WORDS: tuple[str, ...] = (
    "consumer", "health", "housing", "labor", "transport", "moneysmart", "travel", "energy",
)  # fmt: skip
UNIVERSITY_WORDS: tuple[str, ...] = (
    "northfield", "lakeshore", "westbrook", "ashford", "claremont", "riverside",
    "kingsbridge", "easton",
)  # fmt: skip

#: Title patterns of ranking inner pages; ``{kw}`` is the keyword in title case.
INNER_TITLES: tuple[str, ...] = (
    "The {n} Best {kw}, Tested and Reviewed",
    "Best {kw} ({n} Picks From Our Experts)",
    "{kw}: The Complete Guide",
    "How to Choose {kw} | {brand}",
    "{kw} — What to Know Before You Buy",
    "{n} {kw} We Recommend | {brand}",
    "{kw} Explained: A Beginner's Guide",
    "Our Favorite {kw}, Ranked | {brand}",
)  # fmt: skip
HOME_TITLES: tuple[str, ...] = (
    "{brand} | {kw} and More",
    "{brand} — {kw}, Guides & Reviews",
    "{brand}: Official Site",
    "{kw} | {brand}",
)  # fmt: skip
SMALL_WORDS: frozenset[str] = frozenset(
    {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "vs", "with"}
)
#: Title patterns for question keywords ("how to ...", "what is ...").
QUESTION_TITLES: tuple[str, ...] = (
    "{kw}? A Step-by-Step Guide",
    "{kw}: Everything You Need to Know | {brand}",
    "{kw} (Explained Simply)",
    "{kw}? Here's What Experts Say",
)  # fmt: skip
#: Keyword words written in capitals in titles.
ACRONYMS: frozenset[str] = frozenset(
    {"crm", "erp", "api", "vpn", "seo", "suv", "ev", "ira", "apr", "diy", "uk", "usa", "saas", "hr"}
)
QUESTION_WORDS: frozenset[str] = frozenset(
    {"how", "what", "why", "when", "where", "which", "who", "can", "is", "does", "do", "should"}
)

#: URL and title patterns of platform results; str.format ignores the keys a pattern leaves out.
PLATFORM_PAGES: dict[str, tuple[str, str]] = {
    "amazon": ("https://www.{amazon}/s?k={plus}", "Amazon.com: {kw}"),
    "reddit": ("https://www.reddit.com/r/{sub}/comments/{rid}/{under}/",
               "{kw} recommendations? : r/{sub}"),
    "youtube": ("https://www.youtube.com/watch?v={vid}", "{kw} — Tested and Compared - YouTube"),
    "wikipedia": ("https://en.wikipedia.org/wiki/{wiki}", "{wikititle} - Wikipedia"),
    "quora": ("https://www.quora.com/What-are-the-best-{dash}",
              "What are the best {lower}? - Quora"),
    "pinterest": ("https://www.pinterest.com/ideas/{slug}/{num}/", "{n} {kw} ideas | Pinterest"),
    "etsy": ("https://www.etsy.com/market/{under}", "{kw} - Etsy"),
    "ebay": ("https://www.ebay.com/b/{dash}/{num}/bn_{num2}", "{kw} for sale | eBay"),
    "walmart": ("https://www.walmart.com/search?q={plus}", "{kw} - Walmart.com"),
    "medium": ("https://medium.com/@{first}{tail}/{slug}-{hexid}",
               "{kw}: What I Learned | by {First} | Medium"),
    "linkedin": ("https://www.linkedin.com/pulse/{slug}-{first}-{tail}",
                 "{kw}: Lessons From the Field | LinkedIn"),
    "github": ("https://github.com/{first}{tail}/awesome-{slug}",
               "GitHub - {first}{tail}/awesome-{slug}: A curated list of {lower}"),
    "tiktok": ("https://www.tiktok.com/discover/{slug}", "{kw} | TikTok"),
}  # fmt: skip
AMAZON_HOSTS: dict[str, str] = {
    "uk": "amazon.co.uk", "gb": "amazon.co.uk", "au": "amazon.com.au", "ca": "amazon.ca",
}  # fmt: skip
