"""上传: add reports through the same pipeline as `python -m etl run`, one clear result
or error per file; files are kept under data/uploads/ with a sanitised name. Offered
only when the access policy allows writes (pages/_access.py)."""
import pandas as pd
import streamlit as st

from pages import _access, _config, _data, _report_edit, _ui, _uploads
from pages._markdown import escape_markdown

STATUS_ZH = {"new": "新增", "updated": "已更新", "unchanged": "已存在（未变化）", "failed": "失败"}


def main() -> None:
    st.title("上传报告")
    if not _access.can_write():          # no uploader, no store opened for writing
        _access.read_only_note()
        st.caption("报告由管理员在服务器上用命令行导入：`python -m etl run 报告目录`。")
        return
    st.markdown(
        f"支持 {'、'.join(_uploads.EXTENSIONS)}；每个文件不超过 **{_uploads.MAX_MB} MB**，"
        f"一次最多 **{_uploads.MAX_FILES}** 个文件。上传的报告与命令行 `python -m etl run` "
        "走同一条流程：读取 → 提取数字 → 识别报告信息 → 存入数据库。大批量报告请用命令行。")
    # no `type=`: Streamlit would raise on a tampered name (a NUL byte, another
    # extension) before this page runs; _uploads.problem refuses it with a message
    files = st.file_uploader(f"选择报告文件（{'、'.join(_uploads.EXTENSIONS)}）",
                             accept_multiple_files=True, max_upload_size=_uploads.MAX_MB,
                             key="u_files")
    if files and len(files) > _uploads.MAX_FILES:
        st.warning(f"选择了 {len(files)} 个文件，一次最多处理 {_uploads.MAX_FILES} 个；"
                   f"只会处理前 {_uploads.MAX_FILES} 个。")
    if st.button("保存并提取数字", type="primary", disabled=not files, key="u_go"):
        batch = [(f.name, f.getvalue()) for f in files]
        bar = st.progress(0.0, text="正在读取和提取……")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"已读取 {done}/{total} 个文件")
        results = _uploads.ingest(batch, _config.uploads_dir(), _data.writable_store(),
                                  on_progress=progress)
        bar.empty()
        _data.clear()
        st.session_state["u_results"] = results
        st.session_state["u_skipped"] = max(0, len(files) - _uploads.MAX_FILES)
    show_results(st.session_state.get("u_results"), st.session_state.get("u_skipped", 0))
    st.caption(f"读取和提取在单独的进程中进行，每批最多 {_uploads.BUDGET_S:g} 秒，超时的文件会被中止。"
               "上传的文件保存在服务器的上传文件夹中。")


def show_results(results, skipped: int) -> None:
    if not results:
        return
    ok = [r for r in results if r.error is None]
    bad = [r for r in results if r.error is not None]
    if ok:
        st.success(f"已处理 {len(ok)} 个文件，共 {sum(r.claims for r in ok)} 个数字陈述。")
        st.dataframe(pd.DataFrame({
            "文件": [r.name for r in ok], "保存为": [r.saved_as for r in ok],
            "结果": [STATUS_ZH.get(r.status, r.status) for r in ok],
            "数字陈述": [r.claims for r in ok], "全部数字": [r.mentions for r in ok],
        }), hide_index=True, width="stretch", key="u_table")
        _report_edit.warn_if_deleted([r.report_id for r in ok])
        if st.button("查看刚上传的报告", key="u_open", icon=":material/article:"):
            _ui.goto_report(ok[-1].report_id)
    for r in bad:          # one clear line per bad file
        st.error(escape_markdown(f"{r.name}：{r.error}"))
    if skipped:
        st.warning(f"另有 {skipped} 个文件超出数量上限，未处理。")


_ui.run(main, needs_data=False)
