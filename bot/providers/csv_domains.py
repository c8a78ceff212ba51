"""Registrable domains of a column of source hosts, worked out together in the engine.

A million-link export has ~130,000 distinct source hosts. Walking the Public
Suffix List in Python once per host cost more than parsing the file, so the
common case is written as column expressions: a plain ASCII host under no
suffix that has wildcard or exception rules (``ck`` for ``*.ck``, ``sch.uk``
for ``*.sch.uk``: ``example.co.uk`` is a common case) has as its registrable
domain the longest trailing run of labels that is a plain PSL rule, plus one
label (``split_domain``'s own fast path, on the same rules). The few others
(IP addresses, IDNs, hosts under those suffixes or under no known suffix) go
through ``registrable_domain`` one by one, so both paths give
``split_domain``'s answer.

polars is imported when a file is read, not when linkgap starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.gap.domains import plain_suffix_rules, registrable_domain

if TYPE_CHECKING:
    import polars as pl

#: A plain ASCII host name, as ``split_domain``'s fast path takes it.
_PLAIN_HOST = r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$"


def clean_host(authority: pl.Expr) -> pl.Expr:
    """The host of a URL's authority part: user info, port and brackets gone, lower-cased.

    ``[2001:db8::1]:8080`` is ``2001:db8::1``; ``user@Blog.Example.com.:80`` is
    ``blog.example.com``.
    """
    import polars as pl

    lowered = authority.str.strip_chars().str.replace(r"^.*@", "").str.to_lowercase()
    return (
        pl.when(lowered.str.starts_with("["))
        .then(lowered.str.extract(r"^\[+([^\]]*)", 1))
        .otherwise(lowered.str.replace(r":.*$", "").str.strip_chars("."))
    )


def host_domains(hosts: pl.Series) -> pl.DataFrame:
    """One row per distinct host: ``host`` and its registrable ``domain``.

    The domain is '' for a host that is not a name or an address (no dot and
    no colon: ``localhost``, an empty cell), which then counts for nothing.
    """
    import polars as pl

    rules, special_suffixes, max_labels, max_special_labels = plain_suffix_rules()
    distinct = hosts.drop_nulls().unique()
    labels = distinct.str.split(".")
    # The last label is l1, the one before it l2 ...; null where the host has fewer.
    frame = pl.DataFrame(
        {"host": distinct}
        | {
            f"l{k}": labels.list.get(-k, null_on_oob=True)
            for k in range(1, max(max_labels + 1, max_special_labels) + 1)
        }
    )

    def last(count: int) -> pl.Expr:
        return pl.concat_str([pl.col(f"l{k}") for k in range(count, 0, -1)], separator=".")

    rule_list = pl.Series(sorted(rules), dtype=pl.String).implode()
    fast = pl.lit(None, pl.String)
    # Shortest rule first, so the longest matching rule is the outermost branch.
    for size in range(1, max_labels + 1):
        matches = pl.col(f"l{size + 1}").is_not_null() & last(size).is_in(rule_list)
        fast = pl.when(matches).then(last(size + 1)).otherwise(fast)
    host = pl.col("host")
    special = pl.Series(sorted(special_suffixes), dtype=pl.String).implode()
    # Under a suffix with wildcard or exception rules (``*.sch.uk``): tldextract decides.
    under_special = pl.any_horizontal(
        last(size).is_in(special).fill_null(False) for size in range(1, max_special_labels + 1)
    )
    plain = host.str.contains(_PLAIN_HOST) & ~under_special
    frame = frame.select("host", domain=pl.when(plain).then(fast), named=host.str.contains("[.:]"))
    rest = frame.filter(pl.col("domain").is_null() & pl.col("named")).get_column("host")
    looked_up = pl.DataFrame(
        {"host": rest, "slow": [registrable_domain(name) for name in rest.to_list()]},
        schema={"host": pl.String, "slow": pl.String},
    )
    return frame.join(looked_up, on="host", how="left").select(
        "host", domain=pl.coalesce("domain", "slow", pl.lit(""))
    )
