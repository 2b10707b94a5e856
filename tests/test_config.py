"""bayesreg.config: the draw settings the notebooks use, full or short."""

import warnings

import pytest

import bayesreg as br


def test_full_settings_are_pymcs_defaults(monkeypatch):
    monkeypatch.delenv("BAYESREG_FAST", raising=False)
    assert not br.config.fast_mode()
    assert br.config.sampling_settings() == {"draws": 1000, "tune": 1000, "chains": 4}


@pytest.mark.parametrize("value", ["0", "", "yes"])
def test_only_the_value_1_selects_fast_mode(monkeypatch, value):
    monkeypatch.setenv("BAYESREG_FAST", value)
    assert not br.config.fast_mode()


def test_fast_settings_are_short_and_silence_only_sampling_warnings(monkeypatch):
    monkeypatch.setenv("BAYESREG_FAST", "1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = br.config.sampling_settings()
        warnings.warn("chains too short", br.SamplingWarning)
        warnings.warn("something else", UserWarning)
    assert settings == {"draws": 300, "tune": 300, "chains": 2}
    assert [w.category for w in caught] == [UserWarning]


def test_settings_are_a_fresh_dict(monkeypatch):
    monkeypatch.delenv("BAYESREG_FAST", raising=False)
    br.config.sampling_settings()["draws"] = 5
    assert br.config.sampling_settings()["draws"] == 1000
