"""The lessons as text: each an id, a title, a two-sentence caption, and the link it opens.

This module holds only the words and the links, so the codec (``ui/model/scene.py``) can read a lesson's
link without importing ``ui/model/lessons.py``, which reads the links back through the codec.
"""

from __future__ import annotations

import dataclasses
from typing import List


@dataclasses.dataclass(frozen=True)
class LessonText:
    id: str        # kebab-case, in links as ``lesson=<id>``
    title: str
    caption: str   # two sentences: what happens, and what to watch
    query: str     # the scene, as a link
    teach: bool = False


CATALOG: List[LessonText] = [
    LessonText("ravine-momentum", "Momentum through a ravine",
           "Plain gradient descent bounces from wall to wall of the narrow valley and crawls along its floor. "
           "Momentum adds up the steps that agree and cancels the ones that zig-zag, so it speeds along the "
           "floor: watch its velocity arrow turn to point down the valley.",
           "landscape=ill_conditioned&opt=momentum,gd&lr=0.035&momentum=0.7&x0=-1.8&y0=-0.6&steps=80",
           teach=True),
    LessonText("nesterov-heavy-ball", "Nesterov against heavy ball",
           "Both keep a velocity, but heavy ball feels a wall only after it has hit it, so it overshoots and "
           "swings back and forth across the valley. Nesterov takes its gradient step from where its velocity "
           "is carrying it (the hollow look-ahead point on the map), so it brakes earlier and settles sooner.",
           "landscape=ill_conditioned&opt=nesterov,momentum&lr=0.02&momentum=0.95&x0=-1.8&y0=-0.6&steps=150",
           teach=True),
    LessonText("saddle-adam-sgd", "Adam against SGD at a saddle",
           "Near the saddle point the slope is almost flat, and SGD's steps are only as large as the slope, so "
           "it lingers there for a long time. Adam divides each step by the gradient's recent size, so it walks "
           "off the saddle at full speed as soon as it feels any slope.",
           "landscape=saddle&opt=adam,sgd&lr=0.01&momentum=0.9&x0=-1.8&y0=0.02&steps=150&adam.lr=0.05"),
    LessonText("lr-too-large", "A learning rate too large",
           "On this bowl any learning rate above 1 jumps past the bottom to a point higher than where it "
           "started, so gradient descent at lr 1.2 swings wider at every step until it leaves the map. SGD "
           "here is the same rule at lr 0.9: it overshoots too, but every swing is shorter, so it settles.",
           "landscape=bowl&opt=gd,sgd&lr=1.2&x0=-1.5&y0=1.2&steps=60&sgd.lr=0.9"),
    LessonText("adagrad-rmsprop", "Adagrad's shrinking steps against RMSprop",
           "Adagrad divides by the root of the sum of every squared gradient so far, which only grows: after "
           "the steep start its steps keep shrinking and it stalls far from the minimum. RMSprop divides by a "
           "running average that forgets the steep start, so its steps stay useful: compare their effective "
           "learning rates in the inspector.",
           "landscape=beale&opt=adagrad,rmsprop&lr=0.05&x0=0.7&y0=1.4&steps=300", teach=True),
    LessonText("groups-bowl", "Parameter groups on an ill-conditioned bowl",
           "One learning rate must be small enough for the steep y direction, so gradient descent zig-zags "
           "in y and crawls in x. SGD here has two parameter groups, a rate for x and a rate for y, each "
           "matched to its own curvature: both coordinates shrink alike and the path runs straight to the "
           "bottom.",
           "landscape=stretched_bowl&opt=sgd,gd&lr=0.035&x0=-1.8&y0=0.5&steps=100&sgd.lr_x=0.5&sgd.lr_y=0.01",
           teach=True),
    LessonText("cosine-constant", "Cosine against a constant schedule",
           "Both runs feel the same noisy gradients. At a constant rate SGD keeps jumping around the bottom as "
           "far as the noise throws it, while the cosine schedule shrinks gradient descent's rate towards zero, "
           "so its jumps shrink and it settles near the minimum: watch the learning-rate plot.",
           "landscape=bowl&opt=gd,sgd&lr=0.2&x0=-1.5&y0=1.2&steps=200&schedule=cosine&T_max=200&noise=1"
           "&sgd.fixed_lr=1", teach=True),
    LessonText("local-minima", "Local minima: the start decides",
           "Gradient descent only ever walks downhill, so it ends in whichever valley it starts above. These "
           "two runs start 0.2 apart, on either side of the ridge at x = 0.3: one settles in the shallow valley "
           "on the right, the other in the deep one on the left.",
           "landscape=two_minima&opt=gd,sgd&lr=0.05&x0=0.4&y0=1.2&steps=150&sgd.x0=0.2&sgd.y0=1.2"),
    LessonText("tuned-fairly", "Tuned fairly: who wins on Rosenbrock, and who forgives a wrong lr?",
           "Press Tune each: on the same 300 steps momentum reaches the lowest loss and SGD the next, but each only "
           "at one rate, 0.002, just below where they diverge (every rate from 0.0025 up). Adam scores worst at its "
           "best, yet no rate from 10⁻⁴ to 1 makes it diverge and it stays within 10× of its best loss over a wider "
           "band: the lr-sensitivity plot shows who forgives a wrong lr.",
           "landscape=rosenbrock&opt=sgd,momentum,adam&lr=0.001&momentum=0.9&x0=-1.5&y0=2&steps=300"),
]


def queries() -> dict:
    """Lesson id -> the link it opens."""
    return {text.id: text.query for text in CATALOG}
