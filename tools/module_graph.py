#!/usr/bin/env python3
"""The crate's file-level import graph: no circles, and no arrow running back up its layers.

    module_graph.py [crate/src]      prints each problem; exits 1 if there is any

A file depends on another when it names an item defined there: `use crate::a::b::Name`,
`super::Name`, `self::x::Name`, or such a path inline. Paths are resolved through the module
files and through `pub use` re-exports; a re-export itself is not a dependency, so a `mod.rs`
that only re-exports depends on nothing;
comments, strings and `#[cfg(test)]` modules are ignored.

Every top-level module sits on a layer (`LAYERS`, lowest first). A file may use files of its own
layer and of lower ones; an arrow from a lower layer to a higher one runs back up. Files in one
layer may not form a circle either.
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

# Lowest first. A module may depend on modules of its own or earlier lines.
LAYERS = [
    ["numeric", "limits", "progress"],
    ["model"],
    ["sample"],
    ["analysis"],
    ["learn"],
    ["plot"],
    ["output"],
    ["studies"],
    ["lib", "error"],  # error.rs only re-exports the errors defined next to their modules
]

DEF = re.compile(
    r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(?:const\s+fn|async\s+fn|fn|struct|enum|trait|type|const|static|"
    r"mod|union|macro_rules!)\s+(\w+)",
    re.M,
)
USE = re.compile(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.S)
PATH = re.compile(r"\b((?:crate|super|self)(?:::\w+)+)")
MACRO_DEF = re.compile(r"multiversion!\(\s*(?:pub(?:\([^)]*\))?\s+)?fn\s+(\w+)")


def strip(source):
    """The source without comments, string contents and `#[cfg(test)]` modules."""
    source = re.sub(r"//[^\n]*", "", source)
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r'"(?:\\.|[^"\\])*"', '""', source)
    kept, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{", source):
        if m.start() < i:
            continue
        kept.append(source[i : m.start()])
        depth, j = 1, m.end()
        while j < len(source) and depth:
            depth += {"{": 1, "}": -1}.get(source[j], 0)
            j += 1
        i = j
    kept.append(source[i:])
    return "".join(kept)


def expand(tree):
    """`a::{b, c::{d, e}}` → [`a::b`, `a::c::d`, `a::c::e`] (aliases already removed); `self` in
    braces names the prefix."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix = tree[:start].rstrip(":")
                parts, level, last = [], 0, start + 1
                for j in range(start + 1, i):
                    level += {"{": 1, "}": -1}.get(tree[j], 0)
                    if tree[j] == "," and level == 0:
                        parts.append(tree[last:j])
                        last = j + 1
                parts.append(tree[last:i])
                paths = []
                for part in filter(None, parts):
                    paths += [prefix if p == "self" else f"{prefix}::{p}" for p in expand(part)]
                return paths
    return [tree]


class Crate:
    def __init__(self, src):
        self.src = Path(src)
        self.files = {}  # module path tuple → file
        for f in sorted(self.src.rglob("*.rs")):
            rel = f.relative_to(self.src).with_suffix("").parts
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel == ("lib",):
                rel = ()
            self.files[rel] = f
        self.text = {m: strip(f.read_text()) for m, f in self.files.items()}
        self.defines = {m: set(DEF.findall(t)) | set(MACRO_DEF.findall(t)) for m, t in self.text.items()}
        self.uses = {m: self._uses(m) for m in self.files}

    def _uses(self, module):
        """(path, public) for every `use` of the module, paths made absolute (crate-rooted)."""
        found = []
        for m in USE.finditer(self.text[module]):
            tree = re.sub(r"\s+as\s+\w+", "", m.group(2))
            for path in expand(tree):
                absolute = self.absolute(module, path)
                if absolute is not None:
                    found.append((absolute, bool(m.group(1))))
        return found

    def absolute(self, module, path):
        parts = path.split("::")
        if parts[0] == "crate":
            return tuple(parts[1:])
        base = list(module)
        if parts[0] == "self":
            return tuple(base + parts[1:])
        if parts[0] == "super":
            while parts and parts[0] == "super":
                base = base[:-1]
                parts = parts[1:]
            return tuple(base + parts)
        if tuple(base + parts[:1]) in self.files:
            return tuple(base + parts)  # a child module, named relative to this one
        return None  # an external crate or a name in scope

    def resolve(self, path, seen=()):
        """The file defining the item at absolute `path` (following re-exports), or None."""
        if path in seen:
            return None
        seen = seen + (path,)
        if path in self.files:
            return self.files[path]
        for cut in range(len(path) - 1, -1, -1):
            module, rest = path[:cut], path[cut:]
            if module not in self.files:
                continue
            name = rest[0]
            for used, public in self.uses[module]:
                if used[-1] == name or used[-1] == "*":
                    target = used + rest[1:] if used[-1] == name else used[:-1] + rest
                    found = self.resolve(target, seen)
                    if found is not None and (public or found != self.files[module]):
                        if public:
                            return found
            if name in self.defines[module]:
                return self.files[module]
            return None
        return None

    def arrows(self):
        """file → {file it depends on: [names]}."""
        graph = defaultdict(lambda: defaultdict(set))
        for module, text in self.text.items():
            here = self.files[module]
            # A path followed by `::{` is the prefix of a use tree, which `uses` expands.
            inline = [m.group(1) for m in PATH.finditer(text) if not text.startswith("::{", m.end())]
            paths = {self.absolute(module, p) for p in inline}
            # A re-export (`pub use`) passes a name on; it is not a dependency of its own.
            paths |= {used for used, public in self.uses[module] if not public}
            for path in filter(None, paths):
                if path and path[-1] == "*":
                    continue
                target = self.resolve(path)
                if target is not None and target != here:
                    graph[here][target].add(path[-1])
        return graph


def layer_of(src, file):
    top = file.relative_to(src).parts[0].removesuffix(".rs")
    for level, modules in enumerate(LAYERS):
        if top in modules:
            return level, top
    return None, top


def circles(graph):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def problems(src):
    src = Path(src)
    crate = Crate(src)
    graph = crate.arrows()
    found = []
    for component in circles(graph):
        names = ", ".join(str(f.relative_to(src)) for f in component)
        found.append(f"circle of {len(component)} files: {names}")
        for a in component:
            for b, items in sorted(graph[a].items()):
                if b in component:
                    found.append(f"  {a.relative_to(src)} -> {b.relative_to(src)}: {', '.join(sorted(items))}")
    for a, targets in sorted(graph.items()):
        (la, ma) = layer_of(src, a)
        for b, items in sorted(targets.items()):
            (lb, mb) = layer_of(src, b)
            if la is None or lb is None:
                unknown = ma if la is None else mb
                found.append(f"module `{unknown}` has no layer in tools/module_graph.py")
            elif lb > la:
                found.append(
                    f"arrow back up: {a.relative_to(src)} ({ma}) -> {b.relative_to(src)} ({mb}): {', '.join(sorted(items))}"
                )
    arrows = sum(len(t) for t in graph.values())
    return sorted(set(found), key=found.index), len(crate.files), arrows


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "crate/src"
    found, files, arrows = problems(src)
    for line in found:
        print(line)
    print(f"{files} files, {arrows} arrows, {sum(l.startswith('circle') for l in found)} circles, "
          f"{sum(l.startswith('arrow back up') for l in found)} arrows back up")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
