"""Registrable domains worked out in the engine agree with ``split_domain`` host by host."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gap.domains import registrable_domain
from bot.providers.csv_domains import clean_host, host_domains

#: Hosts under every kind of rule: plain one- and multi-label suffixes, private
#: suffixes (blogspot, s3), wildcard and exception rules (``*.kawasaki.jp``,
#: ``!city.kawasaki.jp``, ``*.ck``, ``!www.ck``), IDNs, addresses and names
#: under no public suffix.
HOSTS = (
    "example.com",
    "www.example.com",
    "a.b.c.d.e.example.com",
    "example.co.uk",
    "blog.example.co.uk",
    "co.uk",
    "shop.example.com.au",
    "foo.blogspot.com",
    "s3.amazonaws.com",
    "bucket.s3.amazonaws.com",
    "www.city.kawasaki.jp",
    "shop.town.kawasaki.jp",
    "foo.ck",
    "a.foo.ck",
    "www.ck",
    "school.oxford.sch.uk",
    "oxford.sch.uk",
    "sch.uk",
    "uk",
    "xn--bcher-kva.de",
    "www.bücher.de",
    "under_score.example.com",
    "a--b.example.org",
    "127.0.0.1",
    "2001:db8::1",
    "shop.example",
    "intranet.local",
    "localhost",
    "",
)

_LABELS = st.sampled_from(("www", "blog", "m", "shop", "example", "xn--bcher-kva", "a-b", "1"))
_SUFFIXES = st.sampled_from(
    (
        "com",
        "co.uk",
        "sch.uk",
        "com.au",
        "jp",
        "kawasaki.jp",
        "ck",
        "blogspot.com",
        "de",
        "example",
        "io",
    )
)


def _domains(hosts: list[str]) -> dict[str, str]:
    frame = host_domains(pl.Series(hosts, dtype=pl.String))
    return dict(frame.iter_rows())


def _expected(host: str) -> str:
    return registrable_domain(host) if "." in host or ":" in host else ""


def test_every_kind_of_rule_gives_the_same_domain_as_split_domain() -> None:
    domains = _domains(list(HOSTS))
    assert domains == {host: _expected(host) for host in HOSTS}
    assert domains["blog.example.co.uk"] == "example.co.uk"
    assert domains["www.city.kawasaki.jp"] == "city.kawasaki.jp"
    assert domains["localhost"] == ""


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds("{}.{}".format, _LABELS, _SUFFIXES), min_size=1, max_size=20))
def test_generated_hosts_agree_with_split_domain(hosts: list[str]) -> None:
    assert _domains(hosts) == {host: _expected(host) for host in hosts}


def test_each_distinct_host_is_one_row() -> None:
    frame = host_domains(pl.Series(["a.example.com", "a.example.com", None, "b.example.com"]))
    assert sorted(frame.iter_rows()) == [
        ("a.example.com", "example.com"),
        ("b.example.com", "example.com"),
    ]


def test_clean_host_drops_user_info_port_brackets_and_case() -> None:
    authorities = [" user:pw@Blog.Example.COM.:8080 ", "[2001:DB8::1]:443", "EXAMPLE.org", ""]
    cleaned = pl.DataFrame({"a": authorities}).select(clean_host(pl.col("a"))).to_series()
    assert cleaned.to_list() == ["blog.example.com", "2001:db8::1", "example.org", ""]
