"""Pattern tables of page furniture: Chinese news portals and forum software.

Each rule is (name, pattern); a pattern must match a whole stripped line.  The
names are what ``record.actions`` shows, so a user can see why a line went.
Patterns are structural (widgets, counters, labels of Discuz/PHPWind profile
blocks, portal footers), never phrases of particular pages.  Every pattern
accepts half-width and full-width punctuation, because normalisation runs
after cleaning.

The tables are compiled once, into one alternation per table (named groups,
``match.lastgroup`` gives the rule), so a line costs one regex call per table.
"""

from __future__ import annotations

import re

from .prefilter import could_fullmatch

_HAN = "\u4e00-\u9fff"
_C = "[:：]"  # colon, either width
_SEP = r"[\s|丨｜/·•]*"

# ---------------------------------------------------------------- portal lines
# Lines that are furniture wherever they appear (any kind of page).
_SHARE_TOKEN = (
    r"(?:分享至|分享到|一键分享|分享|收藏|点赞|转发|评论|打印|纠错|举报|复制链接|复制网址|微信好友|微信|朋友圈|微博|新浪微博|"
    r"QQ空间|QQ好友|QQ|豆瓣|手机看|扫一扫|扫码阅读|关闭窗口|关闭|返回|字号|[大中小]号?)"
)
PORTAL_LINE_RULES: list[tuple[str, str]] = [
    # 网易首页 > 网易安徽 > 正文 / 当前位置：首页 > 新闻
    ("portal_breadcrumb", rf"(?:(?:当前|您的|你的|所在)?位置{_C}\s*)?(?:[^\s>»›]{{1,14}}\s*[>»›]+\s*){{1,6}}[^\s>»›]{{1,14}}\s*[>»›]?"),
    ("portal_breadcrumb", rf"(?:当前|您的|你的|所在)位置{_C}.{{0,60}}"),
    ("portal_breadcrumb", r"[>»›]+\s*[^\s>»›。，]{1,14}(?:\s*[>»›]+\s*[^\s>»›。，]{1,14}){0,5}"),
    # 分享至 / 分享到：微信 微博 QQ空间 / 收藏 打印 纠错
    ("portal_share_widget", rf"(?:分享至|分享到|一键分享|分享)(?:{_C}|{_SEP}{_SHARE_TOKEN})*{_SEP}(?:\d{{1,7}}{_SEP})?"),
    ("portal_share_widget", rf"{_SHARE_TOKEN}(?:{_SEP}(?:{_SHARE_TOKEN}|\d{{1,7}})){{1,12}}"),
    ("portal_share_widget", rf"(?:用)?(?:微信|手机)扫(?:一扫|描)?(?:二维码)?.{{0,16}}(?:分享|阅读|打开|查看).{{0,12}}"),
    # 【纠错】 【打印】 [关闭窗口]
    ("portal_share_widget", rf"(?:[【\[]\s*{_SHARE_TOKEN}(?:窗口)?\s*[】\]]\s*)+"),
    ("portal_font_size", rf"字号(?:{_C}?\s*[大中小](?:{_SEP}[大中小]){{1,3}})?|[大中小](?:{_SEP}[大中小]){{2}}"),
    # 517阅读 / 阅读量：1.2万 / 0 条评论 / 参与 12 人
    (
        "portal_counter",
        rf"(?:\d[\d,.]*万?\s*(?:人(?:参与|评论|跟帖|阅读|浏览|点赞|收藏|已读)|条?评论|跟帖|阅读|浏览|点赞|收藏|次(?:阅读|浏览|播放)))"
        rf"|(?:阅读|浏览|评论|跟帖|点击|播放|点赞)(?:量|数|次数)?\s*{_C}?\s*\d[\d,.]*万?",
    ),
    # 无障碍浏览 进入关怀版
    ("portal_accessibility", rf"(?:无障碍(?:浏览|阅读|模式|通道)?|(?:进入|切换到?|退出)?(?:关怀版|长辈版|老年版|适老化)(?:模式)?)(?:{_SEP}(?:无障碍(?:浏览|阅读)?|(?:进入|退出)?关怀版)){{0,3}}"),
    # 打开网易新闻 查看精彩图片 / 下载APP / 打开APP阅读全文
    ("portal_app_prompt", rf"(?:打开|下载|安装|前往)[^\s，。]{{0,8}}?(?:APP|App|app|客户端|新闻)[\s，,]*(?:.{{0,14}}(?:阅读|查看|观看|体验|精彩).{{0,10}})?"),
    ("portal_more_link", r"(?:展开|阅读|查看|点击查看|点击阅读|继续阅读)(?:全文|更多|原文)[>》»\s]*|(?:查看|加载|点击加载|阅读)更多(?:内容|评论|新闻)?[>》»\s]*|更多\s*[>》»]+|"
     r"(?:返回|回到)(?:顶部|首页|列表|上一页|目录)|(?:点击|进入)(?:进入|查看)?专题|上一页|下一页|首页|尾页"),
    # 返回搜狐，查看更多
    ("portal_more_link", r"返回[^\s，,。]{1,8}[，,]\s*查看更多.{0,6}"),
    # 原文链接：https://…  / a bare URL line
    ("portal_url_line", r"(?:(?:原文|本文|文章)(?:链接|地址)|网址|链接)\s*[:：]\s*\S{4,200}|(?:https?://|www\.)\S{2,200}"),
    # Copyright © 1997-2024 网易公司版权所有 / 京ICP备…  (only short lines without a full stop)
    ("portal_footer", r"[^。]{0,80}(?:Copyright|COPYRIGHT|copyright|版权所有|©|ICP备|ICP证|公网安备|网络文化经营许可证|违法和不良信息举报|"
     r"互联网新闻信息服务许可证|信息网络传播视听节目许可证|举报电话|举报邮箱|不良信息举报)[^。]{0,80}"),
    ("portal_footer", rf"(?:关于我们|联系我们|广告服务|网站地图|帮助中心|隐私政策|用户协议|意见反馈|招聘信息|投诉中心|About\s*\w+)(?:{_SEP}(?:关于我们|联系我们|广告服务|网站地图|帮助中心|隐私政策|用户协议|意见反馈|招聘信息|投诉中心|About\s*\w+)){{1,12}}"),
    # 特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。
    ("portal_disclaimer", rf"(?:特别|免责|版权)?声明{_C}.{{0,200}}?(?:仅代表|不代表|信息存储|自媒体|转载|侵权|版权|联系删除|不构成).{{0,200}}"),
    ("portal_disclaimer", r".{0,40}(?:本文|文章|内容)(?:仅代表作者|系转载|转载自).{0,120}"),
    # 扫码关注 / 关注我们
    ("portal_follow_prompt", r"(?:扫码|长按|点击)?(?:关注|订阅)(?:我们|公众号|微信公众号|官方微博)[^。]{0,30}"),
    ("portal_follow_prompt", r"[^。]{0,24}(?:扫描|扫码|长按|识别)[^。]{0,20}(?:二维码|公众号)[^。]{0,40}|微信公众号|扫一扫\s*关注我?"),
    # (本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP)
    ("portal_source_note", r"[(（]?\s*本文(?:来自|来源于|转自|转载自|首发于).{0,60}?(?:APP|App|客户端|公众号|微信|网站|平台).{0,20}?[)）]?"),
    # 关键词 >> 新型冠状病毒,新冠病毒  /  标签：…
    ("portal_keywords", r"(?:关键词|关键字|标签|Tags?|TAG)\s*(?:[:：]|>>|》》|»)\s*.{0,120}"),
    # the comment box: 网友评论仅供其表达个人看法，并不表明网易立场。 / 目前没有热门跟贴 / 我要跟帖 / 已输入0字 / 评论(15)
    ("portal_comment_box", r"(?:网友|用户)?评论仅供.{0,40}|.{0,12}(?:并不表明|不代表)(?:本站|本网|本平台|本报|网站|平台)的?(?:观点|立场)。?|目前(?:没有|暂无|还没有).{0,8}(?:跟贴|跟帖|评论).{0,10}|"
     r"我要(?:跟贴|跟帖|评论|发言)|发表(?:跟贴|跟帖)|已输入\s*\d+\s*字.{0,10}|还可以输入\s*\d+\s*字|(?:评论|跟贴|跟帖|参与)\s*[(（]\s*\d+\s*[)）]|"
     r"(?:查看|显示)(?:全部|更多)?(?:评论|跟贴|跟帖)[>》»\s]*|(?:文明上网|登录后)?(?:理性|文明)发言.{0,20}"),
]

