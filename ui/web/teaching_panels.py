"""The teaching layer's parts of the page: header controls (lessons, presentation mode, the "why"
toggle), the lesson caption, and the panel that replaces the 3-D view and the loss curve while
"Why?" is on, so the inspector sits beside the map instead of below the fold.
"""

from __future__ import annotations

from dash import dcc, html

from ui.model import lessons
from ui.model.diagram import svg_text
from ui.model.slices import DIRECTIONS
from ui.views.exports import graph_config
from ui.web import ids


def toggle(id_: str, label: str, title: str) -> html.Span:
    """A header switch: a one-option checklist, on when its value is ["on"]."""
    return html.Span(dcc.Checklist(id=id_, options=[{"label": label, "value": "on"}], value=[], className="toggle",
                                   inline=True), title=title)


def lesson_items(present: bool = False) -> list:
    """The lessons menu: every lesson's title, caption and one-click link."""
    return [html.Li([html.A(f"{i}. {lesson.title}", href=lesson.link(present), className="lesson-link",
                            **{"data-lesson": lesson.id}),
                     html.Div(lesson.caption, className="lesson-caption")])
            for i, lesson in enumerate(lessons.LESSONS, 1)]


def header_controls() -> list:
    return [
        html.Details([html.Summary("Lessons", className="button"),
                      html.Ol(lesson_items(), id=ids.LESSON_LIST, className="lesson-list")],
                     id=ids.LESSONS, className="lessons-menu"),
        html.A("Next lesson ▶", id=ids.NEXT_LESSON, href=lessons.LESSONS[0].link(), className="button",
               title="Open the next lesson (L)"),
        toggle(ids.TEACH, "Why?", "Step inspector, arrows, slice, schedule, update rules"),
        toggle(ids.PRESENT, "Present", "Presentation mode: large type, thick paths, fewer controls"),
        toggle(ids.PREDICT, "Predict", "Predict first: open at step 0, results hidden until played to the end"),
        html.Button("Reveal", id=ids.REVEAL, className="button reveal-button",
                    title="Show the results table before the end"),
    ]


def lesson_bar() -> html.Div:
    return html.Div(id=ids.LESSON_BAR, className="lesson-bar", hidden=True)


def lesson_bar_children(lesson_id) -> list:
    lesson = lessons.get(lesson_id)
    return [html.Span(f"Lesson {lessons.number(lesson_id)} of {len(lessons.LESSONS)}: ", className="lesson-number"),
            html.B(lesson.title), " ", html.Span(lesson.caption, className="lesson-caption")]


def _section(title: str, body: list, open_: bool = True) -> html.Details:
    return html.Details([html.Summary(title), *body], open=open_, className="teach-section")


def arrow_legend() -> html.Div:
    items = [("arrow-grad", "−∇f: downhill"), ("arrow-velocity", "velocity −b or −m"), ("arrow-step", "step taken"),
             ("arrow-lookahead", "Nesterov look-ahead")]
    return html.Div([html.Span([html.Span(className=f"legend-arrow {cls}"), text], className="legend-item")
                     for cls, text in items], className="arrow-legend")


def teach_panel() -> html.Div:
    """The "why" panel; its plots and inspector are drawn in the browser from the teach store."""
    return html.Div(html.Div([
        html.Div([html.Span("Follow", className="teach-label"),
                  dcc.RadioItems(id=ids.INSPECT_RUN, options=[], value=None, inline=True, className="inspect-run")],
                 className="teach-row"),
        html.Div(id=ids.INSPECTOR, className="inspector"),
        html.Div([dcc.Checklist(id=ids.TEACH_SHOW, options=[{"label": "arrows", "value": "arrows"},
                                                            {"label": "gradient field", "value": "field"}],
                                value=["arrows"], inline=True, className="teach-show"),
                  arrow_legend()], className="teach-row"),
        _section("1-D slice through the point", [
            dcc.RadioItems(id=ids.SLICE_DIRECTION, options=[{"label": v, "value": k} for k, v in DIRECTIONS.items()],
                           value="x", inline=True, className="slice-direction"),
            html.Div(id=ids.SLICE_PLOT, className="slice-plot")]),
        _section("Learning rate by step", [html.Div([
            # "Why?" sets mathjax=True: dcc then loads its MathJax bundle (2 MB, so only when asked),
            # which also typesets the update rules.
            dcc.Graph(id=ids.SCHEDULE_PLOT, config=graph_config(ids.SCHEDULE_PLOT), mathjax=False,
                      className="schedule-graph", figure={"data": [], "layout": {}}),
            html.Div(id=ids.SCHEDULE_PLOT_OVERLAY, className="overlay")], className="schedule-wrap")]),
        _section("Update rules", [html.Div(id=ids.RULES, className="rules")]),  # drawn by assets/teaching.js
        _section("How training works", [
            html.Div(id=ids.DIAGRAM, className="diagram"),
            html.Ul(id=ids.DIAGRAM_NOTES, className="diagram-notes")]),
    ], className="teach-scroll"), id=ids.TEACH_PANEL, className="panel panel-teach")


def stores() -> list:
    return [dcc.Store(id=ids.LESSON), dcc.Store(id=ids.VIEW_QUERY), dcc.Store(id=ids.PREDICT_GATE), dcc.Store(id=ids.STEP_WRITTEN), dcc.Store(id=ids.TEACH_DATA), dcc.Store(id=ids.TEACH_SCENE),
            dcc.Store(id=ids.TEACH_DRAWN), dcc.Store(id=ids.DIAGRAM_SOURCE, data=svg_text()),
            dcc.Store(id=ids.RULES_DATA), dcc.Store(id=ids.RULES_DRAWN)]
