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
    LessonText("lion-sign-steps", "Lion's sign steps",
           "Lion steps by the sign of a blend of its momentum and the gradient, so every coordinate moves by "
           "exactly lr = 0.05 at every step, whether its slope is 26 on the steep wall or 0.02 near the bottom: "
           "the inspector's update row reads ±0.05 throughout. Unable to take a smaller step, Lion ends hopping "
           "between two points on either side of the minimum at a loss of 0.01, while Adam's steps shrink with "
           "its gradients and it creeps on down to a loss below 10⁻⁴.",
           "landscape=stretched_bowl&opt=lion,adam&lr=0.05&x0=-1.83&y0=0.52&steps=120", teach=True),
    LessonText("schedule-free", "Schedule-Free needs no schedule",
           "All three runs feel the same noisy gradients at lr 0.2: AdamW at a constant rate keeps jumping "
           "around the bottom, AdamW under the cosine schedule settles because its rate shrinks to zero by step "
           "200, and Schedule-Free AdamW settles about as low at the constant rate, with no schedule and no "
           "step count to plan for. It steps a sequence z at the full rate but takes its gradients next to x, "
           "the running average of z, and that average does the settling a schedule would (the run called "
           "Adam here is AdamW, decoupled decay 0.01, held at the constant rate).",
           "landscape=bowl&opt=schedulefree_adamw,adamw,adam&lr=0.2&x0=-1.5&y0=1.2&steps=200&schedule=cosine"
           "&T_max=200&noise=1&schedulefree_adamw.fixed_lr=1&adam.weight_decay=0.01"
           "&adam.decoupled_weight_decay=1&adam.fixed_lr=1"),
    LessonText("lbfgs-evaluations", "L-BFGS against Adam, counted in evaluations",
           "Counted in steps L-BFGS looks unbeatable, but each of its steps is one torch step(closure), which "
           "may evaluate the gradient up to 20 times: its first four steps use 20 evaluations each, and by step "
           "100 it has used 184 where Adam has used 100. Counted fairly it still wins on this smooth valley, "
           "below loss 10⁻¹⁰ after 89 evaluations, where Adam after the same 89 evaluations is still above "
           "loss 5 and needs about 2000 to get as low.",
           "landscape=rosenbrock&opt=lbfgs,adam&lr=0.05&x0=-1.5&y0=2&steps=100&lbfgs.lr=1"),
    LessonText("newton-saddle", "Newton at a saddle",
           "Undamped Newton steps by H⁻¹∇f, and on this saddle (f = x² − y², so H = diag(2, −2)) that step "
           "points straight at the saddle point: from this start it would land exactly on (0, 0), where the "
           "gradient is zero, and stay there, because dividing by the negative curvature turns the downhill y "
           "direction uphill. Gradscape's Newton divides by |H| instead, each eigenvalue's absolute value (the "
           "saddle-free policy of optimizers/rules/newton.py), so it lands on x = 0 in one step but doubles its "
           "distance from the saddle in y at every step, while gradient descent slides in towards the saddle "
           "and lingers.",
           "landscape=saddle&opt=newton,gd&lr=0.1&x0=-1.8&y0=0.02&steps=10&newton.lr=1", teach=True),
    LessonText("per-layer-rates", "Per-layer learning rates on a real network",
           "Here the feature layer (layer 0) learns at a tenth of each optimizer's rate and the classifier "
           "(layer 2) at the full rate, as in fine-tuning: over 200 steps Adam's feature weights move 2.0 "
           "instead of the 9.3 they move with every layer at lr, and SGD's 0.2 instead of 1.2. The classifier "
           "alone cannot bend the boundary as far round the moons, so Adam ends at loss 0.064 (98% right) "
           "instead of 0.013 (100%): clear the per-layer box to compare, and see both rates in the "
           "learning-rate plot.",
           "landscape=net_moons&opt=sgd,adam&lr=0.1&momentum=0.9&steps=200&batch=32&hidden=16&activation=tanh"
           "&layer_lr=0.1,1"),
    LessonText("one-weight", "What one weight sees",
           "Hold every weight of this 65-parameter network but one, the classifier's first weight 2.weight[0], "
           "and the loss along it is an ordinary 1-D curve: at the start it slopes down at −0.0208, exactly "
           "the gradient's component for that weight, the number SGD moves it by. Moved alone to its best "
           "value, 0.425, that weight lowers the loss only from 0.670 to 0.666, while SGD moving all 65 "
           "together reaches 0.275 by step 100: each weight sees only its own slice of the landscape.",
           "landscape=net_moons&opt=sgd&lr=0.1&momentum=0.9&steps=100&hidden=16&activation=tanh"),
]


def queries() -> dict:
    """Lesson id -> the link it opens."""
    return {text.id: text.query for text in CATALOG}
