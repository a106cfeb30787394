"""简报: the charts and tables picked with 加入简报 on the other pages, as one
PowerPoint (16:9, a slide per chart and per table with its title and source line) and
one Excel workbook (a sheet per table and per chart's data), with a preview of the deck
slide by slide (etl.exports.briefing.outline, which the PowerPoint is drawn from). The
same pack comes from `python -m etl briefing --spec …`; this page also downloads that spec.

Items hold filters and options, not data: each is rebuilt from the store when this
page runs (etl.views.items.build, the code the other pages draw with). The basket lives
in the page address too (pages/_download.py), so a reload keeps it."""
import streamlit as st
import yaml

from etl.exports import briefing, render
from etl.views import charts as chart_views
from etl.views import items, model
from etl.views.labels import local_now
from etl.views.text import safe_filename
from pages import _data, _download, _ui
from pages._markdown import escape_markdown

MIME_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EMPTY = ("还没有选中的图表或表格。在 **总览**、**对比**、**数字明细** 页面点击“加入简报”，"
         "再回到这里一次下载 PowerPoint 和 Excel。\n\n"
         "命令行也可以生成同样的简报：`python -m etl briefing --spec 简报.yaml --out 输出目录`"
         "（规格文件的写法见 `python -m etl briefing --help`，也可以在这里选好后下载）。")


def _move(i: int, step: int) -> None:
    basket = _download.basket()
    j = i + step
    if 0 <= i < len(basket) and 0 <= j < len(basket):
        basket[i], basket[j] = basket[j], basket[i]


def _remove(i: int) -> None:
    basket = _download.basket()
    if 0 <= i < len(basket):
        basket.pop(i)


def _clear() -> None:
    _download.basket().clear()


def main() -> None:
    st.title("简报")
    basket = _download.basket()
    if not basket:
        st.info(EMPTY)
        return
    title = st.text_input("简报标题（封面页；留空则不要封面）", value="数据简报", key="b_title")
    st.caption("每一项按加入时的筛选和选项，从当前数据库重新生成。")
    dup = _data.dup_source()
    built = []
    for i, item in enumerate(basket):
        c1, c2, c3, c4 = st.columns([10, 1, 1, 1], vertical_alignment="center")
        try:
            obj = items.build(item, _data.query, dup)
        except ValueError as exc:
            obj = None
            c1.warning(f"第 {i + 1} 项无法生成：{escape_markdown(str(exc))}")
        kind = "图" if isinstance(obj, model.Chart) else "表"
        head = f"{kind}　{escape_markdown(obj.title)}" if obj is not None else "（没有符合条件的数字，将略过）"
        c1.markdown(f"**{i + 1}.** {head}  \n:gray[{escape_markdown(items.describe(item))}]")
        c2.button(":material/arrow_upward:", key=f"b_up_{i}", on_click=_move, args=(i, -1),
                  disabled=i == 0, help="上移")
        c3.button(":material/arrow_downward:", key=f"b_down_{i}", on_click=_move, args=(i, 1),
                  disabled=i == len(basket) - 1, help="下移")
        c4.button(":material/delete:", key=f"b_del_{i}", on_click=_remove, args=(i,),
                  help="移出简报")
        if obj is not None:
            built.append(obj)

    charts = [b for b in built if isinstance(b, model.Chart)]
    n_tables = len(built) - len(charts)
    sheets = briefing.sheets_for(built)
    st.divider()
    st.caption(f"PowerPoint：{'封面 + ' if title else ''}{len(charts)} 页图表 + {n_tables} 页表格"
               f"（16:9，标题和数据来源为文字，表格为可编辑的表格）。Excel：{len(sheets)} 个工作表"
               f"（每个表格和每张图的数据）+ “说明”页。")
    name = safe_filename(title or "简报", "简报")
    subtitle = briefing.subtitle_lines(local_now())
    b1, b2, b3, b4 = st.columns([1.4, 1.2, 1.4, 3])
    ok = render.available() or not charts          # table slides need no browser
    b1.download_button("下载 PowerPoint", lambda: briefing.pptx_bytes(built, title, subtitle),
                       file_name=f"{name}.pptx", mime=MIME_PPTX, key="b_pptx", on_click="ignore",
                       icon=_download.DL_ICON, disabled=not built or not ok,
                       help=None if ok else render.HOW_TO)
    b2.download_button("下载 Excel", lambda: briefing.xlsx_bytes(built, title),
                       file_name=f"{name}.xlsx", mime=_download.MIME_XLSX, key="b_xlsx",
                       on_click="ignore", icon=_download.DL_ICON, disabled=not sheets)
    spec = {"title": title, "items": basket}
    b3.download_button("下载规格文件", yaml.safe_dump(spec, allow_unicode=True, sort_keys=False),
                       file_name=f"{name}.yaml", mime="application/x-yaml", key="b_spec",
                       on_click="ignore", icon=":material/description:",
                       help="python -m etl briefing --spec 这个文件 --out 目录：用命令行生成同样的简报")
    b4.button("清空简报", key="b_clear", on_click=_clear, icon=":material/delete_sweep:")
    if charts and (note := render.missing()):
        st.caption(f":material/info: {note}")
    if built:
        preview(briefing.outline(built, title, subtitle))


SLIDE_KIND = {"cover": "封面", "chart": "图表", "table": "表格"}


def preview(slides: list[briefing.Slide]) -> None:
    """The deck slide by slide, as the PowerPoint will hold it: title, the chart as the
    slide draws it (no title or source inside; they are slide text) or the table's
    cells, and the slide's source lines. Two slides a row."""
    st.subheader("幻灯片预览")
    for start in range(0, len(slides), 2):
        cols = st.columns(2)
        for col, (n, slide) in zip(cols, enumerate(slides[start:start + 2], start=start + 1)):
            with col.container(border=True, key=f"b_slide_{n}"):
                st.caption(f"第 {n} 页 · {SLIDE_KIND[slide.kind]}")
                st.markdown(f"**{escape_markdown(slide.title)}**")
                if slide.chart is not None:
                    fig = chart_views.for_slide(slide.chart.fig, font_size=11)
                    fig.update_layout(height=300, margin={"t": 30, "b": 10})
                    st.plotly_chart(fig, key=f"b_slide_fig_{n}", config={"staticPlot": True})
                elif slide.table is not None:
                    st.dataframe(slide.table, hide_index=True, key=f"b_slide_tab_{n}",
                                 height=min(300, 38 + 35 * len(slide.table)))
                lines = slide.lines + ([slide.note] if slide.note else [])
                if lines:
                    st.caption("  \n".join(escape_markdown(x) for x in lines))


_ui.run(main)
