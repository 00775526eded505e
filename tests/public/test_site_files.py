"""What a real site has: robots.txt keeps answer addresses and staff pages out of search engines, a favicon
(no 404 on a first visit), a meta description on public pages and noindex on staff ones."""
from __future__ import annotations

import re


def test_robots_txt_allows_only_the_start_pages(client):
    """The start page in each language (/ and /es/), nothing else."""
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.text == "User-agent: *\nAllow: /$\nAllow: /es/$\nDisallow: /\n"


def test_every_page_names_its_icon_and_the_icon_is_served(client):
    page = client.get("/").text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon
    with client.get(icon.group(1)) as served:  # WhiteNoise's file, closed with the response
        assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    assert '<link rel="icon"' in client.get("/staff/login").text


def test_public_pages_describe_the_site_and_staff_pages_ask_not_to_be_indexed(client):
    assert '<meta name="description" content="Can&#39;t sign in to the MHS GENESIS Patient Portal?' in client.get("/").text
    staff = client.get("/staff/login").text
    assert '<meta name="robots" content="noindex, nofollow">' in staff and 'name="description"' not in staff
