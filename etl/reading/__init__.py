"""Reading: a file becomes text and a description of the report.

    ingest        paths -> decoded text (encodings, HTML, docx, pdf) or a one-line reason
    html_text     HTML source -> the page's main text and what the page says about itself
    text_view     the simplified and squeezed views the metadata rules match on (by code
                  point, in numpy, for long texts)
    page_facts    headline (else the first sentence), publication date, outlet
                  (data/rules/page_facts.yaml)
    organisations who acts or reports: organisation, level, region, listed or by the shape
                  of the name (data/rules/organisations.yaml)
    campaigns     the campaign and the local drives it names (data/rules/campaigns.yaml)
    manifest      per-file overrides from manifest.csv
    describe      all of the above for one report, each field with where it came from
    safe_text     invisible format characters (bidi overrides, zero-width) out of names
"""
