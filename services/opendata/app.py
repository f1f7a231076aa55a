"""The Open311 GeoReport v2 endpoints under ``/open311/v2/``, as a Starlette application.

Reads and writes go to the database in Starlette's thread pool, never on the event loop. A
request is refused with the specification's error shape (``[{"code", "description"}]``, or
``<errors>``) and status: 400 for what cannot be fulfilled, 403 for a missing or wrong API key,
404 for what does not exist, 413 for what is too big, 429 over a rate limit, 503 while the
database is away (then nothing is recorded). The descriptions come from ``describe``, which the
command line gives in the operator's language (services write no prose).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.domain.errors import VigieError
from services.domain.open311 import MAX_PHOTO_BYTES, RequestRefused, Service, w3_time
from services.opendata import formats, intake
from services.opendata.catalogue import CATALOGUE
from services.opendata.export.run import published_files
from services.opendata.limits import RateLimiter
from services.store import open311
from services.store.database import Database, DatabaseUnreachable
from services.store.open311 import PublicRequest
from services.store.types import utcnow

log = logging.getLogger("vigie.opendata")

PREFIX = "/open311/v2"
#: Where the open data exports are served (``services.opendata.daily``).
EXPORTS = "/opendata"
# The exports' types, which Python's table may not know (a portal reads the Content-Type).
mimetypes.add_type("application/geo+json", ".geojson")
mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("text/csv", ".csv")
#: A form's fields and one photo: the photo's limit and room for the rest.
MAX_BODY = MAX_PHOTO_BYTES + 256 * 1024
PAGE_SIZE = 1000  # the specification's "first 1000 requests"
MAX_PAGE = 1_000_000
WINDOW_DAYS = 90  # ... "or a span of 90 days"
KEYS_FOR = 5.0  # a revoked key stops working within this many seconds
READ_THREADS = 2  # measured: more threads only fight over the interpreter lock
CACHED_ANSWERS = 10_000  # the read cache is emptied when it holds this many...
CACHED_BYTES = 64 * 1024 * 1024  # ...or this much


@dataclass(frozen=True)
class ServiceConfig:
    jurisdiction: str = ""  # empty: one jurisdiction, any jurisdiction_id accepted
    cors_origins: tuple[str, ...] = ()
    key_rate: int = 600  # POSTs a minute per API key; 0: no limit
    address_rate: int = 1200  # requests a minute per client address; 0: no limit
    base_url: str = ""  # how clients reach the service (a photo's media_url); else asked Host
    read_cache_seconds: float = 1.0  # a list or a request read again within this is not re-read
    # The open data exports' folder, served under /opendata/ (the catalogue's download URLs).
    export_folder: Path | None = None


@dataclass
class _Keys:
    by_digest: dict[str, tuple[str, bool]] = field(default_factory=dict)
    read_at: float = float("-inf")


Describe = Callable[[VigieError], str]
Announce = Callable[[int, int], None]


def make_app(
    db: Database,
    *,
    describe: Describe,
    announce: Announce = lambda incident_id, version: None,
    config: ServiceConfig = ServiceConfig(),
    started: Callable[[], None] = lambda: None,
) -> Starlette:
    """The application; ``started`` is called once it listens (the command line says so)."""
    service = _Service(db, describe, announce, config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started()
        yield

    routes = [
        Route("/health", service.health),
        Route(PREFIX + "/discovery.{fmt}", service.discovery),
        Route(PREFIX + "/services.{fmt}", service.services),
        Route(PREFIX + "/services/{code}.{fmt}", service.definition),
        Route(PREFIX + "/requests.{fmt}", service.requests, methods=["GET"]),
        Route(PREFIX + "/requests.{fmt}", service.post, methods=["POST"]),
        Route(PREFIX + "/requests/{ident}.{fmt}", service.request),
        Route(PREFIX + "/tokens/{token}.{fmt}", service.token),
        Route(PREFIX + "/media/{ident}", service.photo),
    ]
    if config.export_folder is not None:
        routes.append(Route(EXPORTS + "/{name}", service.published))
    middleware = [Middleware(BodyLimit, limit=MAX_BODY)]
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: service.not_found, 405: service.not_allowed},
    )


class BodyLimit:
    """413 for a body over ``limit``: by its Content-Length, or counted as it arrives."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_big(scope, self.limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _BodyTooBig
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooBig:
            await _too_big(scope, self.limit)(scope, receive, send)


