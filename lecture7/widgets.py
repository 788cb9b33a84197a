"""ipywidgets that make each equation of the lecture something to play with.

Each widget is a `Panel`: controls, a readout table of the numbers the package computed for the
current setting, and a figure, redrawn when a control moves. The computation behind each readout
is a plain function (`chain_rule_example`, `network_with_weight`, `train_example`), so tests and
notebooks can call it without a browser; tests drive a panel through `.controls`.

A redraw must keep up with a slider being dragged, so a panel draws its figure once and afterwards
redraws only the artists that changed (a value on the diagram, the tangent line) over the pixels of
the rest, which it keeps; the picture is the same as a full draw. While the kernel is busy with a
redraw, the browser holds back the slider's newer values and then sends only the latest one
(ipywidgets sends one change at a time), so a drag ends with the last value drawn, not with a queue.

A widget's words are in the language of lecture7.set_language when it is built (its figure's drawn words, D_,
in Chinese only where a CJK font draws them).
"""
import base64
import html
import struct
import zlib

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from . import plots
from .activations import ACTIVATIONS
from .chain_rule import chain_rule_case1, chain_rule_case2
from .datasets import Dataset, two_moons
from .gradcheck import numerical_gradient
from .i18n import D_, N_, _, or_list
from .network import LECTURE_INPUT, LECTURE_WEIGHTS, Network, lecture_network
from .training import accuracy, train

DPI = 90
PAD = 2   # pixels around an artist's box that its antialiased edges may reach
# the training widget's loss axis, for every run: L = Σₙ Cⁿ over two moons' 150 training examples starts near
# 150 ln 2 ≈ 104, a large η can take it to a few thousand, and 60 epochs bring it down to about 0.04 at best;
# a run that climbs further leaves through the top
LOSS_RANGE = (1e-2, 1e4)
# the training widget's regions: the class at 120 × 120 points of the plane, one every 3 pixels of its panel
# (about a third of the points of plot_decision_boundary's default 200 × 200, for a redraw that keeps up)
REGIONS = 120
MAX_TEXTS = 4000   # drawn texts a panel keeps the pixels of (each a few kB)


