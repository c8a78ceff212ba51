from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadInput, LinkgapError
from bot.gap.domains import public_suffix, registrable_domain, split_domain
from bot.gap.urls import host_of, is_homepage, normalise_url, validate_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://site.com/page",
        "http://www.site.com/page/",
        "HTTPS://WWW.SITE.COM/page",
        "https://site.com:443/page#reviews",
        "http://site.com:80/page/",
    ],
)
def test_url_variants_of_one_page_match(variant: str) -> None:
    assert normalise_url(variant) == normalise_url("https://site.com/page")


def test_query_is_kept_and_path_case_matters() -> None:
    assert normalise_url("https://site.com/p?id=1") != normalise_url("https://site.com/p?id=2")
    assert normalise_url("https://site.com/Page") != normalise_url("https://site.com/page")


@pytest.mark.parametrize(
    "tracked",
    [
        "https://site.com/page?utm_source=newsletter&utm_medium=email&utm_campaign=spring",
        "https://site.com/page?UTM_Source=x",
        "https://site.com/page?utm_id=42&utm_content=hero&utm_term=shoes",
        "https://site.com/page?gclid=Cj0KCQiA-aK8BhCDARIsAL_-H9k",
        "https://site.com/page?gclsrc=aw.ds&gad_source=1&gad=1",
        "https://site.com/page?dclid=CJ7x&gbraid=0AAAAA&wbraid=CjkKCAiA",
        "https://site.com/page?fbclid=IwAR2x&msclkid=5f0c&yclid=2841",
        "https://site.com/page?srsltid=AfmBOorq3Xq",
        "https://site.com/page?mc_cid=3f2e1&mc_eid=9a8b7c",
        "https://site.com/page?_ga=2.1234.5678-1.1700000000&_gl=1*abc*_ga*MTIz",
        "http://www.site.com/page/?gclid=abc#reviews",
        "https://site.com/page?&gclid=abc&",
    ],
)
def test_tracking_parameters_are_not_part_of_the_page(tracked: str) -> None:
    assert normalise_url(tracked) == normalise_url("https://site.com/page") == "site.com/page"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://site.com/page?lang=en&gclid=abc", "site.com/page?lang=en"),
        (
            "https://site.com/page?utm_source=x&id=2&srsltid=y&ref=home",
            "site.com/page?id=2&ref=home",
        ),
        ("https://site.com/page?q=a%20b&fbclid=z", "site.com/page?q=a%20b"),
        # Near names that are not tracking parameters stay.
        ("https://site.com/page?utm=1&gclid2=x&ga=3", "site.com/page?utm=1&gclid2=x&ga=3"),
    ],
)
def test_every_other_parameter_is_kept_as_written(url: str, key: str) -> None:
    assert normalise_url(url) == key


def test_a_language_parameter_is_another_page() -> None:
    assert normalise_url("https://site.com/page?lang=en") != normalise_url("https://site.com/page")
    assert normalise_url("https://site.com/page?lang=en&utm_source=x") == normalise_url(
        "https://site.com/page?lang=en"
    )


def test_non_default_port_is_part_of_the_page() -> None:
    assert normalise_url("https://site.com:8443/p") != normalise_url("https://site.com/p")


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://www.example.com", True),
        ("https://www.example.com/", True),
        ("https://www.example.com/?utm_source=x", True),
        ("https://www.example.com/shoes", False),
        ("https://www.example.com/shoes/", False),
    ],
)
def test_homepage_is_an_empty_or_root_path(url: str, home: bool) -> None:
    assert is_homepage(url) is home


@pytest.mark.parametrize(
    ("host", "domain", "suffix"),
    [
        ("blog.example.co.uk", "example.co.uk", "co.uk"),
        ("www.example.co.uk", "example.co.uk", "co.uk"),
        ("shop.example.com.au", "example.com.au", "com.au"),
        ("EXAMPLE.com", "example.com", "com"),
        ("a.b.c.example.org", "example.org", "org"),
        ("www.gov.uk", "www.gov.uk", "gov.uk"),
        ("https://news.bbc.co.uk/sport", "bbc.co.uk", "co.uk"),
    ],
)
def test_registrable_domain_uses_the_public_suffix_list(
    host: str, domain: str, suffix: str
) -> None:
    assert split_domain(host) == (domain, suffix)
    assert registrable_domain(host) == domain
    assert public_suffix(host) == suffix


