"""Walking a Dash layout in tests: every component, depth first (the tests search it for ids and props)."""


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)
