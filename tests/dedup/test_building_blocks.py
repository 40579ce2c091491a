"""Issue 6: the pure building blocks (keys, shingles, signatures, verification, canonical rule)."""

from __future__ import annotations

import numpy as np

from corpuskit.dedup import (
    anchors,
    band_keys,
    choose_canonical,
    comparison_key,
    merge_cluster,
    rank_members,
    residual_noise_lines,
    shingle_hashes,
    signature,
    verify_pair,
)
from corpuskit.dedup.merge import explain_choice
from corpuskit.dedup.verify import DecisionParams, classify
from corpuskit.record import Record, Source

ARTICLE = (
    "江淮腹地，“中国声谷”。依托科大讯飞打造的合肥智能语音产业集群，2021年实现主营业务收入1378亿元、入园企业达1423家，"
    "连续5年产值、企业数量增长率均超过30%，跑出了惊人的“声谷速度”。\n\n"
    "西湖之滨，“中国视谷”。大华科技和海康威视领军的杭州数字安防产业集群，2021年核心产业实现营业收入2720.8亿元，"
    "同比增长17.2%，带动全市4322家数字安防产业创新企业共同成长。\n\n"
    "荆楚大地，“中国光谷”。以长飞光纤、华工科技等企业为代表的武汉光电子信息产业集群近3年累计投资超过2000亿元，"
    "汇集光电子企业超过1.5万家。"
)


def rec(rid: str, text: str, kind: str = "article", **meta) -> Record:
    return Record(rid, text, [Source(f"{rid}.txt", rid * 4, kind)], **meta)


def test_comparison_key_ignores_script_width_punctuation_and_case():
    assert comparison_key("２０２１年，數字產業 集群！ABC") == "2021年数字产业集群abc"
    assert comparison_key(ARTICLE.replace("，", ",").replace("。", ".")) == comparison_key(ARTICLE)


def test_shingles_and_signatures_are_deterministic_and_script_blind():
    import opencc

    traditional = opencc.OpenCC("s2t").convert(ARTICLE)
    assert traditional != ARTICLE
    assert np.array_equal(shingle_hashes(traditional), shingle_hashes(ARTICLE))
    assert np.array_equal(signature(ARTICLE), signature(ARTICLE))
    assert len(band_keys(signature(ARTICLE))) == 32
    assert len(signature("")) == 0 and len(band_keys(signature(""))) == 0


def test_anchors_survive_surrounding_text():
    passage = ARTICLE.split("\n\n")[1]
    a = anchors("完全不同的开头，讲的是另一件事情。" * 5 + passage)
    b = anchors(passage + "结尾也不一样，说的是别的内容。" * 5)
    assert len(np.intersect1d(a, b)) >= 1


def test_verify_pair_figures_and_decisions():
    paras = ARTICLE.split("\n\n")
    truncated = "\n\n".join(paras[1:])
    sim = verify_pair(ARTICLE, truncated)
    assert sim.containment_b == 1.0 > sim.jaccard
    assert classify(sim) == "merge"  # a repost without its intro is the article
    short = paras[2]
    sim = verify_pair(ARTICLE, short)
    assert sim.containment_b == 1.0 and sim.length_ratio < 0.5
    assert classify(sim) != "merge"  # quoting one paragraph is not reprinting
    other = "我国数字产业集群正加速成长，为经济稳增长促转型提供有力支撑。记者在采访中了解到，多地正在积极部署。"
    assert classify(verify_pair(ARTICLE, other)) == "distinct"
    assert classify(verify_pair(ARTICLE, ARTICLE), exact=True) == "merge"
    rewritten = "\n\n".join([paras[0], other * 2, paras[2]])
    sim = verify_pair(ARTICLE, rewritten)
    assert 0.4 < sim.score() < 0.8
    assert classify(sim, DecisionParams(threshold=sim.score() + 0.05)) == "near_miss"
    assert classify(sim, DecisionParams(threshold=sim.score())) == "merge"


