"""Printable reports (PDF, Excel) built from data the pages have already read; no Streamlit, no SQL."""
