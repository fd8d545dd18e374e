"""Impact-chain graph algorithms, on plain ids and kinds (no database): the rules of direction,
the cycle check, the complete chains, the gaps and the layered layout.

A chain runs hazard -> impact on an urban system -> consequence -> affected group or area.
Links only go one step forward along that order, with one exception: impact -> impact, the
cascade of one urban system's failure into another's (drainage overwhelmed -> roads closed).
The urban systems analysis of the ACCCRN process is about exactly these dependencies between
systems, so the graph must be able to say them; every other same-kind or backward link is a
mistake. Cycles can therefore only form among impacts, and are refused there.
"""
from collections import defaultdict

HAZARD, IMPACT, CONSEQUENCE, AFFECTED = "hazard", "impact", "consequence", "affected"
KIND_ORDER = [HAZARD, IMPACT, CONSEQUENCE, AFFECTED]
ALLOWED = {(HAZARD, IMPACT), (IMPACT, IMPACT), (IMPACT, CONSEQUENCE), (CONSEQUENCE, AFFECTED)}
# Listing every chain of a dense graph is exponential; pages show this many and say so.
MAX_CHAINS = 500


def direction_allowed(from_kind, to_kind):
    return (from_kind, to_kind) in ALLOWED


def reaches(links, start, goal):
    """Whether `goal` can be reached from `start` following `links` [(from, to), ...]."""
    out = defaultdict(list)
    for a, b in links:
        out[a].append(b)
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in out[node]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def cycle_path(links, from_id, to_id):
    """The path to_id -> ... -> from_id that adding from_id -> to_id would close, or None."""
    out = defaultdict(list)
    for a, b in links:
        out[a].append(b)
    parent, stack = {to_id: None}, [to_id]
    while stack:
        node = stack.pop()
        if node == from_id:
            path = []
            while node is not None:
                path.append(node)
                node = parent[node]
            return list(reversed(path))
        for nxt in sorted(out[node]):
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)
    return None


def complete_chains(kinds, links, limit=MAX_CHAINS):
    """Every path from a hazard to an affected node, as lists of ids, in a stable order;
    at most `limit` (the second value says whether some were left out)."""
    out = defaultdict(list)
    for a, b in sorted(links):
        out[a].append(b)
    chains, truncated = [], False

    def walk(path):
        nonlocal truncated
        if len(chains) >= limit:
            truncated = True
            return
        node = path[-1]
        if kinds[node] == AFFECTED:
            chains.append(list(path))
            return
        for nxt in out[node]:
            if nxt not in path:  # the rules forbid cycles; this keeps a bad row from looping
                walk(path + [nxt])

    for node in sorted(n for n, k in kinds.items() if k == HAZARD):
        walk([node])
    return chains, truncated


def node_gaps(kinds, links):
    """{node id: set of what is missing}: "cause" when no hazard leads to it, "effect" when it
    leads to nobody affected. Nodes on a complete chain have none."""
    out, into = defaultdict(set), defaultdict(set)
    for a, b in links:
        out[a].add(b)
        into[b].add(a)

    def closure(starts, step):
        seen, stack = set(starts), list(starts)
        while stack:
            for nxt in step[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    from_hazard = closure([n for n, k in kinds.items() if k == HAZARD], out)
    to_affected = closure([n for n, k in kinds.items() if k == AFFECTED], into)
    gaps = {}
    for node in kinds:
        missing = set()
        if node not in from_hazard:
            missing.add("cause")
        if node not in to_affected:
            missing.add("effect")
        if missing:
            gaps[node] = missing
    return gaps


# -- layout -------------------------------------------------------------------------------
def columns(kinds, order, links):
    """Nodes in layers: hazards, impacts (one sub-column per cascade depth, so cascade links
    still run left to right), consequences, affected. `order` gives the starting order."""
    impact_links = [(a, b) for a, b in links if kinds.get(a) == IMPACT and kinds.get(b) == IMPACT]
    depth = {n: 0 for n, k in kinds.items() if k == IMPACT}
    # Longest path from a root impact; the graph among impacts is acyclic, so this settles
    # in at most len(depth) rounds (bounded anyway, in case a bad row sneaked in).
    for _round in range(len(depth)):
        changed = False
        for a, b in impact_links:
            if depth[b] < depth[a] + 1 <= len(depth):
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    impact_layers = max(depth.values(), default=0) + 1
    layers = [[] for _ in range(impact_layers + 3)]
    for node in sorted(kinds, key=lambda n: (order.get(n, 0), n)):
        kind = kinds[node]
        if kind == HAZARD:
            layers[0].append(node)
        elif kind == IMPACT:
            layers[1 + depth[node]].append(node)
        elif kind == CONSEQUENCE:
            layers[impact_layers + 1].append(node)
        else:
            layers[impact_layers + 2].append(node)
    return layers


def crossings(layers, links):
    """Number of pairs of links that cross, counting links between any two layers."""
    where = {n: (i, pos) for i, layer in enumerate(layers) for pos, n in enumerate(layer)}
    edges = [(where[a], where[b]) for a, b in links if a in where and b in where]
    count = 0
    for i, ((la, pa), (lb, pb)) in enumerate(edges):
        for (la2, pa2), (lb2, pb2) in edges[i + 1:]:
            if (la, lb) == (la2, lb2) and (pa - pa2) * (pb - pb2) < 0:
                count += 1
    return count


def order_layers(layers, links, sweeps=8):
    """Barycentre ordering (Sugiyama's heuristic): sweep right then left, placing each node at
    the mean position of its neighbours in the layers already placed; keep the best ordering
    seen. Ties keep the current order, so the result is deterministic."""
    layers = [list(layer) for layer in layers]
    layer_of = {n: i for i, layer in enumerate(layers) for n in layer}
    left, right = defaultdict(list), defaultdict(list)
    for a, b in links:
        if a in layer_of and b in layer_of:
            right[a].append(b)
            left[b].append(a)

    def reorder(index, neighbours):
        position = {n: p for layer in layers for p, n in enumerate(layer)}
        current = layers[index]

        def key(item):
            pos, node = item
            near = [position[m] for m in neighbours[node]]
            return (sum(near) / len(near) if near else pos, pos)

        layers[index] = [n for _pos, n in sorted(enumerate(current), key=key)]

    best, best_count = [list(layer) for layer in layers], crossings(layers, links)
    for _sweep in range(sweeps):
        for index in range(1, len(layers)):
            reorder(index, left)
        for index in range(len(layers) - 2, -1, -1):
            reorder(index, right)
        count = crossings(layers, links)
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
        if best_count == 0:
            break
    return best, best_count
