"""Search Console: the Search Analytics client against documented-shape answers, and exports.

No network: the API and Google's token endpoint are both ``httpx.MockTransport`` handlers.
"""

from __future__ import annotations

import codecs
import functools
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt
from google.auth.credentials import Credentials

from bot.errors import (
    BadInput,
    DataFileError,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderUnavailable,
)
from bot.providers.search_console import (
    DailyMetric,
    SearchConsoleClient,
    load_service_account,
    page_in_property,
    validate_site_url,
)
from bot.providers.search_console_export import read_performance_export

FIXTURES = Path(__file__).parent / "fixtures" / "search_console"
SITE = "sc-domain:example.com"
PAGE = "https://www.example.com/trail-shoes"
KEYWORD = "Trail  Running Shoes"
TOKEN_URL = "https://oauth2.googleapis.com/token"
QUERY_URL = (
    "https://searchconsole.googleapis.com/webmasters/v3/sites/sc-domain%3Aexample.com"
    "/searchAnalytics/query"
)
SERVICE_ACCOUNT = "linkgap-digest@linkgap-test.iam.gserviceaccount.com"
Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return body


@functools.cache
def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def service_account_info() -> dict[str, str]:
    """A throw-away service-account key of the shape Google Cloud console downloads."""
    pem = _rsa_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {
        "type": "service_account",
        "project_id": "linkgap-test",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": pem.decode(),
        "client_email": SERVICE_ACCOUNT,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": TOKEN_URL,
        "universe_domain": "googleapis.com",
    }


def write_service_account_key(folder: Path) -> Path:
    path = folder / "linkgap-key.json"
    path.write_text(json.dumps(service_account_info()), encoding="utf-8")
    return path