class _BodyTooBig(Exception):
    pass


def _too_big(scope: Scope, limit: int) -> Response:
    fmt = "xml" if scope.get("path", "").endswith(".xml") else "json"
    text = f"the request is larger than {limit} bytes"
    return formats.errors(fmt, 413, [text])


class _Service:
    def __init__(self, db: Database, describe: Describe, announce: Announce, config) -> None:  # noqa: ANN001
        self.db, self.describe, self.announce, self.config = db, describe, announce, config
        self.by_address = RateLimiter(config.address_rate)
        self.by_key = RateLimiter(config.key_rate)
        self._keys = _Keys()
        self._threads: tuple[anyio.CapacityLimiter, anyio.CapacityLimiter] | None = None
        self._answers: dict[str, tuple[float, bytes, str | None]] = {}  # the read cache
        self._cached_bytes = 0
        self._reading: dict[str, asyncio.Future] = {}  # URLs being read, for who asks meanwhile

    # --- around every endpoint ------------------------------------------------------------------
    async def _guarded(
        self, request: Request, act: Callable[[str], Any], *, limited: bool = True
    ) -> Response:
        fmt = request.path_params.get("fmt", "json")
        try:
            if fmt not in formats.FORMATS:
                raise RequestRefused(404, "open311.format_unknown", format=fmt[:16])
            self._check_jurisdiction(request)
            if limited:
                self._limit(self.by_address, f"address:{_address(request)}")
            return await act(fmt)
        except RequestRefused as refused:
            return self._refusal(fmt, refused)
        except DatabaseUnreachable as exc:
            log.warning("database unreachable: %s", exc.params.get("reason"))
            return self._refusal(fmt, RequestRefused(503, "open311.unavailable"))
        except _BodyTooBig:
            raise
        except Exception:  # still the specification's shape: a client must be able to read it
            log.exception("request failed: %s %s", request.method, request.url.path)
            return self._refusal(fmt, RequestRefused(500, "open311.failed"))

    def _refusal(self, fmt: str, refused: RequestRefused) -> Response:
        response = formats.errors(fmt, refused.status, [self.describe(refused)])
        retry = refused.params.get("retry_after")
        if retry is not None:
            response.headers["Retry-After"] = str(retry)
        return response

    def _limit(self, limiter: RateLimiter, name: str) -> None:
        wait = limiter.take(name)
        if wait > 0:
            raise RequestRefused(
                429,
                "open311.rate_limited",
                per_minute=limiter.per_minute,
                retry_after=int(wait) + 1,
            )

    def _check_jurisdiction(self, request: Request) -> None:
        asked = request.query_params.get("jurisdiction_id")
        if asked and self.config.jurisdiction and asked != self.config.jurisdiction:
            raise RequestRefused(404, "open311.jurisdiction_unknown", jurisdiction=asked[:100])

    async def not_found(self, request: Request, exc: Exception) -> Response:
        fmt = "xml" if request.url.path.endswith(".xml") else "json"
        return self._refusal(fmt, RequestRefused(404, "open311.no_such_resource"))

    async def not_allowed(self, request: Request, exc: Exception) -> Response:
        fmt = "xml" if request.url.path.endswith(".xml") else "json"
        return self._refusal(fmt, RequestRefused(405, "open311.method_not_allowed"))

    # --- the endpoints ----------------------------------------------------------------------
    async def published(self, request: Request) -> Response:
        """An exported file: the catalogue, or a file it names; nothing else of the folder.

        Not a temporary file being written, not whatever else the folder may hold (a city that
        pointed it at its data folder would otherwise serve its database).
        """
        folder, name = self.config.export_folder, request.path_params["name"]
        allowed = await anyio.to_thread.run_sync(published_files, folder)
        if name != CATALOGUE and name not in allowed:
            return JSONResponse({"error": "not found"}, status_code=404)
        try:  # opened once: the nightly export may replace or remove it meanwhile
            file = await anyio.to_thread.run_sync(open, folder / name, "rb")
        except OSError:
            return JSONResponse({"error": "not found"}, status_code=404)
        size = os.fstat(file.fileno()).st_size

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while chunk := await anyio.to_thread.run_sync(file.read, 65536):
                    yield chunk
            finally:
                file.close()

        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StreamingResponse(chunks(), media_type=media, headers={"Content-Length": str(size)})

    async def health(self, request: Request) -> Response:
        """A static answer: what the bench compares the endpoints with."""
        return JSONResponse({"service": "vigie-open311", "status": "up"})

    async def discovery(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            base = self._base_url(request)
            endpoint = {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base + PREFIX,
                "changeset": "2026-12-08T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
            body = {"changeset": endpoint["changeset"], "contact": "", "endpoints": [endpoint]}
            if fmt == "json":
                return JSONResponse(body)
            return formats.definition(fmt, body, root="discovery")

        return await self._guarded(request, act)

    async def services(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            listed = [_service_entry(s) for s in intake.services_by_code().values()]
            return formats.answer(fmt, "services", listed)

        return await self._guarded(request, act)

    async def definition(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            code = request.path_params["code"]
            service = intake.services_by_code().get(code)
            if service is None or not service.metadata:
                raise RequestRefused(404, "open311.service_unknown", code=code[:64])
            return formats.definition(fmt, _definition(service))

        return await self._guarded(request, act)

    async def post(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            form, photo = await _read_form(request)
            self._check_jurisdiction_form(form)
            try:
                key_name, exempt = await self._key(form)
            except RequestRefused:  # guessing keys costs the address its tokens too
                self._limit(self.by_address, f"address:{_address(request)}")
                raise
            if not exempt:
                self._limit(self.by_address, f"address:{_address(request)}")
                self._limit(self.by_key, f"key:{key_name}")
            new = intake.new_request(form, key_name, photo)
            recorded = await self._in_writer(self._record, new)
            try:  # recorded: the consoles' wake-up failing must not make the citizen post again
                self.announce(recorded.incident_id, recorded.version)
            except Exception:
                log.exception("could not wake the consoles for incident %s", recorded.incident_id)
            answer = {
                "service_request_id": recorded.service_request_id,
                "token": recorded.token,
                "service_notice": None,
                "account_id": None,
            }
            return formats.answer(fmt, "requests", [answer], status=201)

        # The address's bucket is taken after the key is known: the bench's key is exempt.
        return await self._guarded(request, act, limited=False)

    async def requests(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            query = _query(request.query_params)
            found = await self._in_reader(lambda s: open311.public_requests(s, **query))
            base = self._base_url(request)
            return formats.answer(fmt, "requests", [self._entry(r, base) for r in found])

        return await self._guarded(request, self._cached(request, act))

    async def request(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            ident = request.path_params["ident"]
            found = await self._in_reader(lambda s: open311.public_request(s, ident))
            if found is None:
                raise RequestRefused(404, "open311.request_unknown", id=ident[:64])
            return formats.answer(fmt, "requests", [self._entry(found, self._base_url(request))])

        return await self._guarded(request, self._cached(request, act))

    async def token(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            token = request.path_params["token"]
            ident = await self._in_reader(lambda s: open311.request_of_token(s, token))
            if ident is None:
                raise RequestRefused(404, "open311.token_unknown")
            return formats.answer(fmt, "requests", [{"service_request_id": ident, "token": token}])

        return await self._guarded(request, act)

    async def photo(self, request: Request) -> Response:
        async def act(fmt: str) -> Response:
            ident = request.path_params["ident"]
            found = await self._in_reader(lambda s: open311.public_photo(s, ident))
            if found is None:
                raise RequestRefused(404, "open311.request_unknown", id=ident[:64])
            content_type, data = found
            # A citizen's upload, served as what it is and nothing a browser would run.
            headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"}
            return Response(data, media_type=content_type, headers=headers)

        return await self._guarded(request, act)

    # --- helpers ----------------------------------------------------------------------------
    def _check_jurisdiction_form(self, form: Mapping[str, list[str]]) -> None:
        asked = (form.get("jurisdiction_id") or [""])[-1]
        if asked and self.config.jurisdiction and asked != self.config.jurisdiction:
            raise RequestRefused(404, "open311.jurisdiction_unknown", jurisdiction=asked[:100])

    async def _key(self, form: Mapping[str, list[str]]) -> tuple[str, bool]:
        given = (form.get("api_key") or [""])[-1].strip()
        if not given:
            raise RequestRefused(403, "open311.key_missing")
        if time.monotonic() - self._keys.read_at > KEYS_FOR:
            by_digest = await self._in_reader(open311.active_keys)
            self._keys = _Keys(by_digest, time.monotonic())
        found = self._keys.by_digest.get(open311.digest(given))
        if found is None:
            raise RequestRefused(403, "open311.key_invalid")
        return found

    async def _in_reader(self, reading: Callable[[Any], Any]) -> Any:
        return await anyio.to_thread.run_sync(self._read, reading, limiter=self._limiters()[0])

    async def _in_writer(self, act: Callable[..., Any], *args: Any) -> Any:
        return await anyio.to_thread.run_sync(act, *args, limiter=self._limiters()[1])

    def _limiters(self) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
        """Two readers' threads and one writer's, made in the event loop.

        Not Starlette's forty: they share one interpreter lock, and a write (one writer at a
        time on SQLite anyway) waited behind every read (``vigie bench opendata``).
        """
        if self._threads is None:
            self._threads = (anyio.CapacityLimiter(READ_THREADS), anyio.CapacityLimiter(1))
        return self._threads

    def _cached(self, request: Request, act: Callable[[str], Any]) -> Callable[[str], Any]:
        """``act``, its answers kept ``read_cache_seconds`` for the same URL (a public read).

        Citizens' apps poll the same lists: a second's staleness spares the database most of
        them. Only answers (200) are kept; refusals are not. While a URL is read, whoever asks
        for it waits for that reading rather than reading too: when an answer runs out, the
        readers it served would otherwise all reach the database at once.
        """
        ttl = self.config.read_cache_seconds
        if ttl <= 0:
            return act
        key = f"{request.headers.get('host', '')} {request.url.path}?{request.url.query}"

        async def cached(fmt: str) -> Response:
            kept = self._answers.get(key)
            if kept is not None and kept[0] > time.monotonic():
                return Response(kept[1], media_type=kept[2])
            reading = self._reading.get(key)
            if reading is not None:  # the same URL being read: its answer serves them all
                shared = await asyncio.shield(reading)
                if shared is not None:
                    return Response(shared[0], media_type=shared[1])
                return await act(fmt)  # it was refused: each is answered on its own
            reading = self._reading[key] = asyncio.get_running_loop().create_future()
            answer = None
            try:
                response = await act(fmt)
                if response.status_code == 200:
                    answer = (response.body, response.media_type)
                    self._keep(key, time.monotonic() + ttl, answer)
                return response
            finally:
                del self._reading[key]
                reading.set_result(answer)

        return cached

    def _keep(self, key: str, until: float, answer: tuple[bytes, str | None]) -> None:
        """Keep an answer; past the budget, drop the expired ones, then everything.

        Made-up query strings cannot grow the cache without end.
        """
        if len(self._answers) >= CACHED_ANSWERS or self._cached_bytes > CACHED_BYTES:
            now = time.monotonic()
            self._answers = {k: v for k, v in self._answers.items() if v[0] > now}
            if len(self._answers) >= CACHED_ANSWERS // 2 or self._cached_bytes > CACHED_BYTES:
                self._answers = {}
            self._cached_bytes = sum(len(v[1]) for v in self._answers.values())
        self._answers[key] = (until, *answer)
        self._cached_bytes += len(answer[0])

    def _record(self, new: open311.NewRequest) -> open311.Recorded:
        with self.db.write() as session:
            return open311.record_request(session, new)

    def _read(self, reading: Callable[[Any], Any]) -> Any:
        with self.db.read() as session:
            return reading(session)

    def _base_url(self, request: Request) -> str:
        return self.config.base_url.rstrip("/") or str(request.base_url).rstrip("/")

    def _entry(self, found: PublicRequest, base: str) -> dict[str, Any]:
        service = intake.services_by_code().get(found.service_code)
        media = found.media_url
        if media is None and found.photo_type is not None:
            media = f"{base}{PREFIX}/media/{found.service_request_id}"
        return {
            "service_request_id": found.service_request_id,
            "status": found.status,
            "status_notes": found.status_notes,
            "service_name": service.name if service else found.service_code,
            "service_code": found.service_code,
            "description": found.description,
            "agency_responsible": service.agency if service else None,
            "service_notice": None,
            "requested_datetime": w3_time(found.requested_at),
            "updated_datetime": w3_time(found.updated_at),
            "expected_datetime": w3_time(found.expected_at) if found.expected_at else None,
            "address": found.address,
            "address_id": None,
            "zipcode": None,
            "lat": found.lat,
            "long": found.lon,
            "media_url": media,
        }


async def _read_form(request: Request) -> tuple[dict[str, list[str]], bytes | None]:
    try:
        async with request.form(max_files=1, max_fields=200, max_part_size=MAX_BODY) as form:
            fields: dict[str, list[str]] = {}
            photo = None
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if name != "media":
                        raise RequestRefused(400, "open311.upload_field", name=name[:64])
                    # A browser's form with no photo chosen still sends an empty part.
                    photo = await value.read(MAX_PHOTO_BYTES + 1) or None
                else:
                    fields.setdefault(name, []).append(value)
            return fields, photo
    except RequestRefused:
        raise
    except _BodyTooBig:
        raise
    except Exception as exc:  # a body python-multipart cannot read: the client's mistake
        raise RequestRefused(400, "open311.form_unreadable", reason=str(exc)[:200]) from None


def _query(params: Mapping[str, str]) -> dict[str, Any]:
    """GET requests' filters, checked; ``service_request_id`` overrides the others (spec)."""
    ids = _listed(params.get("service_request_id"))
    if ids:
        return {"ids": ids[:PAGE_SIZE], "limit": PAGE_SIZE}
    statuses = _listed(params.get("status"))
    wrong = [s for s in statuses if s not in ("open", "closed")]
    if wrong:
        raise RequestRefused(400, "open311.status_unknown", status=wrong[0][:32])
    start, end = _date(params, "start_date"), _date(params, "end_date")
    window = timedelta(days=WINDOW_DAYS)
    try:
        if end is None:
            end = min(utcnow(), start + window) if start is not None else utcnow()
        if start is None:
            start = end - window
    except OverflowError:  # a date at the calendar's edge
        raise RequestRefused(400, "open311.dates_reversed") from None
    if end < start:
        raise RequestRefused(400, "open311.dates_reversed")
    if end - start > window:
        raise RequestRefused(400, "open311.dates_too_far", days=WINDOW_DAYS)
    page = _number(params, "page", 1)
    size = min(_number(params, "page_size", PAGE_SIZE), PAGE_SIZE)
    return {
        "codes": _listed(params.get("service_code")),
        "statuses": statuses,
        "start": start,
        "end": end,
        "limit": size,
        "offset": (page - 1) * size,
    }


def _listed(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _date(params: Mapping[str, str], name: str) -> datetime | None:
    value = params.get(name)
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RequestRefused(400, "open311.date_bad", field=name, value=value[:40]) from None
    if at.tzinfo is None:  # the specification asks for the offset: a time without one is unsure
        raise RequestRefused(400, "open311.date_bad", field=name, value=value[:40])
    return at.astimezone(UTC)


def _number(params: Mapping[str, str], name: str, default: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value[:12]) <= MAX_PAGE:
        raise RequestRefused(400, "open311.page_bad", field=name, value=value[:20])
    return int(value)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _service_entry(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": service.metadata,
        "type": service.type,
        "keywords": ", ".join(service.keywords),
        "group": service.group,
    }


def _definition(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": a.order,
                "description": a.description,
                "values": [{"key": v.key, "name": v.name} for v in a.values],
            }
            for a in sorted(service.attributes, key=lambda a: a.order)
        ],
    }
