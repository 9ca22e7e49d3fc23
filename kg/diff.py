"""The facts added and removed between two graphs, grouped by subject, for a CI log."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .graph import new_graph
from .view import label_of
from .vocab import PREFIXES, RDFS


_NAMES = new_graph().namespace_manager


@dataclass(frozen=True)
class Diff:
    added: frozenset[tuple[Node, Node, Node]]
    removed: frozenset[tuple[Node, Node, Node]]

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


def diff(old: Graph, new: Graph) -> Diff:
    """Triples in `new` only (added) and in `old` only (removed). Our graphs have no blank nodes."""
    old_set, new_set = set(old), set(new)
    return Diff(frozenset(new_set - old_set), frozenset(old_set - new_set))


def short(node: Node) -> str:
    """A node as a reader wants it: prefixed name, or a quoted literal.

    >>> short(URIRef("https://w3id.org/vjkg/resource/person/nguyen-manh-hung"))
    'kgr:person/nguyen-manh-hung'
    >>> short(Literal("Hanoï", lang="fr"))
    '"Hanoï"@fr'
    """
    if isinstance(node, URIRef):
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if str(node).startswith(str(ns)):
                return f"{prefix}:{str(node)[len(str(ns)):]}"
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(_NAMES)
    return str(node)


def format_diff(d: Diff, old: Graph, new: Graph) -> str:
    """One block per subject, labelled when the subject has a label, '+' added, '-' removed."""
    by_subject: dict[Node, list[tuple[str, Node, Node]]] = defaultdict(list)
    for s, p, o in d.added:
        by_subject[s].append(("+", p, o))
    for s, p, o in d.removed:
        by_subject[s].append(("-", p, o))
    lines = [f"{len(d.added)} triple(s) added, {len(d.removed)} removed, {len(by_subject)} subject(s)"]
    for subject in sorted(by_subject, key=str):
        source = new if (subject, None, None) in new else old
        label = label_of(source, subject) if (subject, RDFS.label, None) in source else None
        lines.append("")
        lines.append(short(subject) + (f"  ({label})" if label is not None else ""))
        for sign, p, o in sorted(by_subject[subject], key=lambda t: (str(t[1]), str(t[2]), t[0])):
            lines.append(f"  {sign} {short(p)} {short(o)}")
    return "\n".join(lines) + "\n"
