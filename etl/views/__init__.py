"""Views: what the dashboard and the command-line exports show, with no streamlit.

    queries   the SQL: filters in, (sql, params) out, run through Store.query_df
    labels    Chinese names for the store's codes, number formatting
    text      report text made safe for plotly titles and labels; file names
    charts    plotly figure builders
    model     Chart and Table: a figure or a frame with its title and source line
    sources   repeated figures counted once (the checks' groups) and every source line
    compare   the 对比 chart: one metric across campaigns, organisations, levels, years
    overview  the 总览 chart and its biggest figures
    explore   the 数字明细 table
    marks     a clicked chart mark -> the figures behind it
    items     briefing items: a dict naming a chart or table -> Chart / Table (build)
    basket    the briefing basket as text for the page address (survives a reload)
    ui_text   Streamlit's own English words in Chinese (data/rules/ui_zh.yaml) and the script

The pages import these directly; `python -m etl export-chart` and `briefing` build the
same Chart and Table objects, so an exported chart is the chart on screen.
"""
