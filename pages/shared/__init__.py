"""What the pages share, never a page: session state, the sidebar, jobs, the live chart.

Streamlit's old-style page discovery only looks at the ``*.py`` files at the top of
``pages/``, so nothing here is ever taken for a page.
"""