# Header lines that open a recommendation / hot-list / channel block: what follows
# them (up to the next paragraph of running text) is a list of other articles.
PORTAL_BLOCK_HEADERS: list[tuple[str, str]] = [
    (
        "portal_recommendation_block",
        r"(?:(?:相关|热点|热门|精彩|编辑|小编|为你|为您|今日|本周|猜你|延伸)\s*[·•・]?\s*(?:推荐|新闻|文章|报道|阅读|视频|图集|评论|排行|喜欢|精选)"
        r"|推荐(?:阅读|视频|新闻|文章)|大家都在看|24小时(?:热[文点榜闻]|排行)|(?:新闻|点击|阅读|热门|热度)?排行榜?|热搜榜?"
        r"|(?:最新|网友|热门)评论|我要评论|发表评论|更多精彩|往期(?:回顾|精彩|推荐))[\s>》»]*(?:更多)?[\s>》»]*",
    ),
    # 头条要闻 / 财经要闻 (a portal's channel boxes)
    ("portal_channel_block", r"[\u4e00-\u9fff]{2,4}(?:要闻|快讯)"),
]

# A short item of a menu rendered as a list ("- 体育"); a run of them is a menu
NAV_LIST_ITEM = r"[-•·*●]\s*[^\s，。,.!?！？：:；;]{1,6}"
NAV_LIST_MIN_RUN = 4

