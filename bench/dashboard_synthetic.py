"""A synthetic store for the dashboard benchmark: ~100k reports, 1,000,000 claims.

    .venv/bin/python bench/dashboard_synthetic.py                      # bench/out/dashboard_1m.duckdb
    .venv/bin/python bench/dashboard_synthetic.py --claims 100000 --out /tmp/small.duckdb

The schema comes from etl.store.Store (so it follows the real migrations); the rows are
generated inside DuckDB with INSERT ... SELECT through Store.writing(), which takes
about a minute for 1M claims instead of hours through the extractor.

Distributions (roughly what real reports look like): 10 claims and 3 non-claims (dates,
ordinals, slogans) per report; unit classes weighted people > items > orgs > events >
money > person_times > percent > duration > other; values log-normal per class (money
around 30万元, people around 200); 70% exact, the rest 余/约/近/以上/不超过/至少/范围;
9 campaigns over 2013-2024; 31 regions x 40 kinds of organisation (1,240 names) at 5
levels; report text made of one sentence per mention, so offsets, sentences and the
Report page's highlighting are all real. 5% of the claims are grouped as repeated
figures in figure_groups (the checks' table, issue 6) so the dashboard's
count-once path is measured too; --dup-share 0 leaves it empty.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.store import Store  # noqa: E402

CAMPAIGNS = [  # name, first year, last year, weight
    ("党的群众路线教育实践活动", 2013, 2014, 10), ("三严三实专题教育", 2015, 2016, 6),
    ("两学一做学习教育", 2016, 2018, 12), ("不忘初心、牢记使命主题教育", 2019, 2020, 18),
    ("党史学习教育", 2021, 2022, 20), ("学习贯彻习近平新时代中国特色社会主义思想主题教育", 2023, 2024, 16),
    ("中央八项规定精神学习教育", 2024, 2024, 6), ("我为群众办实事", 2021, 2023, 8),
    (None, 2013, 2024, 4),
]
REGIONS = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
           "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南",
           "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]
ORG_KINDS = [  # suffix, level
    ("省直机关工委", "provincial"), ("省委组织部", "provincial"), ("省教育厅", "provincial"),
    ("省卫生健康委", "provincial"), ("省总工会", "provincial"), ("省财政厅", "provincial"),
    ("省民政厅", "provincial"), ("省交通运输厅", "provincial"), ("省生态环境厅", "provincial"),
    ("省人社厅", "provincial"), ("省会市直机关工委", "municipal"), ("省会市委组织部", "municipal"),
    ("第二大市市直机关工委", "municipal"), ("第二大市教育局", "municipal"), ("第二大市卫健委", "municipal"),
    ("第三大市市直机关工委", "municipal"), ("第三大市民政局", "municipal"), ("地级市总工会", "municipal"),
    ("地级市财政局", "municipal"), ("地级市团委", "municipal"), ("甲县县直机关工委", "county"),
    ("甲县教育局", "county"), ("乙县县直机关工委", "county"), ("乙县卫健局", "county"),
    ("丙县民政局", "county"), ("丁县总工会", "county"), ("戊县委组织部", "county"),
    ("己县人社局", "county"), ("庚县交通局", "county"), ("辛县财政局", "county"),
    ("第一人民医院", "unit"), ("师范大学", "unit"), ("电力公司", "unit"), ("烟草专卖局", "unit"),
    ("税务局", "unit"), ("海关", "unit"), ("气象局", "unit"), ("邮政分公司", "unit"),
    ("银行分行", "unit"), ("中学", "unit"),
]
CENTRAL_ORGS = ["中央和国家机关工委", "全国政协机关", "国务院国资委", "教育部", "民政部", "人社部",
                "财政部", "国家卫健委", "全国总工会", "共青团中央"]
# class, weight, unit(s) with weights, log-normal (median, sigma), subjects
CLASSES = [
    ("people", 26, [("人", 1)], (200, 1.6), ["干部职工", "党员", "困难群众", "志愿者", "青年", "老党员", "党员干部", "群众"]),
    ("items", 18, [("个", 4), ("条", 3), ("项", 3), ("件", 2), ("篇", 1)], (25, 1.3), ["意见建议", "问题", "制度", "整改措施", "实事", "稿件"]),
    ("orgs", 14, [("个", 6), ("家", 2), ("支", 1)], (30, 1.2), ["党支部", "部门", "单位", "党组织", "志愿服务队"]),
    ("events", 12, [("次", 4), ("场", 3), ("期", 1)], (20, 1.3), ["专题学习", "宣讲活动", "调研", "培训班", "座谈会"]),
    ("money", 12, [("元", 1)], (300000, 1.8), ["慰问金", "专项资金", "帮扶资金", "捐款", "助学金", "党费"]),
    ("person_times", 7, [("人次", 1)], (1500, 1.7), ["参训", "走访", "服务群众", "志愿服务"]),
    ("percent", 5, [("%", 1)], (60, 0.5), ["参学率", "整改完成率", "满意率"]),
    ("duration", 4, [("天", 3), ("小时", 1)], (5, 1.0), ["集中学习", "调研"]),
    ("other", 2, [("户", 1)], (40, 1.0), ["困难户", "结对户"]),
]
APPROX = [("exact", 70), ("over", 18), ("about", 5), ("under", 3), ("at_least", 2), ("at_most", 1), ("range", 1)]
APPROX_WORD = {"exact": ("", ""), "over": ("", "余"), "about": ("约", ""), "under": ("近", ""),
               "at_least": ("至少", ""), "at_most": ("不超过", ""), "range": ("", "左右")}
NON_CLAIMS = [("date", "年月日"), ("ordinal", "第"), ("slogan", "两学一做")]


def _values(rows: list[tuple]) -> str:
    """A VALUES list of literals from our own constants (no user input)."""
    def lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, (int, float)):
            return repr(v)
        return "'" + str(v).replace("'", "''") + "'"
    return ", ".join("(" + ", ".join(lit(v) for v in r) + ")" for r in rows)


def _weighted(name: str, rows: list[tuple], weight_index: int) -> str:
    """A lookup table with cumulative weight bounds [lo, hi) in 0..1 for picking rows."""
    total = sum(r[weight_index] for r in rows)
    acc, out = 0.0, []
    for i, r in enumerate(rows):
        lo = acc / total
        acc += r[weight_index]
        out.append((i,) + tuple(r) + (lo, acc / total))
    return out


def build(out: Path, n_claims: int, per_report: int = 10, nonclaims_per_report: int = 3,
          seed: float = 0.42, dup_share: float = 0.05) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    for p in (out, Path(str(out) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    store = Store(out)                 # creates the real schema (migrations, view)
    n_reports = max(1, n_claims // per_report)

    camp = _weighted("camp", CAMPAIGNS, 3)
    classes = _weighted("cls", [(c, w) for c, w, *_ in CLASSES], 1)
    units = []
    for c, _w, us, _dist, _s in CLASSES:
        total = sum(w for _, w in us)
        acc = 0
        for u, w in us:
            units.append((c, u, acc / total, (acc + w) / total))
            acc += w
    dists = [(c, float(m), float(s)) for c, _w, _u, (m, s), _s in CLASSES]
    subjects = [(c, i, s) for c, *_x, subs in CLASSES for i, s in enumerate(subs)]
    nsub = [(c, len(subs)) for c, *_x, subs in CLASSES]
    approx = _weighted("ap", APPROX, 1)
    # central organisations first: the skewed pick below gives them the most reports
    orgs = [(i, name, "central", "全国") for i, name in enumerate(CENTRAL_ORGS)]
    orgs += [(len(CENTRAL_ORGS) + i, f"{r}{k}", lvl, r) for i, (r, (k, lvl)) in
             enumerate((r, k) for r in REGIONS for k in ORG_KINDS)]

    with store.writing() as con:
        con.execute(f"SELECT setseed({seed})")
        con.execute(f"CREATE TEMP TABLE camp AS SELECT * FROM (VALUES {_values(camp)}) t(i, name, y0, y1, w, lo, hi)")
        con.execute(f"CREATE TEMP TABLE cls AS SELECT * FROM (VALUES {_values(classes)}) t(i, name, w, lo, hi)")
        con.execute(f"CREATE TEMP TABLE unit_t AS SELECT * FROM (VALUES {_values(units)}) t(cls, unit, lo, hi)")
        con.execute(f"CREATE TEMP TABLE dist AS SELECT * FROM (VALUES {_values(dists)}) t(cls, median, sigma)")
        con.execute(f"CREATE TEMP TABLE subj AS SELECT * FROM (VALUES {_values(subjects)}) t(cls, i, subject)")
        con.execute(f"CREATE TEMP TABLE nsub AS SELECT * FROM (VALUES {_values(nsub)}) t(cls, n)")
        con.execute(f"CREATE TEMP TABLE ap AS SELECT * FROM (VALUES {_values(approx)}) t(i, name, w, lo, hi)")
        con.execute(f"CREATE TEMP TABLE org AS SELECT * FROM (VALUES {_values(orgs)}) t(i, name, level, region)")
        n_orgs = len(orgs)

        # Reports: campaign, year inside the campaign's years, organisation (skewed:
        # a few organisations write many reports), publication date.
        con.execute(f"""
            CREATE TEMP TABLE rep AS
            WITH r AS (SELECT range AS ri, random() AS uc, random() AS uy, random() AS uo,
                              random() AS ud FROM range({n_reports}))
            SELECT ri, camp.name AS campaign,
                   camp.y0 + CAST(floor(uy * (camp.y1 - camp.y0 + 1)) AS INT) AS year,
                   CAST(floor(pow(uo, 1.6) * {n_orgs}) AS INT) AS oi,
                   CAST(floor(ud * 360) AS INT) AS doy
            FROM r JOIN camp ON r.uc >= camp.lo AND r.uc < camp.hi""")
        # Mentions: per_report claims + nonclaims_per_report non-claims per report.
        per = per_report + nonclaims_per_report
        con.execute(f"""
            CREATE TEMP TABLE men AS
            WITH m AS (SELECT range // {per} AS ri, range % {per} AS k,
                              (range % {per}) < {per_report} AS is_claim,
                              random() AS u1, random() AS u2, random() AS u3, random() AS u4,
                              random() AS u5, random() AS u6
                       FROM range({n_reports * per})),
            c AS (SELECT m.*, cls.name AS unit_class FROM m JOIN cls ON m.u1 >= cls.lo AND m.u1 < cls.hi),
            v AS (SELECT c.*, unit_t.unit,
                         -- log-normal value around the class median (Box-Muller)
                         dist.median * exp(dist.sigma * sqrt(-2 * ln(greatest(c.u3, 1e-12))) * cos(2 * pi() * c.u4)) AS raw,
                         ap.name AS approx, subj.subject
                  FROM c JOIN unit_t ON unit_t.cls = c.unit_class AND c.u2 >= unit_t.lo AND c.u2 < unit_t.hi
                         JOIN dist ON dist.cls = c.unit_class
                         JOIN ap ON c.u5 >= ap.lo AND c.u5 < ap.hi
                         JOIN nsub ON nsub.cls = c.unit_class
                         JOIN subj ON subj.cls = c.unit_class AND subj.i = CAST(floor(c.u6 * nsub.n) AS INT))
            SELECT ri, k, is_claim, unit_class, unit, approx, subject,
                   CASE WHEN unit_class = 'percent' THEN round(least(raw, 100), 1)
                        WHEN unit_class = 'money' AND raw >= 10000 THEN round(raw / 100) * 100
                        ELSE greatest(1, round(raw)) END AS value
            FROM v""")
        # Text of each mention and its sentence (the number sits after a fixed prefix).
        con.execute("""
            CREATE TEMP TABLE sen AS
            SELECT ri, k, is_claim,
                   CASE WHEN is_claim THEN unit_class END AS unit_class,
                   CASE WHEN is_claim THEN unit END AS unit,
                   CASE WHEN is_claim THEN approx END AS approx,
                   CASE WHEN is_claim THEN subject END AS subject,
                   CASE WHEN is_claim THEN value END AS value,
                   CASE WHEN NOT is_claim THEN ['date', 'ordinal', 'slogan'][1 + (k % 3)] END AS kind,
                   CASE WHEN is_claim THEN
                     (CASE approx WHEN 'about' THEN '约' WHEN 'under' THEN '近' WHEN 'at_least' THEN '至少'
                                  WHEN 'at_most' THEN '不超过' ELSE '' END)
                     || CASE WHEN unit = '元' AND value >= 10000
                             THEN regexp_replace(printf('%.2f', value / 10000), '\\.?0+$', '') || '万'
                             WHEN unit = '%' THEN printf('%g', value)
                             ELSE CAST(CAST(value AS BIGINT) AS VARCHAR) END
                     || CASE WHEN approx = 'over' THEN '余' ELSE '' END
                     || CASE unit WHEN '人' THEN '名' ELSE unit END
                     || CASE WHEN approx = 'range' THEN '左右' ELSE '' END
                   ELSE ['3月5日', '第二', '两学一做'][1 + (k % 3)] END AS text,
                   CASE WHEN is_claim THEN '全年围绕' || subject || '累计完成'
                        ELSE '本单位按照要求' END AS prefix
            FROM men""")
        con.execute("""
            CREATE TEMP TABLE sen2 AS
            SELECT *, prefix || text || '。' AS sentence,
                   sum(length(prefix || text || '。')) OVER (PARTITION BY ri ORDER BY k
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
            FROM sen""")
        # Reports: header line + sentences; report_id = content hash of the text.
        con.execute("""
            CREATE TEMP TABLE rep2 AS
            SELECT rep.*, org.name AS organisation, org.level, org.region,
                   org.name || coalesce(rep.campaign, '机关党建') || '工作情况报告（' || rep.ri || '）' AS title,
                   printf('%d-%02d-%02d', rep.year, 1 + rep.doy // 30, 1 + rep.doy % 28) AS published
            FROM rep JOIN org ON org.i = rep.oi""")
        con.execute("""
            CREATE TEMP TABLE rep3 AS
            SELECT r.*, r.title || chr(10) AS header, t.body
            FROM rep2 r JOIN (SELECT ri, string_agg(sentence, '' ORDER BY k) AS body FROM sen2 GROUP BY ri) t
              USING (ri)""")
        con.execute("""
            CREATE TEMP TABLE rep4 AS
            SELECT *, header || body AS text, substr(sha256(header || body), 1, 32) AS report_id,
                   printf('synthetic_%06d.txt', ri) AS doc FROM rep3""")
        con.execute("""
            INSERT INTO reports (report_id, doc, path, format, encoding, text, title, published, year,
                                 source, organisation, level, region, campaign, campaign_evidence, tags,
                                 meta_source, n_chars, n_claims, ingested_at, rules_version, content_sig)
            SELECT report_id, doc, 'synthetic/' || doc, 'txt', 'utf-8', text, title, published, year,
                   '合成数据', organisation, level, region, campaign, campaign, []::VARCHAR[], '{}',
                   length(text), 13, now()::TIMESTAMP, 'synthetic', 'synthetic'
            FROM rep4""")
        con.execute("""
            INSERT INTO report_files SELECT 'synthetic/' || doc, doc, report_id, now()::TIMESTAMP FROM rep4""")
        con.execute("""
            CREATE TEMP TABLE cl AS
            SELECT substr(sha256(report_id || ':' || s0 || ':' || (s0 + length(text))), 1, 20) AS claim_id,
                   ri, k, report_id, doc, s0, s0 + length(text) AS e0, text, is_claim, kind, value,
                   CASE WHEN approx = 'range' THEN value * 1.2 END AS value_max, unit, unit_class, approx,
                   subject, sentence, ss, ss + length(sentence) AS se,
                   CASE WHEN is_claim THEN 'synthetic' ELSE 'synthetic:' || kind END AS reason
            FROM (SELECT s.*, r.report_id, r.doc,
                         length(r.header) + coalesce(s.before, 0) AS ss,
                         length(r.header) + coalesce(s.before, 0) + length(s.prefix) AS s0
                  FROM sen2 s JOIN rep4 r USING (ri))""")
        con.execute("""
            INSERT INTO claims (claim_id, report_id, doc, start, "end", text, is_claim, kind, value,
                                value_max, unit, unit_class, approx, subject, sentence,
                                sentence_start, sentence_end, reason, metric, metric_evidence)
            SELECT claim_id, report_id, doc, s0, e0, text, is_claim, kind, value, value_max, unit,
                   unit_class, approx, subject, sentence, ss, se, reason,
                   -- what each figure measures (issue 10): the class's usual metric
                   CASE WHEN NOT is_claim THEN NULL
                        WHEN unit_class = 'money' THEN 'funds_disbursed'
                        WHEN unit_class IN ('people', 'person_times') AND k % 2 = 0 THEN 'people_reached'
                        WHEN unit_class IN ('people', 'person_times') THEN 'participants'
                        WHEN unit_class = 'orgs' THEN 'orgs_involved'
                        WHEN unit_class = 'items' THEN 'items_handled'
                        WHEN unit_class = 'events' THEN 'events_held'
                        WHEN unit_class = 'percent' THEN 'rates_and_changes'
                        WHEN unit_class = 'duration' THEN 'time_spent'
                        ELSE 'other' END,
                   CASE WHEN is_claim THEN '合成数据：按类别' END
            FROM cl ORDER BY ri, k""")
        has_groups = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'figure_groups'").fetchone()[0]
        if has_groups and dup_share > 0:
            # Repeated figures, as the checks (issue 6) would group them: in a share of
            # the reports, each claim is paired with the claim at the same place in the
            # next report (like two outlets printing one release).
            every = max(2, int(round(2 / dup_share)))
            con.execute(f"""
                INSERT INTO figure_groups (claim_id, dup_group, dup_size, dup_primary, run_id)
                SELECT claim_id, 'syn-' || (ri - ri % 2) || '-' || k, 2, ri % 2 = 0, 'synthetic'
                FROM cl WHERE is_claim AND ri % {every} < 2""")
        counts = con.execute("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM claims WHERE is_claim), "
                             "(SELECT count(*) FROM claims)").fetchone()
        groups = con.execute("SELECT count(*) FROM figure_groups").fetchone()[0] if has_groups else 0
    with store.writing() as con:
        con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t0
    return {"path": str(out), "reports": counts[0], "claims": counts[1], "mentions": counts[2],
            "grouped": groups,
            "seconds": round(seconds, 1), "mb": round(out.stat().st_size / 1e6, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "dashboard_1m.duckdb")
    ap.add_argument("--dup-share", type=float, default=0.05,
                    help="share of claims grouped as repeated figures (figure_groups); 0 = none")
    args = ap.parse_args(argv)
    info = build(args.out, args.claims, dup_share=args.dup_share)
    print(f"{info['reports']:,} reports, {info['claims']:,} claims ({info['mentions']:,} mentions, "
          f"{info['grouped']:,} in repeated-figure groups) "
          f"in {info['seconds']} s -> {info['path']} ({info['mb']} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
