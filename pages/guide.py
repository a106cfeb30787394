"""使用说明: a short guide in the app — what each page does, how to bring in your own
reports, how to check a figure against its sentence, how to export — for a reader who
has not seen the README. The upload limits and the time zone come from the code that
applies them, so the guide cannot drift from what the app does."""
import streamlit as st

from etl.views.labels import TZ_ENV, zone_label
from pages import _access, _ui, _uploads

PAGES = [
    ("总览", "报告、数字、专项活动和单位的数量；每个指标（资金发放、服务帮扶对象、参与人数……）的合计，"
             "并说明怎样相加；最大的数字及其原句和报告。"),
    ("数字明细", "每一个数字一行：按专项活动、单位、层级、年份、类别、指标、近似程度和关键词筛选；"
                 "选中一行可看全部字段，并跳到报告原文或更正页；可下载 CSV 和 Excel。"),
    ("对比", "选一个指标，按专项活动、单位、层级或年份比较，画成柱状图、点图或时间线；"
             "下面的表格列出计入和未计入合计的每个数字及原因。"),
    ("简报", "用“加入简报”收集的图和表：逐页预览，一次下载 PowerPoint（每张图、每个表格一页）"
             "和 Excel。简报保存在网页地址里，刷新页面不会丢失；复制地址也能把简报发给别人。"),
    ("核查", "重复报道的同一数字、互相矛盾的数字、加总对不上的算式、被转载的报告，每条一句话说明。"),
    ("报告", "一份报告的全文，每个数字按类别着色；点选一个数字可看它的全部字段。"),
    ("上传", "上传自己的报告，读取后自动提取数字、识别报告信息并存入数据库。"),
    ("更正", "改正一个数字的数值、单位、主体、指标等，记录谁、何时、为什么；之后各页面都显示更正后的值（✎）。"),
]


def main() -> None:
    st.title("使用说明")
    st.markdown("报告数字看板从工作报告、新闻稿等中文材料里找出每一个数字（如“发放慰问金27万元”"
                "“6600余名干部职工”），记下它的数值、单位、说的是什么、出自哪句话和哪份报告，"
                "再汇总成图表。左侧栏的 **专项活动、单位、年份** 筛选对所有页面都有效。")

    st.subheader("各页面做什么", anchor=False)
    st.markdown("\n".join(f"- **{name}**：{what}" for name, what in PAGES))

    st.subheader("用自己的报告", anchor=False)
    kinds = "、".join(_uploads.EXTENSIONS)
    if _access.can_write():
        st.markdown(
            f"1. 打开左侧的 **上传** 页面，选择或拖入报告文件（{kinds}；每个不超过 "
            f"{_uploads.MAX_MB} MB，一次最多 {_uploads.MAX_FILES} 个）。\n"
            "2. 点击 **保存并提取数字**，每个文件会显示提取到多少个数字，或者读不出来的原因。\n"
            "3. 回到 **总览**，新报告已经计入。同一份报告再上传一次不会重复计数。\n"
            "4. 报告很多时，在服务器上用命令行导入一个文件夹：`python -m etl run 报告目录`。")
    else:
        st.markdown("这是只读看板，不能在这里上传。请管理员在服务器上运行 "
                    "`python -m etl run 报告目录` 导入报告，看板会自动显示新数据。")

    st.subheader("核对一个数字", anchor=False)
    st.markdown(
        "1. 在 **数字明细** 用关键词（如“慰问金”）或筛选条件找到它，点选这一行。\n"
        "2. 点 **在报告中查看**：报告页打开原文，这个数字被高亮，旁边列出它的全部字段。\n"
        "3. 看 **作用** 一栏：只有“总数”计入合计；分项、重复陈述、人均、计划等不计入，原因写在 **对比** 页的表格里。\n"
        "4. 提取有误时点 **更正这个数字**，填写正确的值和原因。\n"
        "5. **核查** 页列出重复、矛盾和加总不符的数字，可以逐条点开对应的句子。")

    st.subheader("导出", anchor=False)
    st.markdown(
        "- 每张图下面有 **PNG**（2400 像素宽，适合幻灯片和打印）、**SVG** 和 **PDF**（文字可搜索、可复制）按钮；"
        "标题、单位、刻度和数据来源都画在图里。\n"
        "- 每个表格可以下载 **CSV**（Excel 可直接打开）和 **Excel**。\n"
        "- 点 **加入简报** 收集图表，到 **简报** 页预览并下载 PowerPoint 和 Excel；"
        "**下载规格文件** 后可以用命令行 `python -m etl briefing --spec 文件 --out 目录` 重新生成同样的简报。")

    st.subheader("读图须知", anchor=False)
    st.markdown(
        "- 金额默认用 **对数刻度**：相邻主刻度相差 10 倍，柱子长度不与数值成正比；"
        "坐标轴标题和图下的说明都会注明。对比页可以改成线性刻度。\n"
        "- 大数字按中文习惯写成 **万** 和 **亿**（如 27万、3.5亿）。\n"
        "- 几份报告重复报道的同一数字，核查之后只计一次；含“约、余、近”等的数字在图中用斜纹或空心点标出。\n"
        f"- 时间按 **{zone_label()}** 显示（管理员可用环境变量 `{TZ_ENV}` 改成其他时区）。")


_ui.run(main, needs_data=False)
