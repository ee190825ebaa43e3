"""Element ids: the one place they are spelled.

Tests, the README and shared links rely on these, so they are stable, kebab-case, and listed in
DESIGN.md. The JavaScript under ``assets/`` reads them from here: ``ui/web/shared.py`` gives the page
``window.gradscapeShared.ids`` ({"CONTOUR": "contour", ...}), and tests/test_shared_ids.py fails if a JS
file spells one itself.
"""

# Scene controls (DESIGN.md).
LANDSCAPE = "landscape"
LANDSCAPE_INFO = "landscape-info"
OPTIMIZERS = "optimizers"
OPTIMIZER_SEARCH = "optimizer-search"
OPTIMIZER_STATUS = "optimizer-status"
LR = "lr"
LR_VALUE = "lr-value"
FIT = "fit"                      # a dataset's samples with each run's current fit (line or boundary)
FIT_PANEL = "fit-panel"          # its panel, shown only on a landscape with data
LR_TEXT = "lr-text"              # the learning rate typed as a number, beside the slider
MOMENTUM = "momentum"
START_X = "start-x"
START_Y = "start-y"
STEPS = "steps"
SCHEDULE = "schedule"
SCHEDULE_PARAM = "schedule-param"
SCHEDULE_PARAM_LABEL = "schedule-param-label"
SCHEDULE_PARAM_ROW = "schedule-param-row"
NOISE = "noise"
SEED = "seed"
ADVANCED = "advanced"
ADVANCED_SECTION = "advanced-section"

# Each slider's value, shown in its label ("<slider id>-value"; the lr one shows 10**value).
SLIDER_VALUES = {k: f"{k}-value" for k in (MOMENTUM, STEPS, START_X, START_Y, SCHEDULE_PARAM, NOISE)}

# Playback (DESIGN.md): all of them drive the one step index held by FRAME.
PLAY = "play"
STEP_BACK = "step-back"
STEP_FORWARD = "step-forward"
FRAME = "frame"
FRAME_LABEL = "frame-label"
SPEED = "speed"

# Views (DESIGN.md).
CONTOUR = "contour"
SURFACE = "surface"
LOSS_CURVE = "loss-curve"
LOG_Y = "log-y"
COLOUR_KEY = "colour-key"     # the contour map's colour key (HTML, cheaper than a Plotly colour bar)
RUN_LEGEND = "run-legend"     # which colour is which optimizer, over the contour map
CONTOUR_OVERLAY = "contour-overlay"        # assets/overlay.js draws the moving paths and markers here
LOSS_CURVE_OVERLAY = "loss-curve-overlay"
RESULTS = "results"
MESSAGE = "message"

# Sharing.
URL = "url"
COPY_LINK = "copy-link"
COPY_STATUS = "copy-status"

# Exports (ui/web/export_panel.py): a menu in the header; each button has its own dcc.Download.
EXPORT_MENU = "export-menu"
EXPORT_CSV = "export-csv"
EXPORT_GIF = "export-gif"
SAVE_SCENE = "save-scene"
LOAD_SCENE = "load-scene"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_GIF = "download-gif"
DOWNLOAD_SCENE = "download-scene"

# Stores: the scene (the truth), its query string, the trajectories for playback, and what the
# graphs already hold (so the contour grid is resent only when the landscape changes).
SCENE = "scene"
QUERY = "scene-query"
TRAJECTORIES = "trajectories"
DRAWN = "drawn"
URL_WRITTEN = "url-written"   # dummy output of the clientside history.replaceState
SPEED_SET = "speed-set"       # dummy output of the clientside speed setter
REQUEST = "scene-request"     # the browser's request gate (assets/gate.js) lets a scene request go
GATE = "scene-gate"           # dummy output of the gate's clientside callbacks (they request by set_props)
SERVED = "scene-served"       # the server's answer to one: the gate may let the next one go
SURFACE_PENDING = "surface-pending"  # store: an opened page's 3-D figure, put in once the map is drawn
WORKING = "working"           # shown while the paths drawn are older than the controls
TEACH_SCENE = "teach-scene"   # store: the key of the scene the "why" panels should follow (only while on)
STABILITY_FOR = "stability-for"  # store: the optimizer of the stability map shown, or None

# The per-optimizer controls: one pattern-matching type, {"type": OPT_HYPER, "index": "adam", "key": "beta2"},
# one box per hyperparameter the optimizer's registry entry offers (optimizers.info(name).controls) and per
# run setting (lr_x, lr_y, fixed_lr, x0, y0).
OPT_HYPER = "opt-hyper"