class _Renderer(RendererAgg):
    """Agg's renderer, keeping what matplotlib computes anew at every draw of a text: the layout of each
    string's glyphs, and the bitmap of each glyph for its font, size and place within a pixel. It draws
    the same pixels, in about half the time, which matters when a widget redraws some twenty numbers.
    (It relies on how matplotlib 3.11's Agg draws text; with another version the plain renderer draws.)"""

    IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])

    def __init__(self, *args):
        super().__init__(*args)
        self._layouts, self._glyphs = {}, {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or mtext is None or mtext.get_fontfeatures() is not None or mtext.get_language() is not None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        font, size, flags = self._prepare_font(prop), prop.get_size_in_points(), get_hinting_flag()
        key = (font.fname, size, s, flags)
        if key not in self._layouts:
            self._layouts[key] = [(item.ft_object, item.glyph_index, item.x, item.y) for item in font._layout(s, flags=flags)]
        self._draw_glyphs(gc, x, y, size, self._layouts[key], flags)

    def _draw_glyphs(self, gc, x, y, size, glyphs, flags):
        for font, glyph_index, dx, dy in glyphs:   # as RendererAgg._draw_text_glyphs_and_boxes at angle 0
            # the glyph's origin in 1/64 pixels; FreeType's y is upwards. A whole-pixel shift moves its bitmap, no more.
            gx, gy = round(0x40 * (x + dx)), round(0x40 * (self.height - y + dy))
            key = (font.fname, size, glyph_index, gx % 64, gy % 64, flags, gc.get_antialiased())
            if key not in self._glyphs:
                from matplotlib.ft2font import RenderMode   # matplotlib ≥ 3.10, as the path that calls this

                font.set_size(size, self.dpi)
                font._set_transform(self.IDENTITY, [gx % 64, gy % 64])
                bitmap = font._render_glyph(glyph_index, flags, RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO)
                buffer = bitmap.buffer.copy() if gc.get_antialiased() else bitmap.buffer * 0xff
                self._glyphs[key] = buffer, bitmap.left, bitmap.top
            buffer, left, top = self._glyphs[key]
            # draw_text_image's y is downwards & the bitmap's bottom side
            self._renderer.draw_text_image(buffer, left + gx // 64, int(self.height) - (top + gy // 64) + buffer.shape[0], 0, gc)


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with _Renderer, where this matplotlib's Agg draws text the way it expects."""

    def get_renderer(self):
        if not hasattr(RendererAgg, "_draw_text_glyphs_and_boxes"):
            return super().get_renderer()
        size = *self.get_width_height(physical=True), self.figure.dpi
        if self._lastKey != size:
            self.renderer, self._lastKey = _Renderer(*size), size
        return self.renderer


class Panel(widgets.VBox):
    """Controls, a readout and a figure, drawn by a picture: `picture.draw(figure, **values)` draws on an
    empty figure and returns (readout rows, the artists that may change); `picture.update(**values)`
    changes those artists in place and returns (rows, the artists it changed), or None when the figure
    must be drawn anew; after either, `picture.description` says in words what the figure shows.

    title names the widget (an N_ text, shown in the language of the moment). controls: name → widget whose `.value` is passed under that name. extras:
    more widgets for the control row (a button, a progress bar) that the picture does not read. With
    live=True any control change redraws; otherwise call `refresh` (a button does).
    """

    def __init__(self, title, controls, picture, figsize, extras=(), live=True):
        self.title, self.controls, self.picture, self.extras, self.live = title, controls, picture, extras, live
        self.figure = Figure(figsize=figsize, dpi=DPI, facecolor="white")
        _Canvas(self.figure)
        self.readout = widgets.HTMLMath()
        # the picture as an <img> with its text alternative in alt (ipywidgets' Image has no alt, and a
        # tooltip on it stops ipywidgets 8.1 from drawing it at all)
        self.image = widgets.HTML()
        self.png = b""
        self.draws, self._drawn_for, self._background = 0, None, None
        row = widgets.HBox([*controls.values(), *extras], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([row, self.readout, self.image])
        if live:
            for control in controls.values():
                control.observe(lambda change: self.refresh(), names="value")
        self.refresh()

    def __repr__(self):
        # the line a notebook stores, under the picture, for wherever no kernel draws the widget (GitHub, the site)
        moves = or_list(c.description or name for name, c in self.controls.items())
        buttons = [w.description for w in self.extras if isinstance(w, widgets.Button)]
        live = (_("change {controls} and it redraws", controls=moves) if self.live else
                _("set {controls}, then press {button}", controls=moves, button=buttons[0]))
        return _("[{title}, as it first draws. Run this cell in JupyterLab and it is live: {live}.]", title=_(self.title), live=live)

    def _repr_mimebundle_(self, **kwargs):
        # the picture too: JupyterLab draws the live widget instead, and a stored notebook keeps the picture
        bundle = super()._repr_mimebundle_(**kwargs)
        # ipywidgets cuts text/plain at 110 characters: the whole line
        bundle.update({"image/png": base64.b64encode(self.png).decode(), "text/plain": repr(self)})
        return bundle

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self, force=False):
        """Redraw for the current control values (skipped when nothing changed, unless `force`)."""
        values = self.values
        if values == self._drawn_for and not force:
            return
        updated = None if self._background is None else self.picture.update(**values)
        if updated is None:
            self.figure.clear()
            rows, changing = self.picture.draw(self.figure, **values)
            self._draw_all(changing)
        else:
            rows, changed = updated
            self._redraw(changed)
        self.readout.value = readout_table(rows)
        self.png = self._png()
        self.image.value = (f'<img class="lecture7-picture" alt="{html.escape(self.picture.description)}" '
                            f'src="data:image/png;base64,{base64.b64encode(self.png).decode()}">')
        self.draws, self._drawn_for = self.draws + 1, values

    def _draw_all(self, changing):
        """Draw everything, keeping the pixels of all but the `changing` artists for later redraws."""
        canvas = self.figure.canvas
        for artist in changing:
            artist.set_visible(False)
        canvas.draw()
        self._background = np.array(canvas.buffer_rgba())
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")   # the layout found by this draw stays while artists change
        self._changing = sorted(changing, key=lambda artist: artist.get_zorder())
        renderer = canvas.get_renderer()
        for artist in self._changing:
            artist.set_visible(True)
            artist.draw(renderer)
        self._boxes = np.array([self._extent(a, renderer) for a in self._changing]).reshape(-1, 4)
        self._texts = {}

    def _redraw(self, changed):
        """Put back the kept pixels where `changed` artists were or now are, and draw there again every
        changing artist that reaches into those places (so that none is drawn twice over itself)."""
        renderer = self.figure.canvas.get_renderer()
        index = {artist: k for k, artist in enumerate(self._changing)}
        places = [self._boxes[index[a]].copy() for a in changed]
        for a in changed:
            self._boxes[index[a]] = self._extent(a, renderer)
        places = np.vstack([places, self._boxes[[index[a] for a in changed]]]) if changed else np.empty((0, 4))
        again = np.isin(np.arange(len(self._changing)), [index[a] for a in changed])
        while True:
            # as far as the pixels put back reach: 2 spare pixels around each place (see _pixels)
            b, p = self._boxes[:, None, :], places[None, :, :] + np.array([-PAD, -PAD, PAD, PAD])
            reached = ((b[..., 0] <= p[..., 2]) & (b[..., 2] >= p[..., 0]) & (b[..., 1] <= p[..., 3]) & (b[..., 3] >= p[..., 1])).any(axis=1)
            more = reached & ~again
            if not more.any():
                break
            again |= more
            places = np.vstack([places, self._boxes[more]])
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        for place in places:
            pixels[self._pixels(place)] = self._background[self._pixels(place)]
        for k in np.flatnonzero(again):
            artist = self._changing[k]
            # a text drawn before in the same place over the same pixels: its pixels again, exactly
            key = (k, artist.get_text()) if isinstance(artist, Text) else None
            if key in self._texts:
                pixels[self._pixels(self._boxes[k])] = self._texts[key]
                continue
            artist.draw(renderer)
            if key is not None and len(self._texts) < MAX_TEXTS:
                self._texts[key] = pixels[self._pixels(self._boxes[k])].copy()

    def _pixels(self, box):
        """The rows and columns of the pixel buffer under a display box, with PAD pixels spare for antialiasing
        (display boxes count rows from the bottom, the buffer from the top)."""
        x0, y0, x1, y1 = box
        height = self._background.shape[0]
        return (slice(max(height - int(np.ceil(y1)) - PAD, 0), max(height - int(y0) + PAD, 0)),
                slice(max(int(x0) - PAD, 0), max(int(np.ceil(x1)) + PAD, 0)))

    def _extent(self, artist, renderer):
        """The pixel box (x0, y0, x1, y1) that `artist` covers, within its clip box."""
        # an axes or an axis with its ticks and labels; any other artist as its own
        whole = isinstance(artist, (Axes, Axis))
        box = artist.get_tightbbox(renderer) if whole else artist.get_window_extent(renderer)
        if isinstance(artist, Axis):   # its tight box leaves out the tick marks along the axes' edge
            ticks = renderer.points_to_pixels(max(artist.majorTicks[0].get_tick_padding(), 0) + 1) if artist.majorTicks else 0
            box = Bbox.union([box, artist.axes.bbox.padded(ticks)])
        clip = artist.get_clip_box() if artist.get_clip_on() and not whole else None
        if clip is not None:
            box = Bbox.intersection(box, clip) or Bbox([[0, 0], [0, 0]])
        return box.extents

    def _png(self):
        return png(np.asarray(self.figure.canvas.buffer_rgba()))


def png(rgba):
    """A PNG of an (height, width, 4) uint8 image: rows unfiltered, deflated at level 1, which takes a third
    of the time of matplotlib's or Pillow's writer on these pictures (their row filters cost more than they
    save on large white areas) for files about as small."""
    height, width, _channels = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), np.uint8)   # each row starts with its filter type, 0: none
    rows[:, 1:] = rgba.reshape(height, -1)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)   # 8 bits, RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def readout_table(rows):
    """HTML for rows of (label in LaTeX, number or text): numbers shown to 6 significant digits."""
    cells = "".join(
        f"<tr><td style='padding-right:1.5em'>{label}</td><td>{value if isinstance(value, str) else format(float(value), '.6g')}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"


# ---- chain rule 連鎖律 ---------------------------------------------------------------------

def chain_rule_example(case, point):
    """The notes' two cases on fixed example functions, at `point` (x for case 1, s for case 2).

    Case 1: y = g(x) = x², z = h(y) = sin y.  Case 2: x = g(s) = s², y = h(s) = sin s, z = k(x, y) = x·y.
    Returns lecture7.chain_rule_case1 / chain_rule_case2's result, with exact local derivatives.
    """
    if case == 1:
        return chain_rule_case1(np.square, np.sin, point, dg=lambda x: 2 * x, dh=np.cos)
    if case == 2:
        return chain_rule_case2(np.square, np.sin, lambda x, y: x * y, point, dg=lambda s: 2 * s, dh=np.cos,
                                dk_dx=lambda x, y: y, dk_dy=lambda x, y: x)
    raise ValueError(_("case must be 1 or 2; got {case!r}", case=case))


def _chain_rule_rows(case, point):
    """The readout rows of the chain-rule widget, z at `point` and the slope there."""
    r = chain_rule_example(case, point)
    if case == 1:
        return [("$x$", r.x), ("$y = g(x) = x^2$", r.y), ("$z = h(y) = \\sin y$", r.z),
                ("$dy/dx$", r.dy_dx), ("$dz/dy$", r.dz_dy),
                ("$dz/dx = \\dfrac{dz}{dy}\\cdot\\dfrac{dy}{dx}$", r.dz_dx), (_("finite difference"), r.finite_difference)], r.z, r.dz_dx
    return [("$s$", r.s), ("$x = g(s) = s^2$", r.x), ("$y = h(s) = \\sin s$", r.y), ("$z = k(x, y) = xy$", r.z),
            ("$dx/ds$", r.dx_ds), ("$dy/ds$", r.dy_ds), ("$\\partial z/\\partial x$", r.dz_dx), ("$\\partial z/\\partial y$", r.dz_dy),
            ("$dz/ds = \\dfrac{\\partial z}{\\partial x}\\dfrac{dx}{ds} + \\dfrac{\\partial z}{\\partial y}\\dfrac{dy}{ds}$", r.dz_ds),
            (_("finite difference"), r.finite_difference)], r.z, r.dz_ds


class _ChainRulePicture:
    """z against x (or s), with the tangent the chain rule gives at the point; moving the point moves
    only the tangent, the point and the legend that states the slope."""

    T = np.linspace(-2.5, 2.5, 301)
    COMPOSED = {1: (lambda t: np.sin(t ** 2), "$z = h(g(x)) = \\sin x^2$"), 2: (lambda t: t ** 2 * np.sin(t), "$z = k(g(s), h(s)) = s^2 \\sin s$")}

    def draw(self, figure, case, point):
        figure.set_layout_engine("constrained")
        rows, z, slope = _chain_rule_rows(case, point)
        self._describe(case, point, slope)
        composed, name = self.COMPOSED[case]
        ax = figure.add_subplot()
        ax.plot(self.T, composed(self.T), color=plots.FORWARD["dark"], lw=2, label=name)
        # above the axes' frame (zorder 2.5), so that drawing them again alone gives the same pixels
        self.tangent, = ax.plot(self.T, z + slope * (self.T - point), color=plots.BACKWARD["dark"], ls="--", zorder=3)
        self.dot, = ax.plot([point], [z], "o", color=plots.BACKWARD["dark"], zorder=3)
        ax.set(xlabel="$x$" if case == 1 else "$s$", ylim=(-4, 6), title=D_("Chain rule, case {case}", case=case))
        self.case = case
        self.tangent.set_label(self._slope(slope))
        self.legend = ax.legend(loc="upper center")
        return rows, [self.tangent, self.dot, self.legend]

    def _describe(self, case, point, slope):
        name = self.COMPOSED[case][1].strip("$").replace("\\sin", "sin").replace("^2", "²")
        variable = "x" if case == 1 else "s"
        self.description = _("Chain rule, case {case}: the curve {curve} for {variable} from −2.5 to 2.5, and its tangent at "
                             "{variable} = {point}, of slope {slope:.4g}, the derivative the chain rule gives.", case=case, curve=name,
                             variable=variable, point=plots._fmt(point), slope=slope)

    @staticmethod
    def _slope(slope):
        return D_("slope from the chain rule: {slope:.4g}", slope=slope)

    def update(self, case, point):
        if case != self.case:
            return None
        rows, z, slope = _chain_rule_rows(case, point)
        self._describe(case, point, slope)
        self.tangent.set_ydata(z + slope * (self.T - point))
        self.dot.set_data([point], [z])
        self.tangent.set_label(self._slope(slope))
        self.legend.get_texts()[1].set_text(self._slope(slope))
        return rows, [self.tangent, self.dot, self.legend]


def chain_rule_widget(case=1, point=0.8):
    """Choose case 1 or 2 and the point; see each factor, their product and a finite difference."""
    controls = {
        "case": widgets.ToggleButtons(options=[(_("case {case}", case=1), 1), (_("case {case}", case=2), 2)], value=case,
                                      description=_("chain rule")),
        "point": widgets.FloatSlider(value=point, min=-2, max=2, step=0.05, description=_("x or s")),
    }
    return Panel(N_("the chain-rule widget"), controls, _ChainRulePicture(), figsize=(6, 3.6))


# ---- the lecture network with one weight changed ------------------------------------------

WEIGHT_CHOICES = [
    (N_("layer {layer}: input {input} → neuron {neuron}", layer=l + 1, input=j + 1, neuron=i + 1), (l, i, j))
    for l, W in enumerate(LECTURE_WEIGHTS) for i in range(len(W)) for j in range(len(W[0]))
]


def network_with_weight(weight, value):
    """The lecture network with W[l][i, j] set to `value`, for weight = (l, i, j)."""
    l, i, j = weight
    net = lecture_network()
    net.weights[l][i, j] = value
    return net


def _lecture_weight(weight):
    l, i, j = weight
    return LECTURE_WEIGHTS[l][i][j]


def _weight_controls(weight):
    """A choice of weight and a slider for its value; choosing a weight puts its lecture value on the slider."""
    # wide enough for the longest choice beside its label ("layer 3: input 2 → neuron 2"; the browser test measures it)
    choice = widgets.Dropdown(options=[(_(label), w) for label, w in WEIGHT_CHOICES], value=weight, description=_("weight"),
                              layout=widgets.Layout(width="25em"))
    slider = widgets.FloatSlider(value=_lecture_weight(weight), min=-5, max=5, step=0.1, description=_("its value"))
    # registered before the panel's own observer, so the panel draws once, with the new value
    choice.observe(lambda change: setattr(slider, "value", _lecture_weight(change.new)), names="value")
    return {"weight": choice, "value": slider}


class _DiagramPicture:
    """A diagram of the lecture network with one weight set: drawn once, after which only its value texts
    change (and it is drawn anew when a new value needs more room, or, on a diagram too crowded to label
    every edge, when another weight is chosen). diagram(figure, weight, **values) draws it;
    labels(weight, **values) gives its texts; rows(weight, **values) the readout."""

    def __init__(self, diagram, labels, rows, description):
        self._diagram, self._labels, self._rows, self._description = diagram, labels, rows, description

    def draw(self, figure, weight, **values):
        self.weight, self.drawn = weight, self._diagram(figure, weight, **values)
        self.description = self._description(weight, crowded=self.drawn.crowded, **values)
        return self._rows(weight, **values), list(self.drawn.texts.values())

    def update(self, weight, **values):
        if weight != self.weight and self.drawn.crowded:
            return None
        self.weight = weight
        self.description = self._description(weight, crowded=self.drawn.crowded, **values)
        changed = self.drawn.relabel(self._labels(weight, **values))
        return None if changed is None else (self._rows(weight, **values), changed)


def _forward_rows(weight, x1, x2, value):
    trace = network_with_weight(weight, value).forward((x1, x2))
    l, i, j = weight
    return [("$y_1$", trace.a[-1][0]), ("$y_2$", trace.a[-1][1]),
            (_("$z$ of neuron {neuron} in layer {layer}", neuron=i + 1, layer=l + 1), trace.z[l][i]),
            (_("$\\partial z/\\partial w$ of the chosen weight (its input)"), trace.a[l][j])]


def forward_widget(weight=(0, 0, 0)):
    """Sliders for the inputs x₁, x₂ and one chosen weight; the annotated diagram redraws."""
    controls = {
        "x1": widgets.FloatSlider(value=LECTURE_INPUT[0], min=-3, max=3, step=0.1, description="$x_1$"),
        "x2": widgets.FloatSlider(value=LECTURE_INPUT[1], min=-3, max=3, step=0.1, description="$x_2$"),
        **_weight_controls(weight),
    }
    picture = _DiagramPicture(
        lambda figure, weight, x1, x2, value: plots._network_diagram(
            network_with_weight(weight, value), (x1, x2), None, "forward", "squared_error", figure, weight),
        lambda weight, x1, x2, value: plots._network_labels(network_with_weight(weight, value), (x1, x2), annotate="forward"),
        _forward_rows,
        lambda weight, x1, x2, value, crowded: plots.network_description(network_with_weight(weight, value), (x1, x2), annotate="forward", crowded=crowded))
    return Panel(N_("the forward-pass widget"), controls, picture, figsize=(9.5, 3.4))


def _backward_rows(weight, value, y_hat1, y_hat2):
    net = network_with_weight(weight, value)
    x, y_hat = LECTURE_INPUT, (y_hat1, y_hat2)
    trace = net.forward(x)
    grads = net.backward(trace, y_hat)
    l, i, j = weight
    return [("$C = \\frac{1}{2}\\sum_k (y_k - \\hat y_k)^2$", net.loss(x, y_hat)),
            (_("$\\partial z/\\partial w$ (forward pass)"), trace.a[l][j]),
            (_("$\\partial C/\\partial z$ (backward pass)"), grads.delta[l][i]),
            (_("$\\partial C/\\partial w$ by backpropagation"), grads.dW[l][i, j]),
            (_("$\\partial C/\\partial w$ by finite differences"), numerical_gradient(net, x, y_hat).dW[l][i, j])]


def backward_widget(weight=(0, 0, 0)):
    """Sliders for a weight and the target ŷ; the reversed network redraws, and ∂C/∂w by
    backprop sits beside its finite-difference value. The input is the lecture's (1, −1)."""
    controls = {
        **_weight_controls(weight),
        "y_hat1": widgets.FloatSlider(value=1.0, min=0, max=1, step=0.05, description="$\\hat y_1$"),
        "y_hat2": widgets.FloatSlider(value=0.0, min=0, max=1, step=0.05, description="$\\hat y_2$"),
    }
    picture = _DiagramPicture(
        lambda figure, weight, value, y_hat1, y_hat2: plots._reversed_diagram(
            network_with_weight(weight, value), LECTURE_INPUT, (y_hat1, y_hat2), "squared_error", figure, weight),
        lambda weight, value, y_hat1, y_hat2: plots._reversed_labels(network_with_weight(weight, value), LECTURE_INPUT, (y_hat1, y_hat2)),
        _backward_rows,
        lambda weight, value, y_hat1, y_hat2, crowded: plots.reversed_description(network_with_weight(weight, value), LECTURE_INPUT, (y_hat1, y_hat2)))
    return Panel(N_("the backward-pass widget"), controls, picture, figsize=(9.5, 3.4))


# ---- training ------------------------------------------------------------------------------

def train_example(dataset, hidden, activation, learning_rate, epochs=60, batch_size=32, seed=0, progress=None):
    """Train [2, hidden, n_classes] (softmax and cross-entropy) on a seeded 75/25 split of `dataset`.

    Returns (net, history, test_accuracy); history holds the test set as its validation.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(_("dataset must be a lecture7.datasets.Dataset; got {type}", type=type(dataset).__name__))
    train_set, test_set = dataset.split(seed=seed)
    net = Network([dataset.X.shape[1], hidden, dataset.n_classes], activation=activation, output_activation="softmax", seed=seed)
    history = train(net, train_set.X, train_set.Y, "cross_entropy", learning_rate, epochs, batch_size,
                    seed=seed, validation=(test_set.X, test_set.Y), progress=progress)
    return net, history, accuracy(net, test_set.X, test_set.Y)


class _TrainingPicture:
    """The decision boundary and the loss curves of a training run, the loss on one log scale for every run.
    Once drawn, a new run changes the regions of the boundary and the curves in place (the examples, the
    frames and the legends over them are drawn again), in the layout of the first draw; a run that
    diverges is written instead."""

    def __init__(self, train, epochs):
        self._train, self.epochs, self.left = train, epochs, None

    def _run(self, learning_rate, hidden, activation):
        try:
            net, history, test_accuracy = self._train(learning_rate, hidden, activation)
        except FloatingPointError as error:
            return None, [(_("training"), str(error))]
        return (net, history), [(_("epochs"), history.epochs), (_("final loss $L$ (training)"), history.loss[-1]),
                                (_("training accuracy"), history.accuracy[-1]), (_("test accuracy"), test_accuracy)]

    def draw(self, figure, **values):
        # a fixed layout with room for tick labels of up to five characters, as the loss axis needs after a run
        figure.subplots_adjust(left=0.07, right=0.985, bottom=0.14, top=0.92, wspace=0.27)
        result, rows = self._run(**values)
        if result is None:
            self.left = None
            figure.text(0.5, 0.5, D_("Training diverged: lower the learning rate."), ha="center", color=plots.BACKWARD["dark"])
            self.description = _("Training diverged: lower the learning rate.")
            return rows, []
        (net, history), (self.left, self.right) = result, figure.subplots(1, 2)
        self.dataset = self._train.dataset
        plots.plot_decision_boundary(net, self.dataset.X, self.dataset.labels, resolution=REGIONS, ax=self.left)
        self.left.set_autoscale_on(False)   # the plane stays where the examples put it: a new run's regions rescale nothing
        plots.plot_history(history, ax=self.right)
        self.description = self._describe(net, history)
        # one scale for every run, so that runs can be compared, and so that a new run changes only the curves
        self.right.set(yscale="log", ylim=LOSS_RANGE, xlim=(0, self.epochs + 1))
        self.right.get_legend().set_loc("upper right")   # where falling curves leave room, and the same for every run
        # the regions and the curves change; the examples, the frames and the legends over them are drawn again
        # (the ticks and their labels lie outside the axes, where neither reaches: they stay as first drawn)
        left, right = self.left, self.right
        return rows, [*left.collections, *left.spines.values(), left.get_legend(), *right.lines, *right.spines.values(),
                      right.get_legend()]

    def _describe(self, net, history):
        return f"{plots.decision_description(net, self.dataset.X, self.dataset.labels)} {plots.history_description(history)}"

    def update(self, **values):
        if self.left is None:
            return None
        result, rows = self._run(**values)
        if result is None:
            return None
        net, history = result
        self.description = self._describe(net, history)
        regions, new = self.left.collections[0], plots.decision_regions(net, self.dataset.X, self.dataset.labels, self.left, REGIONS)
        regions.set_paths(new.get_paths())   # the same levels and colours, the new network's regions
        new.remove()
        epochs = np.arange(1, history.epochs + 1)
        lines = self.right.lines
        for line, loss in zip(lines, (history.loss, history.val_loss)):   # training, validation
            line.set_data(epochs, loss)
        return rows, [regions, *lines]


def training_widget(dataset=None, epochs=60, seed=0):
    """Learning rate, hidden size and activation; the button trains, showing progress, then the
    loss curve and the decision boundary redraw. dataset: a 2-D Dataset (default: two moons)."""
    dataset = two_moons() if dataset is None else dataset
    progress = widgets.IntProgress(value=0, min=0, max=epochs, description=_("epoch {epoch}", epoch=0))
    button = widgets.Button(description=_("Train"), button_style="primary")

    def report(epoch, history):
        progress.value, progress.description = epoch, _("epoch {epoch}", epoch=epoch)

    def run(learning_rate, hidden, activation):
        return train_example(dataset, hidden, activation, learning_rate, epochs, seed=seed, progress=report)

    run.dataset = dataset
    controls = {
        # η = 10^−1.7 ≈ 0.02 with 16 ReLU neurons: the loss falls without jumps (η = 0.1 with tanh overshoots)
        "learning_rate": widgets.FloatLogSlider(value=10 ** -1.7, base=10, min=-3, max=0, step=0.1, description=_("learning rate")),
        "hidden": widgets.IntSlider(value=16, min=1, max=32, description=_("hidden size")),
        "activation": widgets.Dropdown(options=sorted(ACTIVATIONS), value="relu", description=_("activation")),
    }
    panel = Panel(N_("the training widget"), controls, _TrainingPicture(run, epochs), figsize=(9.5, 3.8), extras=(button, progress), live=False)
    button.on_click(lambda _click: panel.refresh(force=True))
    return panel
