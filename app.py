"""GMM Explorer: the router. Pages live in ``pages/``; what they share in ``pages/shared/``."""

import os

# EM here multiplies many tiny d × d matrices: BLAS threads only contend for the 2 cores
# (a Choose K sweep ran 9× faster with one thread). Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from pathlib import Path

import streamlit as st

from pages.shared.link import restore_link
from pages.shared.preload import preload_plotly_js
from pages.shared.sidebar import sidebar
from pages.shared.state import mark_routed, state
from pages.shared.welcome import welcome

# A local file: a Material icon as page icon is fetched from a font CDN, and fails offline.
ICON = Path(__file__).resolve().parent / "assets" / "icon.svg"
st.set_page_config(page_title="GMM Explorer", page_icon=str(ICON), layout="wide")
preload_plotly_js()  # first: the browser fetches plotly.js while the rest of the run goes on

navigation = st.navigation(
    [
        st.Page(
            "pages/explore.py", title="Explore EM", icon=":material/play_circle:", default=True
        ),
        st.Page(
            "pages/choose_k.py", title="Choose K and compare restarts", icon=":material/insights:"
        ),
        st.Page("pages/learn.py", title="Learn", icon=":material/school:"),
    ]
)
mark_routed()
state()
restore_link()  # a link opened: its data, settings and half-step, before the sidebar
if navigation.title != "Learn":  # a lesson keeps its own data and settings
    sidebar()
welcome()
navigation.run()
