"""The formula card of the Explore page: the half-step just taken, in its own colour,
and the other half-step folded away."""

from __future__ import annotations

import streamlit as st

from gmm.stepper import Snapshot

E_STEP_TEX = (
    r"\gamma_{ik} = \frac{\pi_k\,\mathcal N(x_i\mid\mu_k,\Sigma_k)}"
    r"{\sum_{j=1}^{K}\pi_j\,\mathcal N(x_i\mid\mu_j,\Sigma_j)}"
)

# One short line each, so that a narrow panel never cuts off the "+ εI".
M_STEP_TEX = (
    r"\begin{aligned}N_k&=\textstyle\sum_i\gamma_{ik},\qquad \pi_k=\frac{N_k}{n}\\"
    r"\mu_k&=\frac{1}{N_k}\textstyle\sum_i\gamma_{ik}\,x_i\\"
    r"\Sigma_k&=\frac{1}{N_k}\textstyle\sum_i\gamma_{ik}(x_i-\mu_k)(x_i-\mu_k)^{\top}\\"
    r"&\quad+\varepsilon I\qquad(\varepsilon=\texttt{reg\_covar})\end{aligned}"
)

FORMULAS = {
    "E": (
        "E-step: responsibilities",
        E_STEP_TEX,
        "γᵢₖ is the share of point i that component k explains: the colours on the "
        "chart. Each point's shares sum to 1.",
    ),
    "M": (
        "M-step: parameters",
        M_STEP_TEX,
        "Each component is refitted to all the points, each weighted by its γᵢₖ: "
        "the ellipses and weights move.",
    ),
}


def formula(shown: Snapshot | None) -> None:
    """The formula of the half-step just taken, in orange (at the start: the next one).

    The card keeps one height for both formulas (``assets/explore.css``), so that
    nothing below it moves from one half-step to the next.
    """
    just = shown.phase if shown is not None and shown.phase in FORMULAS else None
    title, tex, words = FORMULAS[just or "E"]
    with st.container(border=True, key="formula"):
        if just:
            st.markdown(f"**{title}** — :orange[**just taken**]")
            st.latex(rf"\color{{#D55E00}}{{{tex}}}")
        else:
            st.markdown(f"**{title}** — next")
            st.latex(tex)
        st.caption(words)


def other_formula(shown: Snapshot | None) -> None:
    """The formula that is not in the card, folded away."""
    other = "M" if shown is None or shown.phase != "M" else "E"
    title, tex, words = FORMULAS[other]
    with st.expander(f"The other half-step: {title}"):
        st.latex(tex)
        st.caption(words)