# A bare timestamp line (the date cell of a recommendation triplet)
TIMESTAMP_LINE = r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
# A bare number (share / like counters next to a widget)
BARE_COUNTER = r"\d{1,7}|\d[\d.]*万\+?"

# ---------------------------------------------------------------- forum lines
# Discuz / PHPWind furniture; only on pages detected as forum posts.
_PROFILE_LABEL = (
    r"(?:UID|uid|精华|职务|级别|等级|发帖|帖子|主题|金币|银币|铜币|积分|威望|贡献|"
    r"注册时间|最后登录|在线时间|阅读权限|性别|来自|用户组|好友|银元|铜板|经验|魅力|声望|财富|鲜花|人气|体力|金钱|"
    r"头衔|勋章|门派|称号|注册|最后发表|精华帖|社区警告|认证|论坛币)"
)
FORUM_LINE_RULES: list[tuple[str, str]] = [
    ("forum_navigation", r"(?:切换到|切换)(?:宽版|窄版)|(?:上一主题|下一主题|上一篇|下一篇|上一帖|下一帖|上一个|下一个|返回列表|发新帖|回复|发表回复|"
     r"新窗口打开|打印|收藏|分享|引用|举报|评分|使用道具|只看该作者|倒序浏览|倒序阅读|电梯直达|TOP|顶端|本页|"
     r"楼主|沙发|板凳|地板|\d{1,5}\s*楼|\d{1,5}#|#\d{1,5})(?:[\s|丨]*(?:上一主题|下一主题|上一篇|下一篇|上一个|下一个|返回列表|回复|"
     r"引用|举报|评分|使用道具|只看该作者|TOP|顶端))*"),
    ("forum_counter", rf"[•·]?\s*(?:\d[\d,]*\s*(?:阅读|回复|查看|浏览|次阅读)|(?:查看|回复|阅读|浏览)\s*{_C}?\s*\d[\d,]*)(?:[\s|丨]*(?:\d[\d,]*\s*(?:阅读|回复|查看)|(?:查看|回复)\s*{_C}?\s*\d[\d,]*))*"),
    ("forum_copy_link", r"\[?复制链接\]?|\[?打印\]?|\[?收藏\]?"),
    # 只看楼主 倒序阅读 使用道具 楼主  发表于: 2022-11-30
    ("forum_post_header", rf".{{0,60}}(?:发表于|发布于|只看楼主|只看该作者|楼主)\s*{_C}?\s*(?:(?:19|20)\d\d[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}.{{0,20}})?"),
    # — 本帖被 兵马大元帅 执行加亮操作(2023-02-10) —  /  本帖最后由 xxx 于 2022-1-1 10:00 编辑
    ("forum_moderator_note", r"[—\-–\s]*(?:本帖|该帖|此帖|本主题)(?:最后)?(?:被|由).{1,40}?(?:执行|于|编辑|操作|设置|加入|移动|锁定|置顶).{0,60}"),
    # 山庄提示: 道行不够,道券不够?---☆点此充值☆  / 论坛提示 / 系统提示
    ("forum_prompt", rf"[{_HAN}]{{2,4}}提示\s*{_C}.{{0,100}}|.{{0,40}}(?:点此充值|点击充值|☆.{{1,10}}☆).{{0,40}}"),
    # 快速回复 / 限120 字节 / 认真回复加分,灌水扣分~ / 您需要登录后才可以回帖
    ("forum_reply_box", r"快速回复.{0,20}|限\s*\d+\s*字节.{0,20}|.{0,20}(?:灌水|回帖|回复框|发表回复|登录后才可以|才可以回帖).{0,30}|"
     r"(?:登录|注册)(?:\s*[|丨]\s*(?:登录|注册|立即注册|找回密码))+"),
    # UID: 329002 / 精华: 1097 / 金币 (label alone) / 在线时间: 19932(小时)
    ("forum_profile", rf"{_PROFILE_LABEL}(?:\s*{_C}?\s*[^\s]{{0,30}}(?:\([^)]{{0,12}}\))?)?"),
    ("forum_profile", rf"(?:在线|离线|隐身)\s*[A-Za-z0-9_\-{_HAN}]{{1,30}}"),
]
# the profile block is a run of labels, bare numbers and short tokens
FORUM_PROFILE_FILLER = rf"\d[\d,.]*|[A-Za-z0-9_\-—]{{1,24}}|[{_HAN}A-Za-z0-9—\-]{{1,6}}"
# the post header that ends the head of a thread (and opens a reply)
FORUM_POST_HEADER = rf".{{0,60}}(?:发表于|发布于)\s*{_C}?\s*(?:19|20)\d\d.{{0,30}}|.{{0,60}}(?:只看楼主|只看该作者).{{0,60}}"
# a board tag in front of a thread title: [数码讨论]
# (\s{0,8}, not \s*: the title's own .{2,80}? can end in spaces too, and two unbounded ways of
# matching a run of spaces made a line of blanks take cubic time)
FORUM_TITLE = r"(?:\[[^\]]{1,12}\]|【[^】]{1,12}】).{2,80}?(?:\s{0,8}\[复制链接\])?|.{2,80}?\s{0,8}\[复制链接\]"


class RuleTable:
    """A compiled table: ``pattern`` is one alternation of named groups (duplicate
    rule names get a numeric suffix, ``portal_footer__1``, that :func:`rule_name`
    removes); ``could_match(line)`` is a cheap test that is True for every line
    the table can match (see :mod:`corpuskit.clean.prefilter`)."""

    __slots__ = ("pattern", "could_match")

    def __init__(self, rules: list[tuple[str, str]]):
        parts = []
        seen: dict[str, int] = {}
        for name, pattern in rules:
            n = seen.get(name, 0)
            seen[name] = n + 1
            group = name if n == 0 else f"{name}__{n}"
            parts.append(f"(?P<{group}>{pattern})")
        self.pattern = re.compile("(?:" + "|".join(parts) + r")\s*")
        self.could_match = could_fullmatch([pattern for _, pattern in rules], r"\s*")


def compile_table(rules: list[tuple[str, str]]) -> RuleTable:
    return RuleTable(rules)


def rule_name(group: str) -> str:
    return group.split("__", 1)[0]
