"""Shared pieces of the notebook views: figures as PNG images, messages, background jobs.

Figures are drawn by the library's plot functions onto a bare
:class:`matplotlib.figure.Figure` (no pyplot, so nothing is shown twice and no
global state is touched) and sent as PNG bytes to an ``ipywidgets.Image``.
An Image widget needs no front-end extension beyond ipywidgets itself, works
the same in JupyterLab, Notebook 7 and VS Code, can be updated from a
background thread (unlike ``widgets.Output``, which captures only in the
thread that runs the cell), and its bytes can be checked headless.
"""

from __future__ import annotations

import contextlib
import html
import io
import threading
import time
import traceback

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plots._style import bayesreg_style

#: Resolution of the figures sent to the browser (a redraw costs ~ pixels).
DPI = 80

#: Held by every figure operation of every view. matplotlib's rcParams (the
#: style's rc_context) and its font cache are process-global and not thread-safe:
#: a view's live worker redrawing its band while another view draws in the
#: kernel's thread corrupted FreeType state and aborted the process.
_MATPLOTLIB_LOCK = threading.RLock()


@contextlib.contextmanager
def _drawing():
    """The bayesreg style, with the process-wide matplotlib lock held."""
    with _MATPLOTLIB_LOCK, bayesreg_style():
        yield


def _png(canvas):
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def _encode(canvas):
    """PNG of what the Agg canvas holds now (no redraw)."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def render_png(draw, *, figsize=(6.0, 3.6), dpi=DPI):
    """Call ``draw(ax)`` on a fresh figure in the bayesreg style; return PNG bytes."""
    return FigureView(figsize=figsize, dpi=dpi).redraw(draw)


class FigureView:
    """One figure kept alive between redraws, so a redraw costs one draw only.

    A fresh figure costs ~4x a redraw of an existing one (tick and text
    layout, fonts); and a layout engine costs as much as the draw.  So the
    layout is computed once (constrained layout, at the first draw) and then
    frozen, and each :meth:`redraw` clears the axes and lets the plot function
    draw into the same, already placed, axes.
    """

    def __init__(self, figsize=(6.0, 3.6), dpi=DPI, reserve_right=0.0):
        self.reserve_right = reserve_right
        with _drawing():
            self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
            self.canvas = FigureCanvasAgg(self.figure)
            self.ax = self.figure.add_subplot()
        self._laid_out = False
        self._background = None  # pixels without the animated artists (see blit)

    def redraw(self, draw):
        """Clear the axes, call ``draw(ax)``, return the figure as PNG bytes."""
        with _drawing():
            for extra in self.figure.axes:
                if extra is not self.ax:
                    extra.remove()  # twin axes a plot function may have added
            self.ax.cla()
            self._background = None
            draw(self.ax)
            png = _png(self.canvas)
        if not self._laid_out:
            self.figure.set_layout_engine("none")  # keep the positions just computed
            if self.reserve_right:  # room for legend text that grows later
                x0, y0, width, height = self.ax.get_position().bounds
                self.ax.set_position([x0, y0, width - self.reserve_right, height])
                png = _png(self.canvas)
            self._laid_out = True
        return png

    def png(self):
        """The figure as it is now (after artists were changed in place)."""
        with _drawing():
            return _png(self.canvas)

    def blit(self, animated, update):
        """Redraw only ``animated`` artists after ``update()`` changed them; PNG bytes.

        The rest of the figure is drawn once, without the animated artists,
        and kept as pixels (matplotlib's blitting), so a slider step costs
        drawing a line and a legend plus the PNG encoding.
        """
        with _drawing():
            if self._background is None:
                for artist in animated:
                    artist.set_visible(False)
                self.canvas.draw()
                self._background = self.canvas.copy_from_bbox(self.figure.bbox)
                for artist in animated:
                    artist.set_visible(True)
            update()
            self.canvas.restore_region(self._background)
            for artist in animated:
                self.figure.draw_artist(artist)
            return _encode(self.canvas)


def message_html(text, kind="error"):
    """A readable message box (``kind``: "error", "warning" or "info")."""
    colours = {"error": ("#fdecea", "#b71c1c"), "warning": ("#fff8e1", "#8a6d00"),
               "info": ("#e8f1fb", "#0b4f8a")}
    background, colour = colours[kind]
    title = {"error": "Problem", "warning": "Note", "info": "Info"}[kind]
    return (
        f'<div style="background:{background};color:{colour};padding:6px 10px;'
        f'border-radius:4px;white-space:pre-wrap"><b>{title}:</b> {html.escape(str(text))}</div>'
    )


def describe_error(exc):
    """One line a reader can act on: the message of ``exc`` without a traceback."""
    text = str(exc) or type(exc).__name__
    if not isinstance(exc, (ValueError, TypeError)):
        text = f"{type(exc).__name__}: {text}"
    return text


class BackgroundJob:
    """Run one function at a time in a daemon thread, reporting elapsed time.

    ``on_tick(seconds)`` is called about every ``tick`` seconds while the job
    runs and ``on_done(result, error)`` once at the end (``error`` is the
    exception or None); both run in the worker thread, which only sets
    widget values (safe from any thread with ipywidgets 8 / ipykernel).
    """

    def __init__(self, tick=0.25):
        self.tick = tick
        self._thread = None

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def start(self, func, on_tick, on_done):
        if self.running:
            raise RuntimeError("a job is already running; wait for it to finish.")
        finished = threading.Event()

        def ticker(start):
            while not finished.wait(self.tick):
                on_tick(time.perf_counter() - start)

        def run():
            start = time.perf_counter()
            tick_thread = threading.Thread(target=ticker, args=(start,), daemon=True)
            tick_thread.start()
            result, error = None, None
            try:
                result = func()
            except Exception as exc:  # shown in the widget, never raised into the kernel
                error = exc
                error.__traceback_text__ = traceback.format_exc()
            finally:
                finished.set()
                tick_thread.join()
            on_done(result, error)

        self._thread = threading.Thread(target=run, daemon=True, name="bayesreg-widget-job")
        self._thread.start()

    def wait(self, timeout=None):
        """Block until the current job (if any) has finished; True if none is running."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running


def image_widget(css_class):
    """An empty PNG ``Image`` widget with a CSS class (a hook for browser tests)."""
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
    image.add_class(css_class)
    return image
