"""Page weight: the bytes a browser downloads to show a page, and where from.

A page's weight is its HTML plus every stylesheet, script and image it loads
(and whatever those stylesheets load in turn through url() or @import),
counted once each, as the bodies the server sends (it sends no compression).
Anything that would be fetched from another origin is listed: the target is
zero requests to other hosts, so nobody else learns who uses the wizard.
Links a person may follow (<a href>) are not loaded by the page and so are
not counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from client import fetch

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
# <link rel=...> values that make the browser fetch the href when the page loads.
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
                "prefetch", "manifest"}


class SubresourceFinder(HTMLParser):
    """Collects the URLs a page loads by itself: stylesheets, scripts, images, frames, media."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link" and LOADING_RELS & set(attributes.get("rel", "").lower().split()):
            self.urls.append(attributes.get("href", ""))
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video", "track") \
                or (tag == "input" and attributes.get("type") == "image"):
            self.urls.append(attributes.get("src", ""))
        if tag in ("img", "source") and attributes.get("srcset"):
            self.urls.extend(candidate.split()[0] for candidate in attributes["srcset"].split(","))
        if tag == "object":
            self.urls.append(attributes.get("data", ""))
        if "style" in attributes:  # inline style="background: url(...)"
            self.urls.extend(a or b for a, b in CSS_URL.findall(attributes["style"]))

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style":
            self.urls.extend(a or b for a, b in CSS_URL.findall(data))


@dataclass
class PageWeight:
    """What one page costs to load."""

    path: str
    html_bytes: int
    subresources: dict[str, int] = field(default_factory=dict)  # same-origin URL -> bytes
    other_hosts: list[str] = field(default_factory=list)  # URLs on other origins (target: none)

    @property
    def total_bytes(self) -> int:
        return self.html_bytes + sum(self.subresources.values())

    def by_kind(self) -> str:
        """'HTML 3.2 KB + CSS 5.5 KB + JS 0.6 KB', for the table."""
        kinds: dict[str, int] = {"HTML": self.html_bytes}
        for url, size in self.subresources.items():
            kind = urlsplit(url).path.rsplit(".", 1)[-1].upper()
            kinds[kind] = kinds.get(kind, 0) + size
        return " + ".join(f"{kind} {size / 1000:.1f} KB" for kind, size in kinds.items())


def same_origin(url: str, origin: str) -> bool:
    target, home = urlsplit(url), urlsplit(origin)
    return (target.scheme, target.netloc) == (home.scheme, home.netloc)


def weigh_page(port: int, origin: str, path: str, html: bytes,
               fetched: dict[str, tuple[int, list[str]]] | None = None) -> PageWeight:
    """Weigh a page whose HTML was already fetched (``path``: its path and query string).

    ``fetched`` (URL -> its size and the URLs it loads in turn) lets many pages share one fetch
    of each stylesheet, script and image.
    """
    fetched = {} if fetched is None else fetched
    weight = PageWeight(path, len(html))
    todo = [urljoin(origin + path, url) for url in find_subresources(html.decode())]
    while todo:
        url = todo.pop(0)
        if url.startswith("data:") or url in weight.subresources or url in weight.other_hosts:
            continue
        if not same_origin(url, origin):
            weight.other_hosts.append(url)  # never fetched: we only ever talk to 127.0.0.1
            continue
        if url not in fetched:
            response = fetch(port, "GET", urlsplit(url).path)
            if response.status != 200:
                raise RuntimeError(f"{path} loads {url}, which answers {response.status}")
            loads = ([urljoin(url, a or b) for a, b in CSS_URL.findall(response.body.decode())]
                     if urlsplit(url).path.endswith(".css") else [])
            fetched[url] = (len(response.body), loads)
        weight.subresources[url], loads = fetched[url]
        todo.extend(loads)
    return weight


def find_subresources(html: str) -> list[str]:
    finder = SubresourceFinder()
    finder.feed(html)
    return [url for url in finder.urls if url and not url.startswith("data:")]
