"""Figure operations of all views are serialised (matplotlib is not thread-safe)."""

import threading

from bayesreg.widgets import _base


def test_a_redraw_waits_while_another_thread_draws():
    """Regression: a view's live worker redrew its figure while another view drew in the
    kernel's thread; matplotlib's global rcParams/font cache got corrupted and CI aborted
    (tests/test_widgets.py, "Fatal Python error: Aborted" in backend_agg.draw_text).
    Every FigureView operation now holds one process-wide lock."""
    view = _base.FigureView(figsize=(2.0, 1.5))
    done = threading.Event()

    def redraw():
        view.redraw(lambda ax: ax.plot([0, 1], [1, 0]))
        done.set()

    with _base._MATPLOTLIB_LOCK:  # "another view is drawing"
        worker = threading.Thread(target=redraw)
        worker.start()
        assert not done.wait(0.5)  # blocked while the other draw holds the lock
    assert done.wait(30)
    worker.join(30)
    assert view.png().startswith(b"\x89PNG")
