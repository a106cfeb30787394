"""Views: what the dashboard and the command-line exports show, with no streamlit.

    queries   the SQL: filters in, (sql, params) out, run through Store.query_df
    labels    Chinese names for the store's codes, number formatting
    text      report text made safe for plotly titles and labels; file names
    charts    plotly figure builders
    model     Chart and Table: a figure or a frame with its title and source line
    figures   each chart and table a page shows: filters + options -> Chart / Table

The pages import these directly; `python -m etl export-chart` and `briefing` build the
same Chart and Table objects, so an exported chart is the chart on screen.
"""
