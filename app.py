"""GMM Explorer: the router. Pages live in ``pages/``; the sidebar is shared."""

import streamlit as st

from pages.common import sidebar, state

st.set_page_config(page_title="GMM Explorer", page_icon="🎯", layout="wide")

navigation = st.navigation([
    st.Page("pages/explore.py", title="Explore EM", icon="🔍", default=True),
])
state()
sidebar()
navigation.run()
