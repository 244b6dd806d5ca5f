"""Splitting a stage into independent parts (connected components) that are solved one by one."""
from __future__ import annotations


def components(edges_by_node: dict) -> list[list]:
    """Connected components of an undirected graph given as node -> neighbours (nodes sortable), each sorted,
    in a stable order."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node, neighbours in edges_by_node.items():
        root = find(node)
        for other in neighbours:
            other_root = find(other)
            if other_root != root:
                parent[max(root, other_root)] = min(root, other_root)
                root = min(root, other_root)
    groups: dict = {}
    for node in sorted(parent):
        groups.setdefault(find(node), []).append(node)
    return sorted(groups.values(), key=lambda g: g[0])


def request_parts(people_of: dict[int, list[str]], groups: list[list[str]] | None = None) -> list[list[int]]:
    """Requests linked through the people they share (and people linked by `groups`), one list per part."""
    graph: dict = {(0, r): [(1, p) for p in people] for r, people in people_of.items()}
    for group in groups or []:
        graph.setdefault((1, group[0]), []).extend((1, p) for p in group[1:])
    parts = [[r for kind, r in part if kind == 0] for part in components(graph)]
    return [part for part in parts if part]