class FakeCredentials(Credentials):
    """Credentials whose refresh hands out numbered tokens without any request."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.refreshes = 0
        self.service_account_email = SERVICE_ACCOUNT

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        self.token = f"ya29.fake-{self.refreshes}"
        self.expiry = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)


def client(
    handler: Handler,
    credentials: Credentials | None = None,
    sleeps: list[float] | None = None,
) -> SearchConsoleClient:
    return SearchConsoleClient(
        credentials or FakeCredentials(),
        SITE,
        httpx.MockTransport(handler),
        sleep=(sleeps if sleeps is not None else []).append,
    )


def answer(body: dict[str, Any], status: int = 200) -> Handler:
    return lambda _request: httpx.Response(status, json=body)


START, END = date(2026, 11, 14), date(2026, 11, 29)


# -- the query ------------------------------------------------------------------------------------


def test_daily_metrics_come_back_oldest_first_with_rounded_counts() -> None:
    metrics = client(answer(fixture("query_by_date.json"))).daily_metrics(PAGE, KEYWORD, START, END)

    assert metrics == [
        DailyMetric(date(2026, 11, 25), 24, 377, 7.25),
        DailyMetric(date(2026, 11, 26), 19, 350, 7.0),
        DailyMetric(date(2026, 11, 27), 31, 402, 6.8),
    ]


def test_the_query_filters_on_the_page_and_the_keyword_over_the_dates_asked() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("query_no_rows.json"))

    credentials = FakeCredentials()
    client(handler, credentials).daily_metrics(PAGE, KEYWORD, START, END)

    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == QUERY_URL
    assert request.url.raw_path.endswith(b"/sites/sc-domain%3Aexample.com/searchAnalytics/query")
    assert request.headers["Authorization"] == "Bearer ya29.fake-1"
    body = json.loads(request.content)
    assert body["startDate"] == "2026-11-14"
    assert body["endDate"] == "2026-11-29"
    assert body["dimensions"] == ["date"]
    assert body["dataState"] == "all"
    assert body["rowLimit"] == 16
    [group] = body["dimensionFilterGroups"]
    assert group["groupType"] == "and"
    assert sorted(group["filters"], key=lambda f: f["dimension"]) == [
        {"dimension": "page", "operator": "equals", "expression": PAGE},
        # Search Console records queries in lower case with single spaces.
        {"dimension": "query", "operator": "equals", "expression": "trail running shoes"},
    ]
    assert credentials.refreshes == 1


def test_a_url_prefix_property_is_encoded_whole_in_the_path() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("query_no_rows.json"))

    SearchConsoleClient(
        FakeCredentials(), "https://www.example.com", httpx.MockTransport(handler)
    ).daily_metrics(PAGE, KEYWORD, START, END)

    assert seen[0].url.raw_path == (
        b"/webmasters/v3/sites/https%3A%2F%2Fwww.example.com%2F/searchAnalytics/query"
    )


def test_no_rows_means_no_days() -> None:
    assert (
        client(answer(fixture("query_no_rows.json"))).daily_metrics(PAGE, KEYWORD, START, END) == []
    )


def test_the_token_is_reused_until_it_expires() -> None:
    credentials = FakeCredentials()
    search_console = client(answer(fixture("query_no_rows.json")), credentials)
    search_console.daily_metrics(PAGE, KEYWORD, START, END)
    search_console.daily_metrics(PAGE, KEYWORD, START, END)

    assert credentials.refreshes == 1


def test_a_rejected_token_is_refreshed_once_and_the_query_repeated() -> None:
    tokens: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers["Authorization"])
        if len(tokens) == 1:
            return httpx.Response(
                401,
                json={
                    "error": {
                        "code": 401,
                        "message": "Request had invalid authentication credentials.",
                        "status": "UNAUTHENTICATED",
                    }
                },
            )
        return httpx.Response(200, json=fixture("query_by_date.json"))

    metrics = client(handler).daily_metrics(PAGE, KEYWORD, START, END)

    assert tokens == ["Bearer ya29.fake-1", "Bearer ya29.fake-2"]
    assert len(metrics) == 3


# -- failures -------------------------------------------------------------------------------------


def test_permission_denied_says_whom_to_add_to_the_property() -> None:
    with pytest.raises(ProviderAuthError) as caught:
        client(answer(fixture("error_403_permission_denied.json"), 403)).daily_metrics(
            PAGE, KEYWORD, START, END
        )

    message = caught.value.message
    assert SERVICE_ACCOUNT in message
    assert "Users and permissions" in message
    assert SITE in message
    assert caught.value.exit_code == 3


def test_a_disabled_api_says_to_enable_it() -> None:
    with pytest.raises(ProviderAuthError) as caught:
        client(answer(fixture("error_403_service_disabled.json"), 403)).daily_metrics(
            PAGE, KEYWORD, START, END
        )

    assert "enable the Google Search Console API" in caught.value.message


def test_rate_limit_then_success_is_retried_after_the_servers_pause() -> None:
    answers = iter(
        [
            httpx.Response(
                429, json=fixture("error_429_rate_limit.json"), headers={"Retry-After": "7"}
            ),
            httpx.Response(200, json=fixture("query_by_date.json")),
        ]
    )
    sleeps: list[float] = []
    search_console = client(lambda _request: next(answers), sleeps=sleeps)

    metrics = search_console.daily_metrics(PAGE, KEYWORD, START, END)

    assert len(metrics) == 3
    assert sleeps == [7.0]
    assert search_console.usage.requests == 2


def test_server_errors_past_the_retry_budget_are_unavailable() -> None:
    with pytest.raises(ProviderUnavailable):
        client(answer({"error": {"code": 503, "status": "UNAVAILABLE"}}, 503)).daily_metrics(
            PAGE, KEYWORD, START, END
        )


@pytest.mark.parametrize(
    "body",
    [
        {"rows": {"keys": ["2026-11-27"]}},
        {"rows": [{"clicks": 3, "impressions": 9, "position": 4.0}]},
        {"rows": [{"keys": ["27/11/2026"], "clicks": 3, "impressions": 9, "position": 4.0}]},
        {"rows": [{"keys": ["2026-11-27"], "clicks": "3", "impressions": 9, "position": 4.0}]},
        {"rows": [{"keys": ["2026-11-27"], "clicks": 3, "position": 4.0}]},
    ],
)
def test_malformed_answers_are_bad_responses(body: dict[str, Any]) -> None:
    with pytest.raises(ProviderBadResponse):
        client(answer(body)).daily_metrics(PAGE, KEYWORD, START, END)


def test_an_answer_that_is_not_json_is_a_bad_response() -> None:
    with pytest.raises(ProviderBadResponse):
        client(lambda _r: httpx.Response(200, text="<html>")).daily_metrics(
            PAGE, KEYWORD, START, END
        )


# -- the service-account flow ---------------------------------------------------------------------


def test_the_service_account_signs_a_jwt_and_trades_it_for_a_token(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if str(request.url) == TOKEN_URL:
            return httpx.Response(
                200,
                json={"access_token": "ya29.signed", "expires_in": 3599, "token_type": "Bearer"},
            )
        return httpx.Response(200, json=fixture("query_by_date.json"))

    key = write_service_account_key(tmp_path)
    search_console = SearchConsoleClient.from_service_account_file(
        key, SITE, httpx.MockTransport(handler)
    )
    metrics = search_console.daily_metrics(PAGE, KEYWORD, START, END)

    token_request, query = seen
    assert len(metrics) == 3
    assert token_request.method == "POST"
    form = parse_qs(token_request.content.decode())
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    public_pem = (
        _rsa_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    claims = jwt.decode(  # type: ignore[no-untyped-call]
        form["assertion"][0], certs=public_pem, audience=TOKEN_URL
    )
    assert claims["iss"] == SERVICE_ACCOUNT
    assert claims["scope"] == "https://www.googleapis.com/auth/webmasters.readonly"
    assert query.headers["Authorization"] == "Bearer ya29.signed"


def test_a_revoked_key_is_an_auth_error_that_never_quotes_the_key(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == TOKEN_URL
        return httpx.Response(
            400, json={"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        )

    key = write_service_account_key(tmp_path)
    with pytest.raises(ProviderAuthError) as caught:
        SearchConsoleClient.from_service_account_file(
            key, SITE, httpx.MockTransport(handler)
        ).daily_metrics(PAGE, KEYWORD, START, END)

    assert "invalid_grant" in caught.value.message
    assert "PRIVATE KEY" not in caught.value.message


def test_a_token_endpoint_timeout_is_retried_by_the_shared_layer(tmp_path: Path) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if str(request.url) == TOKEN_URL:
            if calls.count(TOKEN_URL) == 1:
                raise httpx.ConnectTimeout("timed out", request=request)
            return httpx.Response(200, json={"access_token": "ya29.ok", "expires_in": 3599})
        return httpx.Response(200, json=fixture("query_no_rows.json"))

    key = write_service_account_key(tmp_path)
    search_console = SearchConsoleClient.from_service_account_file(
        key, SITE, httpx.MockTransport(handler), sleep=lambda _s: None
    )

    assert search_console.daily_metrics(PAGE, KEYWORD, START, END) == []
    assert calls == [TOKEN_URL, TOKEN_URL, QUERY_URL]


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("{not json", "not a readable JSON"),
        (json.dumps({"type": "authorized_user", "client_id": "x"}), "not a service-account key"),
        (json.dumps({"type": "service_account", "client_email": SERVICE_ACCOUNT}), "lacks"),
    ],
)
def test_a_wrong_key_file_is_bad_input_naming_it(
    tmp_path: Path, content: str, complaint: str
) -> None:
    path = tmp_path / "key.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(BadInput) as caught:
        load_service_account(path)

    assert complaint in caught.value.message
    assert str(path) in caught.value.message


def test_a_damaged_private_key_is_bad_input_without_its_text(tmp_path: Path) -> None:
    info = service_account_info()
    info["private_key"] = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n"
    path = tmp_path / "key.json"
    path.write_text(json.dumps(info), encoding="utf-8")

    with pytest.raises(BadInput) as caught:
        load_service_account(path)

    assert "c2VjcmV0" not in caught.value.message


# -- properties -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sc-domain:Example.com", "sc-domain:example.com"),
        ("https://www.example.com/", "https://www.example.com/"),
        ("https://www.example.com", "https://www.example.com/"),
        ("  http://example.com/blog/ ", "http://example.com/blog/"),
    ],
)
def test_properties_are_named_as_the_api_names_them(given: str, expected: str) -> None:
    assert validate_site_url(given) == expected


@pytest.mark.parametrize(
    "given", ["example.com", "sc-domain:", "ftp://example.com/", "sc-domain:a/b"]
)
def test_other_property_names_are_refused(given: str) -> None:
    with pytest.raises(BadInput):
        validate_site_url(given)


def test_pages_belong_to_the_properties_that_cover_them() -> None:
    assert page_in_property("sc-domain:example.com", PAGE)
    assert page_in_property("https://www.example.com/", PAGE)
    assert not page_in_property("http://www.example.com/", PAGE)
    assert not page_in_property("https://www.example.com/blog/", PAGE)
    assert not page_in_property("sc-domain:other.com", PAGE)
    assert not page_in_property("sc-domain:ample.com", PAGE)


# -- the Performance export -----------------------------------------------------------------------


def test_dates_csv_is_read_oldest_first() -> None:
    metrics = read_performance_export(FIXTURES / "Dates.csv")

    assert len(metrics) == 14
    assert metrics[0] == DailyMetric(date(2026, 11, 16), 13, 270, 8.6)
    assert metrics[-1] == DailyMetric(date(2026, 11, 29), 30, 410, 6.9)


def test_the_zip_is_read_through_its_dates_csv(tmp_path: Path) -> None:
    archive = tmp_path / "example.com-Performance-on-Search-2026-11-30.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("Queries.csv", "Pages.csv", "Dates.csv"):
            zipped.write(FIXTURES / name, name)

    assert read_performance_export(archive) == read_performance_export(FIXTURES / "Dates.csv")


def test_a_bom_and_other_header_cases_are_fine(tmp_path: Path) -> None:
    text = (FIXTURES / "Dates.csv").read_text(encoding="utf-8")
    text = text.replace(
        "Date,Clicks,Impressions,CTR,Position", "DATE, clicks ,Impressions,ctr,Position"
    )
    path = tmp_path / "Dates.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))

    assert read_performance_export(path) == read_performance_export(FIXTURES / "Dates.csv")


def test_the_queries_table_is_refused_with_what_to_import_instead() -> None:
    with pytest.raises(DataFileError) as caught:
        read_performance_export(FIXTURES / "Queries.csv")

    assert "Queries.csv" in caught.value.message
    assert "Dates.csv" in caught.value.message


def test_unknown_headers_name_the_file_and_the_columns_expected(tmp_path: Path) -> None:
    path = tmp_path / "traffic.csv"
    path.write_text("Tag,Klicks,Impressionen\n2026-11-29,3,4\n", encoding="utf-8")

    with pytest.raises(DataFileError) as caught:
        read_performance_export(path)

    assert "traffic.csv" in caught.value.message
    assert "Date, Clicks, Impressions, CTR, Position" in caught.value.message


def test_a_zip_without_dates_csv_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(FIXTURES / "Queries.csv", "Queries.csv")

    with pytest.raises(DataFileError, match=r"export\.zip has no Chart\.csv or Dates\.csv"):
        read_performance_export(archive)


#: The daily table as Search Console writes it in each interface language: its header, and
#: the day 2026-11-29 with 1,204 clicks, 30,512 impressions, CTR 3.9 % and position 7.4,
#: written with that language's thousands and decimal marks.
LOCALISED_DAYS = {
    "en": 'Date,Clicks,Impressions,CTR,Position\n2026-11-29,"1,204","30,512",3.95%,7.4\n',
    "fr": 'Date,Clics,Impressions,CTR,Position\n2026-11-29,"1\u202f204","30\u202f512",'
    '"3,95 %","7,4"\n',
    "de": 'Datum,Klicks,Impressionen,CTR,Position\n2026-11-29,"1.204","30.512","3,95 %","7,4"\n',
    "es": 'Fecha,Clics,Impresiones,CTR,Posición\n2026-11-29,"1.204","30.512","3,95 %","7,4"\n',
    "it": 'Data,Clic,Impressioni,CTR,Posizione\n2026-11-29,"1.204","30.512","3,95%","7,4"\n',
    "pt": 'Data,Cliques,Impressões,CTR,Posição\n2026-11-29,"1.204","30.512","3,95%","7,4"\n',
    "nl": 'Datum,Klikken,Vertoningen,CTR,Positie\n2026-11-29,"1.204","30.512","3,95%","7,4"\n',
    "ja": '日付,クリック数,表示回数,CTR,掲載順位\n2026-11-29,"1,204","30,512",3.95%,7.4\n',
    "de-semicolon": "Datum;Klicks;Impressionen;Klickrate;Durchschnittliche Position\n"
    "2026-11-29;1.204;30.512;3,95 %;7,4\n",
}


@pytest.mark.parametrize("language", sorted(LOCALISED_DAYS))
def test_the_daily_table_is_read_in_every_interface_language(tmp_path: Path, language: str) -> None:
    path = tmp_path / "Chart.csv"
    path.write_bytes(codecs.BOM_UTF8 + LOCALISED_DAYS[language].encode("utf-8"))

    assert read_performance_export(path) == [DailyMetric(date(2026, 11, 29), 1204, 30512, 7.4)]


@pytest.mark.parametrize(
    ("members", "daily"),
    [
        # Current English exports: Chart.csv beside the other tables.
        (("Queries.csv", "Pages.csv", "Countries.csv", "Chart.csv", "Filters.csv"), "Chart.csv"),
        # A German interface names the files in German; the daily table is found by its header.
        (
            ("Suchanfragen.csv", "Seiten.csv", "Länder.csv", "Diagramm.csv", "Filter.csv"),
            "Diagramm.csv",
        ),
        (("上位のクエリ.csv", "グラフ.csv"), "グラフ.csv"),
    ],
)
def test_the_zip_daily_table_is_found_by_name_or_header(
    tmp_path: Path, members: tuple[str, ...], daily: str
) -> None:
    archive = tmp_path / "example.com-Performance-on-Search-2026-11-30.zip"
    other = "Häufigste Suchanfragen,Klicks,Impressionen,CTR,Position\nschuhe,3,40,7.5%,6\n"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in members:
            zipped.writestr(name, LOCALISED_DAYS["de"] if name == daily else other)

    assert read_performance_export(archive) == [DailyMetric(date(2026, 11, 29), 1204, 30512, 7.4)]


def test_a_localised_queries_table_is_refused_as_a_table_without_days(tmp_path: Path) -> None:
    path = tmp_path / "Suchanfragen.csv"
    path.write_text("Häufigste Suchanfragen,Klicks,Impressionen,CTR,Position\nschuhe,3,40,7.5%,6\n")

    with pytest.raises(DataFileError) as caught:
        read_performance_export(path)

    assert "no date column" in caught.value.message
    assert "English" not in caught.value.message
    assert "Chart.csv" in caught.value.message


def test_a_bad_date_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "Dates.csv"
    path.write_text("Date,Clicks,Impressions,CTR,Position\n29/11/2026,3,40,7.5%,6\n")

    with pytest.raises(DataFileError, match="line 2"):
        read_performance_export(path)


def test_a_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        read_performance_export(tmp_path / "nothing.zip")