# Teaching (issue 4): lessons, presentation mode, and the "why" panels beside the map.
APP = "app"                      # the page's root: its class carries "present" and "teach"
FOOTER = "footer"                # the keys and what a click on the map does, in words (follows the scene)
RESTART = "restart"              # back to step 0 (the Home key)
LESSONS = "lessons"              # the lessons menu in the header, listing every lesson
LESSON_LIST = "lesson-list"
NEXT_LESSON = "next-lesson"      # a link to the next lesson (the L key)
LESSON_BAR = "lesson-bar"        # the open lesson's title and caption
LESSON = "lesson"                # store: the open lesson's id, from the link
PRESENT = "present"              # presentation-mode toggle (present=1 in the link)
TEACH = "teach"                  # the "why" panels toggle (teach=1 in the link)
PREDICT = "predict"              # predict-first toggle (predict=1 in the link): step 0, results hidden
REVEAL = "reveal"                # shows the results before the end in predict-first mode
PREDICT_GATE = "predict-gate"    # store: whether the results are hidden now (assets/share.js)
STEP_WRITTEN = "step-written"    # store: the step the address bar's t= holds (assets/share.js)
VIEW_QUERY = "view-query"        # store: the link's view flags, written after the scene's query
TEACH_PANEL = "teach-panel"
TEACH_DATA = "teach-data"        # store: the inspected run's numbers for every step, played clientside
TEACH_DRAWN = "teach-drawn"      # dummy output of the clientside loader
INSPECT_RUN = "inspect-run"      # which run the inspector, the arrows and the slice follow
INSPECTOR = "inspector"          # filled by assets/teaching.js
TEACH_SHOW = "teach-show"        # arrows on the map, gradient field
SLICE_DIRECTION = "slice-direction"
SLICE_PLOT = "slice-plot"        # drawn by assets/teaching.js
SCHEDULE_PLOT = "schedule-plot"
SCHEDULE_PLOT_OVERLAY = "schedule-plot-overlay"
RULES = "rules"                  # one update-rule card per chosen optimizer, drawn by assets/teaching.js
RULES_DATA = "rules-data"        # store: the cards' content (ui/model/teaching.py rule_cards)
RULES_DRAWN = "rules-drawn"      # dummy output of the clientside renderer
DIAGRAM = "diagram"              # "How training works": assets/teaching.js puts the SVG in it
DIAGRAM_SOURCE = "diagram-source"  # store: assets/training.svg's text
DIAGRAM_NOTES = "diagram-notes"

# Issue 5: your own formula, stochastic gradients, basin and stability maps.
EXPR = "expr"                  # the formula of the "Custom…" surface
EXPR_ROW = "expr-row"
REPEAT = "repeat"              # seeds per optimizer, the extra ones drawn faintly
BATCH = "batch-size"           # mini-batch size (dataset surfaces)
BATCH_ROW = "batch-size-row"
LOSS_KIND = "loss-kind"        # the loss curve: mini-batch or full-batch loss
LOSS_KIND_WRAP = "loss-kind-wrap"
LOSS_X = "loss-x"              # the loss curve's x axis: steps or gradient evaluations
MAP_OPTIMIZER = "map-optimizer"
BASIN_GRID = "basin-grid"
BASIN_BUTTON = "basin-button"
BASIN_MODE = "basin-mode"      # colour by minimum reached / by steps to converge
BASIN_LEGEND = "basin-legend"
BASIN = "basin"                # store: the basin map shown, for redraws in the other mode
STABILITY_BUTTON = "stability-button"
STABILITY = "stability-map"
STABILITY_PANEL = "stability-panel"
MAPS_CLEAR = "maps-clear"
MAP_STATUS = "map-status"
SLIDER_VALUES[REPEAT] = f"{REPEAT}-value"

# Issue 15: fair races, every chosen optimizer's lr tuned on the same budget (ui/web/tune_panel.py).
TUNE_BUTTON = "tune-button"    # "Tune each": sets every chosen optimizer's own lr box to its best
TUNE_SCORE = "tune-score"      # which score the tuning ranks by
TUNE_STATUS = "tune-status"
TUNE_PANEL = "tune-panel"      # under the views: the lr-sensitivity plot, the budget, the best rates
TUNE_PLOT = "tune-plot"
TUNE_BUDGET = "tune-budget"
TUNE_BEST = "tune-best"
TUNE_APPLIED = "tune-applied"  # store: the rates just set; a clientside hook then asks the gate for a scene
TUNE_GATE = "tune-gate"        # dummy output of that hook

# Network scenes: an MLP on a 2-D dataset, seen on the plane of its runs (ui/web/network_panel.py).
NET_PANEL = "net-panel"        # the network's own controls, shown for a net_<dataset> landscape
NET_HIDDEN = "net-hidden"      # hidden widths, "16" or "16,16"
NET_ACTIVATION = "net-activation"
NET_SEED = "net-seed"          # seeds the data and the initialisation
NET_LAYER_LR = "net-layer-lr"  # one lr multiplier per layer, "0.1,1"
NET_LAYERS = "net-layers"      # which layers there are, and the parameter count
START_GROUP = "start-group"    # the start sliders: hidden for a network (it starts at its initialisation)
NET_NOTE = "net-note"          # says why the start and the maps are not offered for a network
MAPS_SECTION = "maps-section"  # wraps the maps' section: hidden for a network

# Network scenes: the data with each run's decision boundary, and what one weight sees
# (ui/web/network_views_panel.py, assets/network_views.js).
NET_VIEWS_PANEL = "net-views-panel"
NET_BOUNDARY = "net-boundary"          # the data and each run's logit = 0 line at the current step
NET_WEIGHT = "net-weight"              # the weight picker: one searchable dropdown of names ("0.weight[3]")
NET_WEIGHT_PLOT = "net-weight-plot"    # the loss along that weight, its tangent and the held value
NET_VIEWS = "net-views"                # store: the payload (ui/model/network_views.py views_payload)
NET_WEIGHT_WRITTEN = "net-weight-written"  # dummy output of the weight= writer
NET_VIEWS_DRAWN = "net-views-drawn"    # dummy output of the clientside follower