def test_residual_noise_lines_counts_chrome_not_prose_or_headings():
    chrome = "0\n分享至\nUID: 329002\n发帖\n105996\n上一主题 下一主题"
    assert residual_noise_lines(chrome) == 6
    assert residual_noise_lines(ARTICLE) == 0
    assert residual_noise_lines("激发数字产业创新活力\n\n" + ARTICLE) == 0


def test_canonical_rule_completeness_then_authority_then_noise_then_id():
    paras = ARTICLE.split("\n\n")
    full_portal = rec("b1", ARTICLE, "portal")
    truncated_article = rec("a1", "\n\n".join(paras[1:]), "article")
    assert choose_canonical([truncated_article, full_portal]).id == "b1"  # completeness first
    assert "completeness" in explain_choice(rank_members([truncated_article, full_portal]))
    forum = rec("a0", ARTICLE, "forum")
    article = rec("z9", ARTICLE, "article")
    assert choose_canonical([forum, article, full_portal]).id == "z9"  # then authority
    noisy = rec("a2", "分享至\n0\n" + ARTICLE, "portal")
    assert choose_canonical([noisy, full_portal]).id == "b1"  # then fewest noise lines
    twin = rec("b0", ARTICLE, "portal")
    assert choose_canonical([full_portal, twin]).id == "b0"  # then the smallest id
    # The order the members come in does not matter.
    assert choose_canonical([article, full_portal, forum]).id == "z9"


def test_merge_keeps_every_source_and_metadata_only_others_had():
    article = rec("a", ARTICLE, "article", author="杨俊峰")
    forum = rec("f", ARTICLE, "forum", title="我国数字产业集群加速成长", date="2022-11-30")
    merged = merge_cluster([forum, article], "a")
    assert merged.id == "a" and merged.text == ARTICLE
    assert [s.path for s in merged.sources] == ["a.txt", "f.txt"]
    assert merged.title == "我国数字产业集群加速成长" and merged.date == "2022-11-30" and merged.author == "杨俊峰"
    assert merged.dedup_cluster == "a"
    rules = [a.rule for a in merged.actions if a.stage == "dedup"]
    assert "title_from_member" in rules and "merge_reprints" in rules


def test_batched_sketches_equal_text_by_text_ones():
    from corpuskit.dedup import sketch_batch

    paras = ARTICLE.split("\n\n")
    texts = [ARTICLE, "", "。。", "数字", "１２３４５６７８９０", "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍 abc", *paras, ARTICLE * 3]
    sk = sketch_batch(texts)
    with_sig = list(sk.band_docs)
    for i, text in enumerate(texts):
        keys = band_keys(signature(text))
        if len(keys) == 0:
            assert i not in with_sig
        else:
            assert np.array_equal(sk.bands[with_sig.index(i)], keys)
        assert np.array_equal(np.sort(sk.anchors[sk.anchor_docs == i]), anchors(text))
    with_sets = sketch_batch(texts, shingles=True)
    assert len(with_sets.shingle_offsets) == len(texts) + 1
    for i, text in enumerate(texts):
        mine = with_sets.shingles[with_sets.shingle_offsets[i] : with_sets.shingle_offsets[i + 1]]
        assert np.array_equal(mine, shingle_hashes(text))


def test_leftover_portal_chrome_does_not_make_a_reprint_more_complete():
    from .pairs import PORTAL_HEAD, PORTAL_TAIL, wrap

    titles = ["我国数字产业集群加速成长", "共青团12355青少年网络服务平台启动", "数字产业集聚成群 增添发展新动能"]
    portal = rec("a0", wrap(ARTICLE, PORTAL_HEAD, PORTAL_TAIL, titles[0], titles), "portal")
    article = rec("z9", ARTICLE, "article")
    assert verify_pair(portal.text, article.text).jaccard < 0.9  # the chrome is a real share of the text
    assert choose_canonical([portal, article]).id == "z9"
