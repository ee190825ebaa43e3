"""What a source file imports, read from its syntax tree (the ui layering tests share it)."""

import ast


def imports(path):
    """Every module a file imports, with ``from a import b`` read as both a and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)