def test_host_of_drops_www_and_port() -> None:
    assert host_of("https://WWW.Example.com:8080/x") == "example.com"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "ftp://example.com/x",
        "example.com/page",
        "javascript:alert(1)",
        "https://",
        "https://localhost/x",
        "https://example.com:99999/",
        "https://" + "a" * 2050 + ".com/",
    ],
)
def test_validate_url_refuses_what_is_not_a_public_http_url(bad: str) -> None:
    with pytest.raises(BadInput):
        validate_url(bad)


def test_validate_url_accepts_and_trims() -> None:
    assert (
        validate_url("  https://www.example.com/trail-shoes ")
        == "https://www.example.com/trail-shoes"
    )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normaliser_and_domain_grouping_never_raise(text: str) -> None:
    assert isinstance(normalise_url(text), str)
    assert isinstance(host_of(text), str)
    assert isinstance(split_domain(text), tuple)
    assert isinstance(is_homepage(text), bool)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_validate_url_raises_only_the_projects_error(text: str) -> None:
    with contextlib.suppress(LinkgapError):
        validate_url(text)


@settings(max_examples=200, deadline=None)
@given(
    host=st.from_regex(
        r"[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,2}\.(com|co\.uk|com\.au|org)",
        fullmatch=True,
    ),
    scheme=st.sampled_from(["http://", "https://"]),
    www=st.booleans(),
    slash=st.booleans(),
)
def test_normalised_form_ignores_scheme_www_and_trailing_slash(
    host: str, scheme: str, www: bool, slash: bool
) -> None:
    url = f"{scheme}{'www.' if www else ''}{host}/page{'/' if slash else ''}"
    assert normalise_url(url) == normalise_url(f"https://{host.removeprefix('www.')}/page")


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("fan1-0.example", "fan1-0.example"),
        ("www.shoeshop.example", "shoeshop.example"),
        ("https://www.Shop.Example/x", "shop.example"),
        ("a.b.internal", "a.b.internal"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_hosts_without_a_known_suffix_are_their_own_domain(host: str, domain: str) -> None:
    """Never the last label: that would merge every intranet or reserved-name site into one."""
    assert registrable_domain(host) == domain


_REFERENCE = __import__("tldextract").TLDExtract(suffix_list_urls=(), cache_dir=None)
_SAMPLE_SUFFIXES = ["com", "net", "org", "de", "io", "co.uk", "com.au", "uk", "jp", "kobe.jp",
                    "er", "ck", "xyz", "gov", "edu", "br", "nom.br", "us", "ca", "gov.uk",
                    "ac.uk", "k12.ma.us", "pvt.k12.ma.us", "city.kawasaki.jp", "co.jp", "com.br",
                    "edu.au", "gc.ca", "in", "co.in", "ny.us", "nic.in", "www.ck",
                    "a.er", "sch.uk", "x.sch.uk", "kawasaki.jp", "yokohama.jp",
                    "nagoya.jp"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    labels=st.lists(
        st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True), min_size=1, max_size=4
    ),
    suffix=st.sampled_from(_SAMPLE_SUFFIXES),
    upper=st.booleans(),
)
def test_fast_path_agrees_with_the_public_suffix_list(
    labels: list[str], suffix: str, upper: bool
) -> None:
    """The shortcut for simple TLDs must give exactly what a full PSL lookup gives."""
    host = ".".join([*labels, suffix])
    parts = _REFERENCE(host)
    expected = f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else None
    domain, found_suffix = split_domain(host.upper() if upper else host)
    if expected is not None:
        assert (domain, found_suffix) == (expected, parts.suffix)


#: The sample suffixes that are public suffixes themselves (``gov.uk``; not ``sch.uk``,
#: which only has rules under it).
_BARE_SUFFIXES = [
    suffix
    for suffix in _SAMPLE_SUFFIXES
    if not _REFERENCE(suffix).domain and _REFERENCE(suffix).suffix == suffix
]


def test_the_bare_suffix_sample_holds_multi_label_suffixes() -> None:
    assert {"gov.uk", "co.uk", "ac.uk", "com.au"} <= set(_BARE_SUFFIXES)


@pytest.mark.parametrize("suffix", _BARE_SUFFIXES)
def test_a_bare_public_suffix_is_its_own_domain_with_itself_as_suffix(suffix: str) -> None:
    """``gov.uk`` as a host (what ``www.gov.uk`` is once ``www.`` is dropped): the suffix
    is the whole name, so the gov/edu rule sees ``gov.uk``, not ``uk``."""
    assert split_domain(suffix) == (suffix, suffix)
