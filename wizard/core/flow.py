"""Load the triage flow from its data files into a Flow object.

The content directory holds:

- ``flow.yaml``      routing: nodes, option keys, where each option leads;
- ``contacts.yaml``  phone numbers and web addresses of support contacts;
- ``sources.yaml``   where every fact comes from, with its review date;
- ``text/<lang>.yaml`` everything a person reads, one file per language.

Loading happens in two steps so that a broken flow is reported, never half
built: :func:`read_content` parses the files into plain data (``RawContent``),
:mod:`wizard.core.check` reports every problem in it, and only then
:func:`build_flow` turns it into the frozen objects the engine and pages use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wizard.core.check import check_content
from wizard.core.reference_codes import content_version
from wizard.core.graph import option_targets
from wizard.core.sign_in import for_sign_in
from wizard.core.startup import collector_paused
from wizard.core.translations import TAG_PREFIX, construct_translated

CONTENT_DIR = Path(__file__).parent.parent / "content"
CONTENT_FILES = ("flow.yaml", "contacts.yaml", "sources.yaml", "addresses.yaml")
DEFAULT_LANGUAGE = "en"


SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


class ContentLoader(SafeLoader):
    """YAML loader for content: only true/false are booleans.

    Plain YAML 1.1 reads ``yes``, ``no``, ``on`` and ``off`` as booleans, which
    silently turns the option keys ``yes`` and ``no`` into True and False.
    """


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}
ContentLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# `!en-5d41402a "texto"`: a translated string and the hash of the English it translates (core/translations.py)
ContentLoader.add_multi_constructor(TAG_PREFIX, construct_translated)


class ContentError(Exception):
    """The content files cannot be read or describe an invalid flow."""

    def __init__(self, problems: list[Any]):
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"The triage flow is invalid ({len(problems)} problem(s)):\n{lines}")


@dataclass
class RawContent:
    """The parsed content files, before any checking."""

    directory: Path
    flow: Any
    contacts: Any
    sources: Any
    addresses: Any
    texts: dict[str, Any]  # language -> parsed text file
    version: str = ""  # short hash of the files read (codes.content_version)


@dataclass(frozen=True)
class Branch:
    """One way an option can lead: to ``target`` when ``condition`` holds."""

    target: str
    condition: str | None = None


@dataclass(frozen=True)
class Node:
    """A question, or an outcome (which may offer a way to carry on)."""

    id: str
    kind: str  # "question" or "outcome"
    options: dict[str, tuple[Branch, ...]]
    contacts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    extra_when: dict[str, str] = field(default_factory=dict)
    self_service: bool = False  # an outcome the person fixes themselves: its first contact is for when they get stuck

    @property
    def is_outcome(self) -> bool:
        return self.kind == "outcome"


@dataclass(frozen=True)
class Flow:
    """The whole checked flow: routing, contacts, sources and wording."""

    start: str
    fallback_contact: str  # who to call when all else fails
    portal_contact: str  # the contact whose first web address is the portal
    sign_in: str
    nodes: dict[str, Node]
    contacts: dict[str, dict]
    sources: dict[str, dict]
    note_sources: dict[str, tuple[str, ...]]  # note id -> the sources of its facts
    texts: dict[str, dict]
    version: str = ""  # short hash of the content files: reference codes record it

    def text(self, language: str = DEFAULT_LANGUAGE) -> dict:
        return self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the content is worded in: English first, then the others by code."""
        return (DEFAULT_LANGUAGE, *sorted(language for language in self.texts if language != DEFAULT_LANGUAGE))


def parse_yaml(path: Path) -> Any:
    """Parse one content file, naming the file and line when it is not YAML."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=ContentLoader)  # noqa: S506 - a SafeLoader
    except OSError as error:
        raise ContentError([f"{path.name}: cannot be read ({error.strerror})"]) from error
    except yaml.YAMLError as error:
        raise ContentError([f"{path.name}: is not valid YAML: {error}"]) from error
    except UnicodeDecodeError as error:  # the stream reader's, before YAML sees a character
        raise ContentError([f"{path.name}: is not UTF-8 text (byte {error.start} cannot be read); "
                            "save it as UTF-8"]) from None


def read_content(directory: Path = CONTENT_DIR) -> RawContent:
    """Parse every content file in ``directory`` without checking it."""
    directory = Path(directory)
    flow, contacts, sources, addresses = (parse_yaml(directory / name) for name in CONTENT_FILES)
    text_paths = sorted((directory / "text").glob("*.yaml"))
    texts = {path.stem: parse_yaml(path) for path in text_paths}
    version = content_version({name: (directory / name).read_bytes() for name in
                               [*CONTENT_FILES, *(f"text/{path.name}" for path in text_paths)]})
    return RawContent(directory, flow, contacts, sources, addresses, texts, version)


def parse_branches(option: Any, sign_in: str) -> tuple[Branch, ...]:
    """An option's ``next`` as the Branches offered with this sign-in setting (graph.option_targets parses it)."""
    return tuple(Branch(target, condition) for condition, target in option_targets(option, sign_in))


def build_node(node_id: str, data: dict, sign_in: str) -> Node:
    options = {key: branches for key, target in (data.get("options") or {}).items()
               if (branches := parse_branches(target, sign_in))}
    return Node(
        id=node_id,
        kind=data["type"],
        options=options,
        contacts=tuple(data.get("contacts") or ()),
        sources=tuple(data.get("sources") or ()),
        notes=tuple(data.get("notes") or ()),
        extra_when=dict(data.get("extra_when") or {}),
        self_service=bool(data.get("self_service")),
    )


def build_flow(raw: RawContent, sign_in: str | None = None) -> Flow:
    """Build the Flow from checked content, for a sign-in setting (default: the content's own)."""
    sign_in = sign_in or raw.flow["portal_sign_in"]
    nodes = {node_id: build_node(node_id, data, sign_in) for node_id, data in raw.flow["nodes"].items()}
    texts = {language: for_sign_in(text, sign_in) for language, text in raw.texts.items()}
    note_sources = {note_id: tuple(note["sources"]) for note_id, note in (raw.flow.get("notes") or {}).items()}
    return Flow(raw.flow["start"], raw.flow["fallback_contact"], raw.flow["portal_contact"], sign_in,
                nodes, raw.contacts, raw.sources, note_sources, texts, raw.version)


def load_flow(directory: Path = CONTENT_DIR, sign_in: str | None = None) -> Flow:
    """Read, check and build the flow; raise ContentError listing every problem."""
    with collector_paused():
        raw = read_content(directory)
        problems = check_content(raw)
        if problems:
            raise ContentError(problems)
        return build_flow(raw, sign_in)
